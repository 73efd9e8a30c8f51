"""How each BTS defect class changes the cells or the site register: fields set at its rows, or rows added with
keys of their own. Each returns the records it touched (`Injected`)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from kho06.simulator.bts.cells import cell_id, jitter
from kho06.simulator.bts.layout import (
    DAY_S,
    INSPECTION_VALID_DAYS,
    JITTER_M,
    MCC,
    STALE_MIN_DAYS,
    as_of_day,
    as_of_unix,
    cell_key,
)
from kho06.simulator.bts.vocabularies import ABBREVIATIONS
from kho06.simulator.edits import FrameEdits
from kho06.simulator.truth import Injected


class BtsEdits(FrameEdits):
    def __init__(self, frame: pl.DataFrame, as_of: int) -> None:
        super().__init__(frame)
        self.as_of = as_of  # the feed's as-of instant (Unix seconds)

    def keys(self, pos: np.ndarray) -> pl.Series:
        """The cell keys of rows `pos` as they stand now."""
        return self.frame[pos].select(cell_key())["key"]


def _set_keeping_key(edits: BtsEdits, pos: np.ndarray, what: pl.Series, **columns) -> Injected:
    """Set fields of the key itself: the record is logged under its key as written, the detail names the key it
    had."""
    was = edits.keys(pos)
    edits.set(pos, **columns)
    return Injected(edits.keys(pos), what + " (was " + was + ")")


def coordinates_outside(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    cells = edits.frame
    kind = rng.integers(0, 3, len(pos))
    lat = cells["lat_u"].to_numpy()[pos]
    lon = cells["lon_u"].to_numpy()[pos]
    shift = rng.choice([-1, 1], len(pos)) * rng.integers(1_000_000, 5_000_000, len(pos))
    new_lat = np.select([kind == 0, kind == 1], [lon, 0], lat + shift)
    new_lon = np.select([kind == 0, kind == 1], [lat, 0], lon)
    detail = np.select(
        [kind == 0, kind == 1],
        ["lat/lon swapped", "position 0,0"],
        np.char.add("latitude moved by ", np.char.add((shift / 1e6).round(3).astype(str), " degrees")),
    )
    injected = Injected(edits.keys(pos), detail)
    edits.set(pos, lat_u=new_lat, lon_u=new_lon)
    return injected


def invalid_network(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    kind = rng.integers(0, 3, len(pos))
    mcc = np.where(kind == 0, 450, MCC)
    net = np.select([kind == 1, kind == 2], [3, 99], edits.frame["net"].to_numpy()[pos])
    what = pl.Series(np.where(kind == 0, "mcc 450", np.char.add("net ", net.astype(str))))
    return _set_keeping_key(edits, pos, what, mcc=mcc, net=net)


def missing_fields(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    cells = edits.frame
    no_area = rng.random(len(pos)) < 0.5
    what = pl.Series(np.where(no_area, "area empty", "range empty"))
    return _set_keeping_key(
        edits,
        pos,
        what,
        area=pl.Series(cells["area"].to_numpy()[pos]).scatter(np.flatnonzero(no_area), None),
        range=pl.Series(cells["range"].to_numpy()[pos]).scatter(np.flatnonzero(~no_area), None),
    )


def duplicates(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    cells = edits.frame
    exact = rng.random(len(pos)) < 0.5
    samples = cells["samples"].to_numpy()[pos]
    new_samples = np.where(exact, samples, samples + rng.integers(1, 60, len(pos)))
    detail = pl.DataFrame({"exact": exact, "old": samples, "new": new_samples}).select(
        pl.when("exact").then(pl.lit("exact copy")).otherwise(pl.format("samples {} -> {}", "old", "new"))
    )
    injected = Injected(edits.keys(pos), detail.to_series())
    edits.add(cells[pos].with_columns(pl.Series("samples", new_samples)))
    return injected


def _dates(seconds: np.ndarray) -> pl.Series:
    return pl.Series(seconds).cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%d")


def stale(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    """Decommissioned cells: a base-station id of their own (above the operator's highest), last updated >= 3
    years before the as-of date."""
    cells, as_of = edits.frame, edits.as_of
    n = len(pos)
    top = cells.group_by("net", "radio", "rnc").agg(pl.col("bs_local").max().alias("top"))
    updated = as_of - rng.integers((STALE_MIN_DAYS + 1) * DAY_S, 6 * 365 * DAY_S, n)
    created = updated - rng.integers(365 * DAY_S, 4 * 365 * DAY_S, n)
    dlat, dlon = jitter(rng, cells["lat_u"].to_numpy()[pos], JITTER_M / 2)
    rows = (
        cells[pos]
        .with_row_index("_i")
        .join(top, on=["net", "radio", "rnc"])
        .sort("_i")
        .with_columns(
            (pl.col("top") + pl.int_range(1, pl.len() + 1).over("net", "radio", "rnc")).alias("bs_local"),
            pl.lit(1).alias("lcid"),
        )
        .with_columns(
            cell_id(),
            (pl.col("lat_u") + pl.Series(dlat)).alias("lat_u"),
            (pl.col("lon_u") + pl.Series(dlon)).alias("lon_u"),
            pl.Series("created", created),
            pl.Series("updated", updated),
            pl.Series("samples", rng.integers(1, 8, n)),
        )
        .drop("_i", "top")
    )
    edits.add(rows)
    return Injected(rows.select(cell_key())["key"], "last updated " + _dates(updated))


def nr_cells(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    """5G NR cells dated before commercial 5G service (2024): 36-bit NCI = gNB (24 bits) * 4096 + cell id."""
    as_of = edits.as_of
    n = len(pos)
    gnb = rng.choice(1 << 24, n, replace=False)
    updated = np.minimum(as_of - rng.integers(30 * DAY_S, 700 * DAY_S, n), as_of_unix(date(2023, 12, 31)) - 1)
    rows = edits.frame[pos].with_columns(
        pl.lit("NR").alias("radio"),
        pl.when(pl.col("net").is_in([5, 7])).then(4).otherwise(pl.col("net")).alias("net"),
        pl.Series("cell", gnb * 4096 + rng.integers(1, 4, n)),
        pl.Series("unit", rng.integers(0, 1008, n)),
        pl.Series("created", updated - rng.integers(DAY_S, 60 * DAY_S, n)),
        pl.Series("updated", updated),
        pl.Series("samples", rng.integers(1, 20, n)),
        pl.lit(0).alias("averageSignal"),
    )
    edits.add(rows)
    return Injected(rows.select(cell_key())["key"], "NR cell updated " + _dates(updated))


def expired_inspection(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    """Ngày kiểm định older than the inspection's validity (the driver picks sites permitted long enough ago)."""
    inspected = as_of_day(edits.as_of) - rng.integers(INSPECTION_VALID_DAYS + 15, 5 * 365, len(pos))
    days = inspected.astype("datetime64[D]")
    injected = Injected(edits.frame["site_id"][pos], "inspected " + pl.Series(days).dt.strftime("%Y-%m-%d"))
    edits.set(pos, inspected=days)
    return injected


def missing_permit(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    edits.set(pos, permit_no=[None] * len(pos), permit_date=[None] * len(pos))
    return Injected(edits.frame["site_id"][pos], "permit number and date empty")


def _variant(address: pl.Expr, nfd: pl.Expr) -> pl.Expr:
    abbreviated = address
    for long, short in ABBREVIATIONS:
        abbreviated = abbreviated.str.replace_all(long, short, literal=True)
    return pl.when(nfd).then(address.str.normalize("NFD")).otherwise(abbreviated)


def duplicate_sites(rng: np.random.Generator, edits: BtsEdits, pos: np.ndarray) -> Injected:
    """The site entered twice: a new id (next number in its district), the address spelt differently."""
    register = edits.frame
    nfd = rng.random(len(pos)) < 0.5
    top = (
        register.select(
            pl.col("site_id").str.slice(0, 5).alias("district"),
            pl.col("site_id").str.slice(6).cast(pl.Int64).alias("seq"),
        )
        .group_by("district")
        .agg(pl.col("seq").max().alias("top"))
    )
    dup = (
        register[pos]
        .with_columns(
            pl.Series("nfd", nfd),
            pl.col("site_id").alias("original"),
            pl.col("site_id").str.slice(0, 5).alias("district"),
        )
        .with_row_index("_i")
        .join(top, on="district")
        .sort("_i")
        .with_columns(
            pl.format(
                "{}-{}",
                "district",
                (pl.col("top") + pl.int_range(1, pl.len() + 1).over("district")).cast(pl.String).str.zfill(4),
            ).alias("site_id"),
            _variant(pl.col("address"), pl.col("nfd")).alias("address"),
        )
    )
    kind = pl.when("nfd").then(pl.lit("NFD")).otherwise(pl.lit("abbreviated"))
    detail = dup.select(pl.format("duplicate of {} ({})", "original", kind)).to_series()
    edits.add(dup.drop("_i", "nfd", "original", "district", "top"))
    return Injected(dup["site_id"], detail)
