"""How many dossiers are received each day: yearly growth, the weekday and seasonal pattern, public holidays."""

from __future__ import annotations

import numpy as np

from kho06.simulator.config import DEFAULT_END, DEFAULT_START, SimConfig
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.dossiers.workdays import HOLIDAYS
from kho06.simulator.sampling import apportion

REAL_DOSSIERS = 3_000_000  # dossiers received 2021-01-01 .. 2023-12-31 at scale 1
WEEKDAY_WEIGHT = np.array([1.10, 1.0, 1.0, 1.0, 0.95, 0.22, 0.04])  # Monday .. Sunday
MONTH_WEIGHT = np.array([1.10, 0.80, 1.05, 1.00, 1.00, 1.05, 1.10, 1.05, 0.95, 1.00, 1.00, 1.05])
YEARLY_GROWTH = 1.15


def _day_weights(days: np.ndarray) -> np.ndarray:
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    w = WEEKDAY_WEIGHT[weekday].copy()
    w[np.isin(days, HOLIDAYS)] = WEEKDAY_WEIGHT[6]
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    years = (days - np.datetime64(DEFAULT_START)).astype(np.float64) / 365.25
    return w * MONTH_WEIGHT[month] * YEARLY_GROWTH**years


def dossier_total(cfg: SimConfig) -> int:
    """cfg.scaled(3M) over the default period; for another period the same expected rate per day."""
    if (cfg.start, cfg.end) == (DEFAULT_START, DEFAULT_END):
        return cfg.scaled(REAL_DOSSIERS)
    default_days = np.arange(
        np.datetime64(DEFAULT_START), np.datetime64(DEFAULT_END) + 1, dtype="datetime64[D]"
    )
    ratio = _day_weights(cfg.days()).sum() / _day_weights(default_days).sum()
    return round(cfg.scaled(REAL_DOSSIERS) * ratio)


def daily_counts(cfg: SimConfig) -> np.ndarray:
    """Dossiers received on each day of the period, `dossier_total(cfg)` in all."""
    rng = cfg.rng(FEED, "clean-volume")
    days = cfg.days()
    noisy = _day_weights(days) * rng.lognormal(0.0, 0.08, len(days))
    return apportion(dossier_total(cfg), noisy)
