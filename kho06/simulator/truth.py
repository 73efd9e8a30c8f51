"""The record of every injected defect: `OUT/_truth/defects.csv`.

Only tests and benchmarks read it; the pipeline never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

CRITERIA = ("đúng", "đủ", "sạch", "sống")
TRUTH_COLUMNS = ["feed", "record_key", "defect_class", "criterion", "detail"]


def defect_count(rate: float, base: int) -> int:
    """How many records of `base` one defect class touches at `rate` (at least one when the rate is positive)."""
    if rate <= 0 or base <= 0:
        return 0
    return max(1, round(rate * base))


def pick_disjoint(rng: np.random.Generator, n: int, counts: Sequence[int], taken: np.ndarray | None = None):
    """Choose, for each count, that many distinct row positions out of n, no position used twice.

    `taken` is a boolean mask of positions that may not be chosen (e.g. rows already touched by another class).
    Returns a list of sorted int arrays, one per count.
    """
    free = np.flatnonzero(~taken) if taken is not None else np.arange(n)
    total = int(sum(counts))
    if total > len(free):
        raise ValueError(f"cannot place {total} defects in {len(free)} free records")
    chosen = rng.choice(free, size=total, replace=False)
    out, start = [], 0
    for c in counts:
        out.append(np.sort(chosen[start : start + c]))
        start += c
    return out


class DefectLog:
    """Collects injected defects of every feed and writes them as one sorted CSV."""

    def __init__(self) -> None:
        self._parts: list[pl.DataFrame] = []

    def add(
        self,
        feed: str,
        record_keys: Sequence[str] | pl.Series | np.ndarray,
        defect_class: str,
        criterion: str,
        detail: str | Sequence[str] | pl.Series,
    ) -> None:
        if criterion not in CRITERIA:
            raise ValueError(f"unknown criterion {criterion!r}; expected one of {CRITERIA}")
        keys = pl.Series("record_key", record_keys, dtype=pl.String)
        details = (
            pl.Series("detail", [detail] * len(keys), dtype=pl.String)
            if isinstance(detail, str)
            else pl.Series("detail", detail, dtype=pl.String)
        )
        if len(details) != len(keys):
            raise ValueError(f"{defect_class}: {len(keys)} keys but {len(details)} details")
        self._parts.append(
            pl.DataFrame([keys, details]).select(
                pl.lit(feed).alias("feed"),
                "record_key",
                pl.lit(defect_class).alias("defect_class"),
                pl.lit(criterion).alias("criterion"),
                "detail",
            )
        )

    def frame(self) -> pl.DataFrame:
        if not self._parts:
            return pl.DataFrame(schema={c: pl.String for c in TRUTH_COLUMNS})
        return pl.concat(self._parts).sort(["feed", "defect_class", "record_key", "detail"])

    def write(self, out: Path) -> Path:
        path = out / "_truth" / "defects.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.frame().write_csv(path)
        return path
