"""Dates as the portal writes them, '"yyyyMMddHHmmss"', looked up instead of formatted one by one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.workdays import SECONDS_PER_DAY


@dataclass(frozen=True)
class Stamps:
    """Writes '"yyyyMMddHHmmss"' (quotes included, ready for JSON) from epoch seconds by looking up the day
    part and the time part: much cheaper than formatting each date."""

    first_day: int  # days since 1970 of heads[0]
    heads: pl.Series  # '"yyyyMMdd' per day
    tails: pl.Series  # 'HHmmss"' per second of the day

    @classmethod
    def around(cls, cfg: SimConfig) -> Stamps:
        # room for dates before the period (defects) and after it (due)
        first = np.datetime64(cfg.start) - 400
        days = np.arange(first, np.datetime64(cfg.end) + 400, dtype="datetime64[D]")
        tod = np.arange(SECONDS_PER_DAY)
        clock = (
            pl.DataFrame({"h": tod // 3600, "m": tod // 60 % 60, "s": tod % 60})
            .select(pl.concat_str([pl.col(c).cast(pl.String).str.zfill(2) for c in "hms"] + [pl.lit('"')]))
            .to_series()
        )
        return cls(int(first.astype(np.int64)), '"' + pl.Series(days).dt.strftime("%Y%m%d"), clock)

    def __call__(self, seconds: np.ndarray) -> pl.Series:
        """The stamps of epoch seconds; null where seconds < 0."""
        present = seconds >= 0
        day = np.where(present, seconds // SECONDS_PER_DAY - self.first_day, 0)
        if (day < 0).any() or (day >= len(self.heads)).any():
            raise ValueError("a date lies outside the stamp table")
        stamp = self.heads.gather(day) + self.tails.gather(np.where(present, seconds % SECONDS_PER_DAY, 0))
        return stamp.scatter(np.flatnonzero(~present), None) if not present.all() else stamp
