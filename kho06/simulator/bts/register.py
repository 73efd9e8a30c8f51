"""The clean site register (sổ đăng ký vị trí trạm): address, mast, permit, inspection and the operators sharing
each site."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.bts.layout import FEED, INSPECTION_VALID_DAYS, PROVINCE, as_of_day
from kho06.simulator.bts.stations import uniform_days
from kho06.simulator.bts.vocabularies import MAST_HEIGHT, MAST_P_RURAL, MAST_P_URBAN, MAST_TYPES, OPERATORS
from kho06.simulator.config import SimConfig
from kho06.simulator.names import hamlet_names


def build_register(cfg: SimConfig, sites: pl.DataFrame, stations: pl.DataFrame, as_of: int) -> pl.DataFrame:
    """One row per clean site of the register (internal column names; renamed when written)."""
    rng = cfg.rng(FEED, "clean-register")
    n = len(sites)
    urban = sites["urban"].to_numpy()
    hamlet = np.where(
        urban,
        np.char.add(np.where(rng.random(n) < 0.6, "Tổ dân phố ", "Khu "), rng.integers(1, 16, n).astype(str)),
        hamlet_names(rng, n),
    )
    mast = np.where(
        urban, rng.choice(len(MAST_TYPES), n, p=MAST_P_URBAN), rng.choice(len(MAST_TYPES), n, p=MAST_P_RURAL)
    )
    height = rng.integers(MAST_HEIGHT[mast, 0], MAST_HEIGHT[mast, 1] + 1)
    first_day = stations.group_by("site_idx").agg(pl.col("created_day").min()).sort("site_idx")["created_day"]
    permit_day = first_day.to_numpy() - rng.integers(60, 366, n)
    today = as_of_day(as_of)
    inspect_lo = np.maximum(permit_day + 30, today - INSPECTION_VALID_DAYS + 15)
    inspect_day = uniform_days(rng, inspect_lo, np.full(n, today))
    operators = _site_operators(stations)
    return (
        sites.select("site_idx", "site_id", "commune_code", "commune_name", "district_name", "lat_u", "lon_u")
        .with_columns(
            pl.concat_str(
                [pl.Series(hamlet), pl.col("commune_name"), pl.col("district_name"), pl.lit(PROVINCE)],
                separator=", ",
            )
            .str.normalize("NFC")
            .alias("address"),
            pl.Series("mast", MAST_TYPES[mast]),
            pl.Series("height", height),
            pl.Series("permit_date", permit_day.astype("datetime64[D]")),
            pl.Series("inspected", inspect_day.astype("datetime64[D]")),
            pl.Series("agency", np.where(urban, "SXD", "UBND")),
        )
        .with_columns(
            pl.format(
                "{}/GPXD-{}",
                pl.col("permit_date").rank("ordinal").over(pl.col("permit_date").dt.year(), "agency"),
                "agency",
            ).alias("permit_no")
        )
        .join(operators, on="site_idx")
        .drop("agency", "commune_name", "district_name")
        .sort("site_idx")
    )


def _site_operators(stations: pl.DataFrame) -> pl.DataFrame:
    """'Doanh nghiệp dùng chung': the site's operators in a fixed order, joined by '; '."""
    order = {net: i for i, net in enumerate(OPERATORS)}
    return (
        stations.select("site_idx", "net")
        .unique()
        .with_columns(
            pl.col("net").replace_strict(order).alias("order"),
            pl.col("net").replace_strict({net: name for net, (name, _) in OPERATORS.items()}).alias("name"),
        )
        .sort("site_idx", "order")
        .group_by("site_idx", maintain_order=True)
        .agg(pl.col("name").str.join("; ").alias("operators"))
    )
