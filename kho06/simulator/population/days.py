"""Days as the population feed counts them: whole days since 1970-01-01 (int64), turned into dates when written."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

DAYS_PER_YEAR = 365.2425
EPOCH = np.datetime64("1970-01-01", "D")


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def years_of(days: np.ndarray) -> np.ndarray:
    return dates(days).dt.year().to_numpy()
