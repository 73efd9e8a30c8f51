"""What the BTS feed writes (docs/contracts/bts.md) and the figures it is built to: file names and columns, the
feed's counts and distances, its as-of instant, positions as integer micro-degrees."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

FEED = "bts"
MCC = 452
CELL_COLUMNS = [
    "radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples", "changeable",
    "created", "updated", "averageSignal",
]  # fmt: skip
CELLS_FILE = "cells/cell_towers_452.csv"
SITES_FILE = "sites/so_dang_ky_vi_tri_tram.csv"
PROVINCE = "Tỉnh Hải Dương"

TOTAL_SITES = 1582
TOTAL_STATIONS = 3240
LINK_RADIUS_M = 50  # a station belongs to the register site within this distance of its cells
MIN_SITE_GAP_M = 210  # sites are drawn this far apart (the contract promises >= 200 m)
JITTER_M = 25  # cells lie within this distance of their site (the contract promises <= 30 m)
SITES_PER_KM2 = 4.0  # upper bound of site density used to cap a commune's share
LIVE_DAYS = 365
STALE_MIN_DAYS = 3 * 365
INSPECTION_VALID_DAYS = 3 * 365
UPDATED_WITHIN_DAYS = 150
UTC_OFFSET_S = 7 * 3600
DAY_S = 86_400

M_PER_UDEG_LAT = 0.110574  # metres per micro-degree of latitude
M_PER_UDEG_LON_EQ = 0.111320  # metres per micro-degree of longitude at the equator


def as_of_unix(end: date) -> int:
    """Unix seconds of the start of the day after `end`, Vietnam time (UTC+7): the feed's as-of instant."""
    return int((np.datetime64(end, "D") + 1).astype("datetime64[s]").astype(np.int64)) - UTC_OFFSET_S


def as_of_day(as_of: int) -> int:
    """The as-of instant's day number (days since 1970-01-01, Vietnam time)."""
    return (as_of + UTC_OFFSET_S) // DAY_S


def cell_key() -> pl.Expr:
    """The cell's own key, `<radio>:<mcc>:<net>:<area>:<cell>` (an empty field stays empty)."""
    return pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in ("radio", "mcc", "net", "area", "cell")],
        separator=":",
    ).alias("key")
