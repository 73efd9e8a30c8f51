"""The feed's files: the snapshot, one CSV per district of residence, and the events, one CSV per day."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from kho06.reference.admin_units import LEGACY_PROVINCE_NAME, Geography
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.population.days import day_number
from kho06.simulator.population.defects import inject_defects
from kho06.simulator.population.layout import (
    DATE_FORMAT,
    EVENT_COLUMNS,
    FEED,
    HH_CODE,
    NATIONALITY,
    RID,
    SNAPSHOT_COLUMNS,
)
from kho06.simulator.population.register import Register, clean_register
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog


def _write(frame: pl.DataFrame, path: Path) -> int:
    frame.write_csv(path, include_bom=True)
    return path.stat().st_size


def write_snapshot(folder: Path, snap: pl.DataFrame, reg: Register, geo: Geography, progress: FeedProgress):
    """One CSV per district of residence at cfg.end; returns files, rows, bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    communes = geo.communes.with_row_index("commune").select(
        pl.col("commune").cast(pl.Int32), "district_name", "commune_name", "commune_code"
    )
    hamlet_names = reg.hamlets["hamlet"]
    formatted = {
        "rid": RID,
        "birth": pl.col("birth").dt.strftime(DATE_FORMAT),
        "updated": pl.col("updated").dt.strftime(DATE_FORMAT),
        "nationality": pl.lit(NATIONALITY),
        "province": pl.lit(LEGACY_PROVINCE_NAME),
        "hh_code": HH_CODE,
    }
    columns = [formatted.get(c, pl.col(c)).alias(label) for c, label in SNAPSHOT_COLUMNS.items()]
    parts = snap.partition_by("district", as_dict=True, maintain_order=True)
    size = rows = 0
    for code in geo.districts["district_code"]:
        part = parts.get((code,), snap.clear())
        out = (
            part.join(communes, on="commune", how="left", maintain_order="left")
            .with_columns(hamlet=hamlet_names.gather(part["hamlet"]))
            .select(columns)
        )
        size += _write(out, folder / f"{code}.csv")
        rows += len(out)
        progress.advance()
    return len(geo.districts), rows, size


def write_events(folder: Path, events: pl.DataFrame, cfg: SimConfig, progress: FeedProgress):
    """One CSV per day of the period, header always present; returns files, rows, bytes.

    The events are rendered as CSV once and the text is cut at day boundaries (no field holds a line break),
    which avoids a CSV writer call per file.
    """
    events = events.sort("day", maintain_order=True)
    out = events.with_columns(day_text=pl.col("day").dt.strftime(DATE_FORMAT)).select(
        *[pl.col(c).alias(label) for c, label in EVENT_COLUMNS.items()]
    )
    header = out.clear().write_csv(include_bom=True).encode()
    body = out.write_csv(include_header=False).encode()
    line_ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == ord("\n")) + 1
    if len(line_ends) != len(out):
        raise RuntimeError("an event field holds a line break")
    days = cfg.days()
    per_day = np.bincount(
        (events["day"].cast(pl.Int32).to_numpy() - day_number(cfg.start)).astype(np.int64),
        minlength=len(days),
    )
    cuts = np.r_[0, line_ends][np.r_[0, np.cumsum(per_day)]]
    size = 0
    for year in np.unique(days.astype("datetime64[Y]")):
        (folder / str(year)).mkdir(parents=True, exist_ok=True)
    for i, day in enumerate(days.astype(object)):
        path = folder / f"{day.year}" / f"{day.isoformat()}.csv"
        path.write_bytes(header + body[cuts[i] : cuts[i + 1]])
        size += len(header) + int(cuts[i + 1] - cuts[i])
        progress.advance()
    return len(days), len(out), size


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    root = cfg.feed_dir(FEED)
    progress.start(len(geo.districts) + len(cfg.days()))
    register = clean_register(cfg, geo)
    snapshot, events = inject_defects(cfg, register, geo, truth)
    snap_files, snap_rows, snap_bytes = write_snapshot(root / "snapshot", snapshot, register, geo, progress)
    event_files, event_rows, event_bytes = write_events(root / "events", events, cfg, progress)
    return FeedResult(FEED, snap_files + event_files, snap_rows + event_rows, snap_bytes + event_bytes)
