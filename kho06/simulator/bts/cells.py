"""The clean cells: each station's cells with their ids, positions within JITTER_M of the site, range, samples,
signal and dates, in the OpenCelliD columns."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.bts.layout import (
    DAY_S,
    FEED,
    JITTER_M,
    M_PER_UDEG_LAT,
    M_PER_UDEG_LON_EQ,
    MCC,
    UPDATED_WITHIN_DAYS,
    UTC_OFFSET_S,
)
from kho06.simulator.config import SimConfig


def cell_id() -> pl.Expr:
    """GSM: bts*10+sector; UMTS: RNC*65536 + nodeB*10+sector; LTE: eNB*256 + local cell id."""
    return (
        pl.when(pl.col("radio") == "GSM")
        .then(pl.col("bs_local") * 10 + pl.col("lcid"))
        .when(pl.col("radio") == "UMTS")
        .then(pl.col("rnc") * 65536 + pl.col("bs_local") * 10 + pl.col("lcid"))
        .otherwise(pl.col("bs_local") * 256 + pl.col("lcid"))
        .alias("cell")
    )


def jitter(rng: np.random.Generator, lat_u: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    n = len(lat_u)
    r = radius_m * np.sqrt(rng.random(n))
    theta = rng.random(n) * 2 * np.pi
    dlat = np.round(r * np.cos(theta) / M_PER_UDEG_LAT)
    dlon = np.round(r * np.sin(theta) / (M_PER_UDEG_LON_EQ * np.cos(np.radians(lat_u / 1e6))))
    return dlat.astype(np.int64), dlon.astype(np.int64)


def build_cells(cfg: SimConfig, stations: pl.DataFrame, sites: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean cell, with position as micro-degrees (lat_u, lon_u)."""
    rng = cfg.rng(FEED, "clean-cells")
    cells = (
        stations[np.repeat(np.arange(len(stations)), stations["n_cells"].to_numpy())]
        .with_columns(pl.int_range(1, pl.len() + 1).over("station_idx").alias("sector"))
        .with_columns(
            (pl.col("sector") + pl.when(pl.col("radio") == "LTE").then(pl.col("layer")).otherwise(0)).alias(
                "lcid"
            )
        )
        .join(
            sites.select("site_idx", "lat_u", "lon_u", "lat_lo", "lat_hi", "lon_lo", "lon_hi", "urban"),
            on="site_idx",
        )
        .sort("station_idx", "sector")
    )
    n = len(cells)
    radio = cells["radio"].to_numpy()
    urban = cells["urban"].to_numpy()
    dlat, dlon = jitter(rng, cells["lat_u"].to_numpy(), JITTER_M)
    default_unit = rng.random(n) < 0.1
    unit = np.select(
        [radio == "GSM", radio == "UMTS"],
        [0, rng.integers(0, 512, n)],
        3 * cells["pci_group"].to_numpy() + cells["sector"].to_numpy() - 1,
    )
    rng_m = np.where(urban, rng.uniform(300, 2500, n), rng.uniform(800, 6000, n)).round(-1)
    signal_lo = np.select([radio == "GSM", radio == "UMTS"], [-105, -110], -115)
    signal = np.where(rng.random(n) < 0.65, 0, rng.integers(signal_lo, signal_lo + 50))
    created = cells["created_day"].to_numpy() * DAY_S - UTC_OFFSET_S + rng.integers(0, 30 * DAY_S, n)
    updated = as_of - rng.integers(1, UPDATED_WITHIN_DAYS * DAY_S, n)
    return cells.with_columns(
        cell_id(),
        pl.lit(MCC).alias("mcc"),
        pl.Series("unit", np.where(default_unit & (radio != "GSM"), 0, unit)),
        (pl.col("lat_u") + dlat).clip(pl.col("lat_lo"), pl.col("lat_hi")).alias("lat_u"),
        (pl.col("lon_u") + dlon).clip(pl.col("lon_lo"), pl.col("lon_hi")).alias("lon_u"),
        pl.Series("range", np.where(rng.random(n) < 0.15, 1000, rng_m).astype(np.int64)),
        pl.Series("samples", 1 + np.floor(np.exp(rng.normal(2.8, 1.3, n))).astype(np.int64)),
        pl.lit(1).alias("changeable"),
        pl.Series("created", created),
        pl.Series("updated", updated),
        pl.Series("averageSignal", signal),
        ((pl.col("sector") == pl.col("n_cells")) & (pl.col("n_cells") >= 2)).alias("spare"),
    ).select(
        "radio",
        "mcc",
        "net",
        "area",
        "cell",
        "unit",
        "lon_u",
        "lat_u",
        "range",
        "samples",
        "changeable",
        "created",
        "updated",
        "averageSignal",
        "rnc",
        "bs_local",
        "lcid",
        "spare",
    )
