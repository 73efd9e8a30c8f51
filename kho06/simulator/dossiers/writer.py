"""The feed's files: the catalogue and the agency register, then month by month one JSON Lines file per day, a
writer thread writing one month while the next is built."""

from __future__ import annotations

import calendar
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.dossiers.agencies import build_agencies
from kho06.simulator.dossiers.catalogue import build_catalogue, catalogue_table
from kho06.simulator.dossiers.defect_plan import DefectPlan, defective_rows
from kho06.simulator.dossiers.defects import plan_defects
from kho06.simulator.dossiers.facts import Facts, simulate_facts
from kho06.simulator.dossiers.layout import AGENCY_FILE, CATALOGUE_FILE, FEED, day_path
from kho06.simulator.dossiers.lines import encode_lines, month_frame
from kho06.simulator.dossiers.pieces import Lookups, lookups
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    out = cfg.feed_dir(FEED)
    days = cfg.days()
    progress.start(len(days))
    cat = build_catalogue(cfg)
    published = catalogue_table(cat)
    agencies = build_agencies(geo)
    nbytes = _write_csv(published, out / CATALOGUE_FILE)
    nbytes += _write_csv(agencies.drop("kind"), out / AGENCY_FILE)
    records = len(published) + len(agencies)

    facts = simulate_facts(cfg, cat, agencies, geo)
    plan = plan_defects(cfg, facts, agencies, truth)
    look = lookups(cfg, cat, published, agencies)
    repeats = _Repeats(plan, look.prefixes, cfg.start)
    for year in sorted({d.year for d in days.astype(date).tolist()}):
        (out / "daily" / str(year)).mkdir(parents=True, exist_ok=True)
    # Months are built here and written by one writer thread, so building and writing overlap.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: list[Future] = []
        for first, last in _months(cfg):
            lo, hi = (
                int(i) for i in np.searchsorted(facts.day, [np.datetime64(first), np.datetime64(last) + 1])
            )
            lines = _month_lines(cfg, facts, lo, hi, look, plan)
            repeats.collect(lines["line"], lo)
            month_days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
            due = {day: repeats.take(day) for day in month_days}
            if len(pending) >= 2:  # at most two months in memory besides the one being built
                written = pending.pop(0).result()
                records, nbytes = records + written[0], nbytes + written[1]
            pending.append(writer.submit(_write_month, out, cfg.start, month_days, lines, due, progress))
        for job in pending:
            written = job.result()
            records, nbytes = records + written[0], nbytes + written[1]
    return FeedResult(FEED, len(days) + 2, records, nbytes)


def _write_csv(frame: pl.DataFrame, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, include_bom=True)
    return path.stat().st_size


def _months(cfg: SimConfig) -> list[tuple[date, date]]:
    out, first = [], cfg.start
    while first <= cfg.end:
        last = min(date(first.year, first.month, calendar.monthrange(first.year, first.month)[1]), cfg.end)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def _month_lines(
    cfg: SimConfig, facts: Facts, lo: int, hi: int, look: Lookups, plan: DefectPlan
) -> pl.DataFrame:
    """day_index and sync-call line of each dossier of the month, in reception order."""
    if hi <= lo:
        return pl.DataFrame(schema={"day_index": pl.Int64, "line": pl.String})
    frame = month_frame(cfg, facts, lo, hi, look)
    lines = encode_lines(frame, look.prefixes)
    touched, defective = defective_rows(frame, plan, lo, hi, look)
    if len(touched):
        lines = lines.scatter(touched, encode_lines(defective, look.prefixes))
    return pl.DataFrame({"day_index": frame["day_index"], "line": lines})


def _write_month(
    out: Path,
    start: date,
    month_days: list[date],
    lines: pl.DataFrame,
    repeats: dict[date, str],
    progress: FeedProgress,
) -> tuple[int, int]:
    """Write one file per day: its dossiers' lines in reception order, then the repeated lines due that day."""
    bounds = np.searchsorted(
        lines["day_index"].to_numpy(),
        np.arange((month_days[0] - start).days, (month_days[-1] - start).days + 2),
    )
    records = nbytes = 0
    for i, day in enumerate(month_days):
        path = out / day_path(day)
        lines["line"][int(bounds[i]) : int(bounds[i + 1])].to_frame().write_csv(
            path, include_header=False, quote_style="never"
        )
        extra = repeats.get(day, "")
        if extra:
            with path.open("ab") as fh:
                fh.write(extra.encode())
        records += int(bounds[i + 1] - bounds[i]) + extra.count("\n")
        nbytes += path.stat().st_size
    progress.advance(len(month_days))
    return records, nbytes


class _Repeats:
    """The duplicate_sync lines: a clean dossier's record sent again in a later day's file."""

    def __init__(self, plan: DefectPlan, prefixes: pl.Series, start: date) -> None:
        repeats = plan.repeats
        self.rows = repeats.rows if repeats else np.zeros(0, dtype=np.int64)
        self.target = repeats.values["target"] if repeats else np.zeros(0, dtype="datetime64[D]")
        self.prefixes = prefixes
        self.start = start
        self.pending: dict[date, list[str]] = {}

    def collect(self, lines: pl.Series, lo: int) -> None:
        """Keep the record JSON of this month's duplicated dossiers until the day that repeats them."""
        sel = np.flatnonzero((self.rows >= lo) & (self.rows < lo + len(lines)))
        width = len(self.prefixes[0])  # every envelope prefix has the same length
        repeated = [line[width:-2] for line in lines.gather(self.rows[sel] - lo).to_list()]
        for record, day in zip(repeated, self.target[sel].astype(date).tolist(), strict=True):
            self.pending.setdefault(day, []).append(record)

    def take(self, day: date) -> str:
        """The repeated lines due on `day` (each ending in a newline), removed from the queue."""
        records = self.pending.pop(day, [])
        prefix = self.prefixes[(day - self.start).days] if records else ""
        return "".join(f"{prefix}{r}]}}\n" for r in records)
