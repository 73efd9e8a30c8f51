"""Defect classes and the record of every injected defect: `OUT/_truth/defects.csv`.

Every feed declares its classes the same way, as a tuple of `DefectClass` in `<feed>/defects.py`: the name and
criterion of the contract's defect table, the base it is counted against, whether it alters records in place or
adds records, and the function that injects it. The feed's driver picks each class's records, calls its
`inject`, and hands what it returns (`Injected`) to `DefectLog.record`, the one place the truth log is written.

Only tests and benchmarks read the log; the pipeline never does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import polars as pl

CRITERIA = ("đúng", "đủ", "sạch", "sống")
IN_PLACE, ADDED = "in place", "added"
KINDS = (IN_PLACE, ADDED)
TRUTH_COLUMNS = ["feed", "record_key", "defect_class", "criterion", "detail"]

Keys = Sequence[str] | pl.Series | np.ndarray
Detail = str | Sequence[str] | pl.Series | np.ndarray
Edits = TypeVar("Edits")


@dataclass(frozen=True)
class Injected:
    """What one class did: the `record_key` of each record it altered or added, and a detail (one for all, or one
    per record)."""

    keys: Keys
    detail: Detail


@dataclass(frozen=True)
class DefectClass(Generic[Edits]):
    """One defect class of a feed, as its contract's defect table lists it (docs/contracts/<feed>.md).

    `inject(rng, edits, rows)` changes the feed's records held by `edits` at `rows` (positions of the clean
    records the feed's driver picked for this class) or adds records, and returns what it touched.
    """

    name: str
    criterion: str  # one of CRITERIA
    base: str  # the clean records it is counted against, in the contract's words
    kind: str  # IN_PLACE (the record keeps its key) or ADDED (a record with a key of its own)
    inject: Callable[[np.random.Generator, Edits, np.ndarray], Injected]

    def __post_init__(self) -> None:
        if self.criterion not in CRITERIA:
            raise ValueError(f"{self.name}: unknown criterion {self.criterion!r}; expected one of {CRITERIA}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}; expected one of {KINDS}")


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

    def record(self, feed: str, defect_class: DefectClass[Any], injected: Injected) -> None:
        """Log the records one class touched."""
        keys = pl.Series("record_key", injected.keys, dtype=pl.String)
        detail = injected.detail
        details = (
            pl.Series("detail", [detail] * len(keys), dtype=pl.String)
            if isinstance(detail, str)
            else pl.Series("detail", detail, dtype=pl.String)
        )
        if len(details) != len(keys):
            raise ValueError(f"{defect_class.name}: {len(keys)} keys but {len(details)} details")
        self._parts.append(
            pl.DataFrame([keys, details]).select(
                pl.lit(feed).alias("feed"),
                "record_key",
                pl.lit(defect_class.name).alias("defect_class"),
                pl.lit(defect_class.criterion).alias("criterion"),
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
