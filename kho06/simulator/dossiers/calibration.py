"""Ratings and digitisation, with the yearly figures of kpi_targets.csv made exact by allocation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.sampling import categorical, weighted_mask

# Calibrated dossier figures (kpi_targets.csv) and the free figures of the other years.
SATISFACTION = {2021: 0.862, 2022: 0.891, 2023: 0.924}
SATISFACTION_OTHER = 0.93
RATING_RATE = {2021: 0.30, 2022: 0.40, 2023: 0.50}
DIGITISED_SHARE = {2021: 0.18, 2022: 0.33, 2023: 0.42}
DIGITISED_GROWTH_2023 = 1.38


@dataclass(frozen=True)
class Ratings:
    rating: np.ndarray  # DanhGiaHaiLong 1–4, -1 not rated
    so_hs: np.ndarray  # SoHoaHoSo
    so_kq: np.ndarray  # SoHoaKetQua


def year_of(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[Y]").astype(np.int64) + 1970


def calibrate(cfg: SimConfig, day: np.ndarray, status: np.ndarray, channel: np.ndarray) -> Ratings:
    """Ratings of returned dossiers (the positive share per year exact) and digitised inputs and results (the
    count per year exact)."""
    rng = cfg.rng(FEED, "clean-calibration")
    n = len(day)
    year = year_of(day)
    years = [int(y) for y in np.unique(year_of(cfg.days()))]
    rate = np.zeros(n)
    for y in years:
        rate[year == y] = RATING_RATE.get(y, 0.5)
    rated = (status == 10) & (rng.random(n) < rate)
    positive_value = np.where(rng.random(n) < 0.55, 1, 2)
    negative_value = np.where(rng.random(n) < 0.75, 3, 4)
    rating = np.full(n, -1, dtype=np.int8)
    for y in years:
        members = np.flatnonzero(rated & (year == y))
        n_pos = int(np.floor(SATISFACTION.get(y, SATISFACTION_OTHER) * len(members) + 0.5))
        positive = np.zeros(len(members), dtype=bool)
        positive[rng.permutation(len(members))[:n_pos]] = True
        rating[members] = np.where(positive, positive_value[members], negative_value[members])

    eligible = np.isin(status, (9, 10))
    so_hs = ((status != 3) & (rng.random(n) < 0.3)).astype(np.int8)
    so_kq = np.zeros(n, dtype=np.int8)
    weight = np.where(channel == 2, 3.0, 1.0)
    category = categorical(rng, [0.4, 0.1, 0.5], n)  # not both: inputs only, result only, neither
    for y, target in digitised_targets(year, eligible, years).items():
        members = np.flatnonzero(eligible & (year == y))
        both = weighted_mask(rng, weight[members], target)
        so_hs[members] = np.where(both, 1, category[members] == 0)
        so_kq[members] = np.where(both, 1, category[members] == 1)
    return Ratings(rating, so_hs, so_kq)


def digitised_targets(year: np.ndarray, eligible: np.ndarray, years: list[int]) -> dict[int, int]:
    """Dossiers with inputs and result digitised, per year of reception: a share of the finished ones, and
    for 2023 round(1.38 × the 2022 count) when 2022 lies in the period."""
    finished = {y: int((eligible & (year == y)).sum()) for y in years}
    targets = {
        y: int(np.floor(DIGITISED_SHARE.get(y, 0.5 if y > 2023 else 0.1) * finished[y] + 0.5)) for y in years
    }
    if 2022 in targets and 2023 in targets:
        targets[2023] = int(np.floor(DIGITISED_GROWTH_2023 * targets[2022] + 0.5))
    for y in years:
        if targets[y] > finished[y]:
            raise ValueError(f"{y}: {targets[y]} digitised dossiers wanted but only {finished[y]} finished")
    return targets
