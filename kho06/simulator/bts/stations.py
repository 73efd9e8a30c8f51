"""The clean stations: one operator's base station of one radio technology at a site, with its first-seen day,
area codes and the numbering of its base-station id."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.bts.layout import FEED, TOTAL_STATIONS, as_of_day
from kho06.simulator.bts.vocabularies import GSM_ONLY, OPERATORS, RADIO_WEIGHT, RADIOS
from kho06.simulator.config import SimConfig


def _combos() -> pl.DataFrame:
    """Every (operator, radio) pair that may form a station, with its drawing weight (a 2G-only operator puts
    its whole share on GSM)."""
    rows = [
        (net, radio, share * (1.0 if net in GSM_ONLY else RADIO_WEIGHT[radio]))
        for net, (_, share) in OPERATORS.items()
        for radio in RADIOS
        if not (net in GSM_ONLY and radio != "GSM")
    ]
    return pl.DataFrame(rows, schema=["net", "radio", "weight"], orient="row")


def _stations_per_site(rng: np.random.Generator, urban: np.ndarray, most: int) -> np.ndarray:
    """1 + Binomial(4, p) stations per site, nudged to exactly TOTAL_STATIONS."""
    k = 1 + rng.binomial(4, np.where(urban, 0.31, 0.25))
    k = np.minimum(k, most)
    diff = TOTAL_STATIONS - int(k.sum())
    if diff > 0:
        k[rng.choice(np.flatnonzero(k < most), diff, replace=False)] += 1
    elif diff < 0:
        k[rng.choice(np.flatnonzero(k > 1), -diff, replace=False)] -= 1
    return k


def uniform_days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return lo + np.floor(rng.random(len(lo)) * (hi - lo)).astype(np.int64)


def _day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


def build_stations(cfg: SimConfig, sites: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean station: site, operator, radio, base-station id parts, cell count, first-seen day."""
    rng = cfg.rng(FEED, "clean-stations")
    combos = _combos()
    k = _stations_per_site(rng, sites["urban"].to_numpy(), most=5)
    keys = np.log(combos["weight"].to_numpy())[None, :] + rng.gumbel(size=(len(sites), len(combos)))
    broadband = (combos["radio"] != "GSM").to_numpy()
    first = np.argmax(np.where(broadband[None, :], keys, -np.inf), axis=1)
    keys[np.arange(len(sites)), first] = np.inf  # every site carries a UMTS or LTE station
    order = np.argsort(-keys, axis=1, kind="stable")
    chosen = np.arange(len(combos))[None, :] < k[:, None]
    site_idx = np.repeat(np.arange(len(sites)), k)
    stations = combos[order[chosen]].drop("weight").with_columns(pl.Series("site_idx", site_idx))
    stations = stations.join(sites.select("site_idx", "district_idx"), on="site_idx").sort(
        "net", "radio", "site_idx"
    )
    n = len(stations)
    today = as_of_day(as_of)
    radio = stations["radio"].to_numpy()
    first_day = np.select(
        [radio == "GSM", radio == "UMTS"], [_day("2010-01-01"), _day("2011-06-01")], _day("2016-06-01")
    )
    last_day = np.minimum(
        np.select([radio == "GSM", radio == "UMTS"], [_day("2018-12-31"), _day("2020-12-31")], today),
        today - 200,
    )
    return (
        stations.with_columns(
            pl.Series("n_cells", rng.choice([1, 2, 3], size=n, p=[0.06, 0.12, 0.82])),
            pl.Series("created_day", uniform_days(rng, first_day, last_day)),
            pl.Series("gap", rng.integers(1, 4, n)),
            pl.Series("layer", np.where(rng.random(n) < 0.3, 10, 0)),  # LTE local cell ids 1-3 or 11-13
            pl.Series("pci_group", rng.integers(0, 168, n)),
            *_id_parts(rng, stations),
        )
        .with_columns(
            (pl.col("base") + pl.col("gap").cum_sum().over("net", "radio", "rnc")).alias("bs_local"),
            pl.int_range(pl.len()).alias("station_idx"),
        )
        .drop("gap", "base")
    )


def _id_parts(rng: np.random.Generator, stations: pl.DataFrame) -> list[pl.Series]:
    """Area code (LAC/TAC) per operator, radio and district; RNC for UMTS; numbering base of the local ids."""
    nets = np.array(sorted(OPERATORS))
    net_pos = np.searchsorted(nets, stations["net"].to_numpy())
    radio_pos = stations["radio"].replace_strict({r: i for i, r in enumerate(RADIOS)}).to_numpy()
    district = stations["district_idx"].to_numpy()
    areas = rng.choice(np.arange(1000, 65000), size=(len(nets), len(RADIOS), 12), replace=False)
    rncs = rng.choice(np.arange(1, 4096), size=(len(nets), 4), replace=False)
    base = np.stack(
        [
            rng.integers(100, 2000, len(nets)),
            rng.integers(1, 300, len(nets)),
            rng.integers(100_000, 800_000, len(nets)),
        ],
        axis=1,
    )
    is_umts = radio_pos == 1
    return [
        pl.Series("area", areas[net_pos, radio_pos, district]),
        pl.Series("rnc", np.where(is_umts, rncs[net_pos, district // 3], 0)),
        pl.Series("base", base[net_pos, radio_pos]),
    ]
