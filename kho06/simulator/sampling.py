"""Random draws every feed uses: whole-number shares, weighted samples without replacement, categorical draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl


def apportion(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Integers proportional to `weights`, each at least `minimum`, summing exactly to `total` (largest
    remainder, ties by position)."""
    parts = np.full(len(weights), minimum, dtype=np.int64)
    rest = total - parts.sum()
    if rest < 0 or (rest > 0 and weights.sum() <= 0):
        raise ValueError(
            f"cannot give {len(weights)} parts at least {minimum} out of {total} by these weights"
        )
    if rest == 0:
        return parts
    quota = weights / weights.sum() * rest
    parts += np.floor(quota).astype(np.int64)
    left = total - parts.sum()
    parts[np.argsort(-(quota - np.floor(quota)), kind="stable")[:left]] += 1
    return parts


def weighted_keys(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Efraimidis–Spirakis keys: the k largest mark a sample of k drawn without replacement ∝ `weights`."""
    return np.log(rng.random(len(weights))) / weights


def weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct positions drawn without replacement with probability ∝ `weights`, sorted; a zero weight is
    never drawn."""
    positive = weights > 0
    if k > np.count_nonzero(positive):
        raise ValueError(f"cannot draw {k} from {np.count_nonzero(positive)} candidates")
    keys = np.full(len(weights), -np.inf)
    keys[positive] = weighted_keys(rng, weights[positive])
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k else np.empty(0, dtype=np.int64)


def weighted_mask(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """`weighted_sample` as a boolean mask over the positions."""
    mask = np.zeros(len(weights), dtype=bool)
    mask[weighted_sample(rng, weights, k)] = True
    return mask


def categorical(rng: np.random.Generator, weights: Sequence[float] | np.ndarray, n: int) -> np.ndarray:
    """n draws of an index with probability ∝ weights (one uniform draw each, through the cumulative sum)."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.minimum(np.searchsorted(cdf / cdf[-1], rng.random(n), side="right"), len(cdf) - 1)


def choice_index(rng: np.random.Generator, table: Mapping[str, float], n: int) -> np.ndarray:
    """n draws of a position of `table` with probability ∝ its weights (numpy's `choice`)."""
    p = np.array(list(table.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def choice(rng: np.random.Generator, table: Mapping[str, float], n: int) -> np.ndarray:
    """n draws of a key of `table` with probability ∝ its weights."""
    return np.array(list(table))[choice_index(rng, table, n)]


def pick(rng: np.random.Generator, options: Sequence[str] | np.ndarray, n: int) -> pl.Series:
    """n values drawn uniformly from `options`, as a string column."""
    values = pl.Series(list(options))
    return values.gather(rng.integers(0, len(values), n))
