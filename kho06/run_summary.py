"""The terminal side of `kho06 run`: the raw folder checked before anything starts, one progress line per step
(dbt's per-node lines and the run's warnings go to a log file), and the summary of what landed — this run's
files next to the warehouse's totals, and every file that did not land, once, with its reason."""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from pathlib import Path
from typing import Self

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kho06.landing.survey import DELIVERY, survey

STEP_NAMES = {
    "dbt_models": "dbt: the snapshot and reference models",
    "dbt_daily": "dbt: the daily facts and what depends on them",
    "quality_stage": "quality stage: every rule (Great Expectations)",
    "admin_units": "reference: administrative units",
    "report__site": "report: the data-quality site",
    "publish__warehouse": "publish: the analysts' warehouse",
}
RUN_STATUSES = ("loaded", "replaced", "unchanged", "rejected", "duplicate", "deferred")


def check_raw_folder(raw_dir: Path) -> str | None:
    """Why the raw folder cannot be run, in one line; None when it holds at least one delivery."""
    if not raw_dir.is_dir():
        return f"the raw folder {raw_dir} does not exist"
    files = survey(raw_dir).files
    if not files:
        return (
            f"the raw folder {raw_dir} holds no files: put the feeds' deliveries there (raw/README.md names "
            f"them) or simulate some with `kho06 simulate --out {raw_dir}`"
        )
    if not any(f.kind == DELIVERY for f in files):
        first = files[0]
        return (
            f"no file under {raw_dir} is a delivery of a feed ({len(files):,} file(s); {first.rel}: "
            f"{first.reason or 'refused by its name'}); raw/README.md names the files each feed delivers"
        )
    return None


def step_name(step_key: str) -> str:
    if step_key in STEP_NAMES:
        return STEP_NAMES[step_key]
    if step_key.startswith("quality_rules_"):
        return f"quality checks: {step_key.removeprefix('quality_rules_')}"
    return step_key.replace("__", "/")


class RunLog:
    """While a run goes: stdout and stderr (dbt's lines, Dagster's and Python's warnings) into
    `<warehouse>/logs/run-<time>.log`; one line per finished step on the terminal, with the time since the run
    started, and the step running now in a status line."""

    def __init__(self, warehouse_dir: Path, console: Console):
        logs = warehouse_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.path = logs / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
        self.console = Console(file=console.file, stderr=False, force_terminal=console.is_terminal)
        self._stack = contextlib.ExitStack()
        self.t0 = time.time()

    def __enter__(self) -> Self:
        self.console.print(f"running the pipeline; log: {self.path}")
        self.status = self._stack.enter_context(self.console.status("starting ..."))
        out = self._stack.enter_context(self.path.open("w", encoding="utf-8", buffering=1))
        self._stack.enter_context(contextlib.redirect_stdout(out))
        self._stack.enter_context(contextlib.redirect_stderr(out))
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def step(self, step) -> None:
        name = step_name(step.step)
        if step.status == "running":
            self.status.update(f"{name} ...")
            return
        colour = {"success": "green", "failure": "red", "skipped": "yellow"}.get(step.status, "white")
        self.console.print(
            f"{step.ended - self.t0:7.1f} s  [{colour}]{step.status:<7}[/{colour}] {escape(name)} "
            f"({step.seconds:.1f} s)",
            highlight=False,
        )


def print_landed(console: Console, settings, run_files: dict[str, int]) -> int:
    """The landing summary; returns how many files under the raw folder did not land."""
    from kho06.landing.ledger_summary import bad_files, summary

    try:
        with duckdb.connect(str(settings.duckdb_path), read_only=True) as con:
            rows = summary(con)
            bad = bad_files(con, settings.raw_dir)
            reasons = con.execute(
                "select table_name, regexp_replace(split_part(reason, ':', 1), '\\s+', ' ') as kind, count(*) "
                "from landing.quarantine group by all order by 3 desc limit 10"
            ).fetchall()
    except duckdb.Error as exc:
        console.print(f"[red]the landing summary cannot be read:[/red] {escape(str(exc).splitlines()[0])}")
        return 0
    shown = {s: run_files.get(s, 0) for s in RUN_STATUSES if run_files.get(s)}
    console.print(
        "This run's files: "
        + (", ".join(f"{n:,} {s}" for s, n in shown.items()) if shown else "none looked at (no landing)")
    )
    table = Table(title=f"The warehouse's totals ({settings.duckdb_path})")
    for col in ("table", "files", "rows read", "landed", "quarantined", "files refused"):
        table.add_column(col, justify="left" if col == "table" else "right")
    for name, files, read, n_landed, held, n_refused in rows:
        table.add_row(name, f"{files:,}", f"{read:,}", f"{n_landed:,}", f"{held:,}", f"{n_refused:,}")
    console.print(table)
    if reasons:
        console.print(
            "Most frequent quarantine reasons: " + "; ".join(f"{t} {k} ({n:,})" for t, k, n in reasons)
        )
    for r in bad:
        console.print(bad_file_line(r), highlight=False)
    return len(bad)


def bad_file_line(r: dict) -> str:
    """One line of the summary for a file that did not land: what happened to it, where, and why."""
    label = {
        "rejected": "[red]refused[/red]",
        "duplicate": "[red]refused (a duplicate)[/red]",
        "deferred": "[yellow]deferred[/yellow]",
        "ignored": "[yellow]not a delivery[/yellow]",
    }.get(r["status"], r["status"])
    where = f" ({r['table']})" if r["table"] else ""
    return f"{label} {escape(r['file'])}{where}: {escape(r['message'] or '')}"
