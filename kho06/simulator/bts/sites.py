"""The clean sites: how many per commune, placed inside the communes' bounding boxes at least MIN_SITE_GAP_M
apart, with their ids."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import LAT_RANGE, Geography
from kho06.simulator.bts.layout import (
    FEED,
    JITTER_M,
    M_PER_UDEG_LAT,
    M_PER_UDEG_LON_EQ,
    MIN_SITE_GAP_M,
    SITES_PER_KM2,
    TOTAL_SITES,
)
from kho06.simulator.bts.vocabularies import TYPE_DENSITY, URBAN_TYPES
from kho06.simulator.config import SimConfig


def _allocate(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """At least one per item, `total` in all, in proportion to `weights`, never above `caps`."""
    n = np.ones(len(weights), dtype=np.int64)
    while (left := total - int(n.sum())) > 0:
        room = caps - n
        w = np.where(room > 0, weights, 0.0)
        if w.sum() == 0:
            raise ValueError(f"cannot place {total} items within the caps")
        share = left * w / w.sum()
        add = np.minimum(np.floor(share).astype(np.int64), room)
        if add.sum() == 0:
            open_ = np.flatnonzero(room > 0)
            add[open_[np.argsort(-share[open_], kind="stable")[:left]]] = 1
        n += add
    return n


def _boxes(communes: pl.DataFrame) -> pl.DataFrame:
    """Commune bounds in micro-degrees (inclusive, inside the float bounds) and box size in km."""
    return communes.with_columns(
        (pl.col("lat_min") * 1e6).ceil().cast(pl.Int64).alias("lat_lo"),
        (pl.col("lat_max") * 1e6).floor().cast(pl.Int64).alias("lat_hi"),
        (pl.col("lon_min") * 1e6).ceil().cast(pl.Int64).alias("lon_lo"),
        (pl.col("lon_max") * 1e6).floor().cast(pl.Int64).alias("lon_hi"),
        ((pl.col("lat_max") - pl.col("lat_min")) * M_PER_UDEG_LAT * 1e3).alias("h_km"),
        (
            (pl.col("lon_max") - pl.col("lon_min")) * M_PER_UDEG_LON_EQ * 1e3 * pl.col("lat").radians().cos()
        ).alias("w_km"),
        pl.col("commune_type").is_in(URBAN_TYPES).alias("urban"),
    )


def _sites_per_commune(boxes: pl.DataFrame) -> np.ndarray:
    area = (boxes["h_km"] * boxes["w_km"]).to_numpy()
    density = boxes["commune_type"].replace_strict(TYPE_DENSITY, default=1.0).to_numpy()
    caps = np.maximum(1, np.floor(area * SITES_PER_KM2)).astype(np.int64)
    return _allocate(TOTAL_SITES, density * np.sqrt(area), caps)


def _shrunk(lo: np.ndarray, hi: np.ndarray, margin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The box narrowed by `margin` on both sides, or its midpoint when it is too narrow."""
    narrow = hi - lo < 2 * margin
    mid = (lo + hi) // 2
    return np.where(narrow, mid, lo + margin), np.where(narrow, mid, hi - margin)


def _place(rng: np.random.Generator, lat_lo, lat_hi, lon_lo, lon_hi) -> tuple[np.ndarray, np.ndarray]:
    """Uniform positions in the given boxes, pairwise at least MIN_SITE_GAP_M apart (earlier sites win)."""
    n = len(lat_lo)
    lat = np.zeros(n, dtype=np.int64)
    lon = np.zeros(n, dtype=np.int64)
    m_lon = M_PER_UDEG_LON_EQ * np.cos(np.radians(np.mean(LAT_RANGE)))
    todo = np.arange(n)
    for _ in range(1000):
        lat[todo] = rng.integers(lat_lo[todo], lat_hi[todo] + 1)
        lon[todo] = rng.integers(lon_lo[todo], lon_hi[todo] + 1)
        dy = (lat[todo, None] - lat[None, :]) * M_PER_UDEG_LAT
        dx = (lon[todo, None] - lon[None, :]) * m_lon
        close = dx * dx + dy * dy < MIN_SITE_GAP_M**2
        close[np.arange(len(todo)), todo] = False
        redrawn = np.zeros(n, dtype=bool)
        redrawn[todo] = True
        blocks = ~redrawn[None, :] | (np.arange(n)[None, :] < todo[:, None])
        todo = todo[(close & blocks).any(axis=1)]
        if len(todo) == 0:
            return lat, lon
    raise RuntimeError("could not place the sites apart; lower SITES_PER_KM2")


def build_sites(cfg: SimConfig, geo: Geography) -> pl.DataFrame:
    """One row per clean site: commune, position (micro-degrees), commune box, site id."""
    boxes = _boxes(geo.communes.sort("commune_code"))
    per_commune = _sites_per_commune(boxes)
    crowding = per_commune / (boxes["h_km"] * boxes["w_km"]).to_numpy()
    # the most crowded communes (tiny boxes first) are placed first, so they are never pushed out
    sites = boxes.with_columns(pl.Series("crowding", crowding))[
        np.repeat(np.arange(len(boxes)), per_commune)
    ].sort("crowding", "commune_code", descending=[True, False], maintain_order=True)
    margin_lat = np.full(len(sites), round(JITTER_M * 1.4 / M_PER_UDEG_LAT))
    margin_lon = np.round(JITTER_M * 1.4 / (M_PER_UDEG_LON_EQ * np.cos(np.radians(sites["lat"].to_numpy()))))
    lat_lo, lat_hi = _shrunk(
        sites["lat_lo"].to_numpy(), sites["lat_hi"].to_numpy(), margin_lat.astype(np.int64)
    )
    lon_lo, lon_hi = _shrunk(
        sites["lon_lo"].to_numpy(), sites["lon_hi"].to_numpy(), margin_lon.astype(np.int64)
    )
    lat_u, lon_u = _place(cfg.rng(FEED, "clean-sites"), lat_lo, lat_hi, lon_lo, lon_hi)
    return (
        sites.with_columns(pl.Series("lat_u", lat_u), pl.Series("lon_u", lon_u))
        .sort("district_code", "commune_code", "lat_u", "lon_u")
        .with_columns(pl.int_range(1, pl.len() + 1).over("district_code").alias("seq"))
        .with_columns(
            pl.format("HD{}-{}", "district_code", pl.col("seq").cast(pl.String).str.zfill(4)).alias(
                "site_id"
            ),
            pl.int_range(pl.len()).alias("site_idx"),
            pl.col("district_code").rank("dense").cast(pl.Int64).sub(1).alias("district_idx"),
        )
    )
