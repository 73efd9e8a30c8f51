"""The `kho06` command line: the user verbs (`simulate`, `run`) here, each group of sub-commands in its own module
(`COMMAND_GROUPS`, e.g. `kho06 bench ...` in kho06/bench/cli.py)."""

from __future__ import annotations

import atexit
import importlib
import os
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kho06.quality.summary import is_rule_check, print_quality_summary
from kho06.report.cli import report, report_line

app = typer.Typer(help="Kho06: the Đề án 06 data warehouse of a province.", no_args_is_help=True)
console = Console(stderr=True)
app.command()(report)

COMMAND_GROUPS = {
    "bench": "kho06.bench.cli",
    "dq": "kho06.quality.cli",
}
"""Sub-commands kept in their own modules (each a `typer.Typer` named `app`): one line each."""
EXIT_SOME_REFUSED = 3
"""`kho06 run` completed, but some files under the raw folder did not land"""
EXIT_BUSY = 4
"""`kho06 run` did not start: another run is writing the warehouse"""


@app.callback()
def _stoppable() -> None:
    # A command started in the background by a shell without job control (`kho06 run &`, `nohup … &`) inherits
    # SIGINT ignored; Dagster then maps SIGTERM to SIGINT's disposition while it runs, so the run, and every
    # process it starts (dbt, a report server), would ignore `kill` as well. The defaults are put back: SIGINT
    # interrupts, SIGTERM stops.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGTERM) == signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _date(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d")


@app.command()
def simulate(
    out: Path = typer.Option(Path("raw"), "--out", help="Folder to write the feeds into."),
    scale: float = typer.Option(
        0.01, "--scale", min=0.0001, help="1.0 = the real province; tests use 0.001–0.01."
    ),
    seed: int = typer.Option(
        6, "--seed", help="Random seed: the same seed and arguments give the same bytes."
    ),
    start: str = typer.Option(
        "2021-01-01", "--start", help="First day of the simulated period (YYYY-MM-DD)."
    ),
    end: str = typer.Option("2023-12-31", "--end", help="Last day of the simulated period (YYYY-MM-DD)."),
    defect_rate: float = typer.Option(
        0.01, "--defect-rate", min=0.0, max=0.1, help="Share of records each defect class touches."
    ),
    feed: list[str] = typer.Option(None, "--feed", help="Only this feed (repeatable); default: all four."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace feeds already in --out."),
) -> None:
    """Write the four raw feeds of a simulated province, with recorded defects, into --out."""
    from kho06.simulator.config import SimConfig
    from kho06.simulator.run import FEEDS, OutputNotEmpty
    from kho06.simulator.run import simulate as run_simulation

    try:
        cfg = SimConfig(out, scale, seed, _date(start).date(), _date(end).date(), defect_rate)
    except ValueError as exc:
        raise typer.BadParameter(f"dates must be YYYY-MM-DD: {exc}") from exc
    if cfg.end < cfg.start:
        raise typer.BadParameter(f"--end {end} is before --start {start}")
    t0 = time.perf_counter()
    try:
        results = run_simulation(cfg, feeds=feed or tuple(FEEDS), show_progress=True, overwrite=overwrite)
    except (OutputNotEmpty, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table(title=f"Simulated feeds in {out} (scale {scale}, seed {seed})")
    for col in ("feed", "files", "records", "MB"):
        table.add_column(col, justify="right" if col != "feed" else "left")
    for r in results:
        table.add_row(r.feed, f"{r.files:,}", f"{r.records:,}", f"{r.bytes / 1e6:,.1f}")
    console.print(table)
    console.print(
        f"done in {time.perf_counter() - t0:.1f} s; defects recorded in {out / '_truth' / 'defects.csv'}"
    )


@app.command()
def run(
    raw: Path = typer.Option(None, "--raw", help="Landing zone (default: $KHO06_RAW_DIR or raw/)."),
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse folder (default: $KHO06_WAREHOUSE_DIR or warehouse/)."
    ),
    day: str = typer.Option(
        None, "--day", help="One night: the nightly job for this day (YYYY-MM-DD), as the schedule runs it."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="If another run is writing the warehouse, wait for it instead of stopping."
    ),
) -> None:
    """Run the pipeline (the `nightly` job) in this process and print a summary of what landed.

    Exit status: 0 when everything under the raw folder landed and the models were built; 3 when the run
    completed but some files did not land (refused, deferred or not deliveries: listed in the summary and in
    landing.load_ledger); 1 when the pipeline itself failed; 2 when the raw folder does not exist or holds no
    delivery; 4 when another run is writing the warehouse (`--wait` waits for it)."""
    from kho06 import settings as settings_mod
    from kho06.run_summary import check_raw_folder
    from orchestration.run_lock import WarehouseBusy, warehouse_lock

    settings = settings_mod.apply(raw, warehouse)
    problem = check_raw_folder(settings.raw_dir)
    if problem:
        console.print(f"[red]error:[/red] {escape(problem)}", soft_wrap=True)
        raise typer.Exit(2)
    night = _date(day).date() if day else None
    try:
        with warehouse_lock("kho06 run", wait_seconds=24 * 3600 if wait else 0, on_wait=console.print):
            _run(settings, night)
    except WarehouseBusy as busy:
        console.print(f"[yellow]{escape(str(busy))}[/yellow] (or run with --wait)", soft_wrap=True)
        raise typer.Exit(EXIT_BUSY) from None


def _run(settings, night) -> None:
    from kho06.run_summary import RunLog, print_landed
    from orchestration.run import run_all

    with RunLog(settings.warehouse_dir, console) as log:
        days = (night, night) if night else None
        result = run_all(settings.raw_dir, days=days, on_step=log.step, mode="day" if night else "full")
    not_landed = print_landed(console, settings, result.files)
    for check in result.failed_checks:
        if is_rule_check(check):
            continue  # the quality rules are summarised below
        colour = "red" if check.startswith("error") else "yellow"
        console.print(f"[{colour}]check did not pass[/{colour}] {escape(_check_in_words(check))}")
    print_quality_summary(console, settings.duckdb_path)
    _print_article_figures(settings.duckdb_path)
    # a landing that loses rows is a fault of the pipeline, not of a delivery
    failed = not result.success or any(c.endswith(" rows_conserved") for c in result.failed_checks)
    console.print(f"pipeline {'[red]FAILED[/red]' if failed else 'finished'} in {time.time() - log.t0:.1f} s")
    console.print(f"log of this run (dbt's lines, warnings): {log.path}")
    console.print(report_line(settings.warehouse_dir))
    fresh = any(s.step == "publish__warehouse" and s.status == "success" for s in result.steps)
    console.print(f"warehouse for analysts{'' if fresh else ' (not replaced)'}: {settings.published_path}")
    for error in result.errors:
        console.print(f"[red]step failed[/red] {escape(error)}", soft_wrap=True)
    if failed:
        raise typer.Exit(1)
    if not_landed:
        where = escape(str(settings.raw_dir))
        console.print(
            f"[yellow]completed, but {not_landed:,} file(s) under {where} did not land[/yellow] "
            "(listed above; landing.load_ledger keeps their reasons)"
        )
        raise typer.Exit(EXIT_SOME_REFUSED)


def _check_in_words(check: str) -> str:
    """`warn: marts/dim_x accepted_values_...` as the test says it in words."""
    from orchestration.defs.transform.test_names import in_words

    severity, _, rest = check.partition(": ")
    asset, _, name = rest.rpartition(" ")
    words = in_words(name)
    return f"({severity}) {asset}: {words}" if words else f"({check})"


def _print_article_figures(db) -> None:
    """The programme's figures as computed by this build, beside their published targets."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select indicator_id, value, target, unit, matches from marts.kpi_article_figures order by feed, 1"
            ).fetchall()
    except duckdb.Error:
        return
    table = Table(title="Đề án 06 figures computed from the rows")
    for col in ("indicator", "value", "target", "unit", "matches"):
        table.add_column(col, justify="left" if col in ("indicator", "unit") else "right")
    for indicator, value, target, unit, matches in rows:
        shown = "—" if value is None else f"{value:,.1f}" if unit == "percent" else f"{value:,.0f}"
        table.add_row(
            indicator,
            shown,
            f"{target:,.1f}" if unit == "percent" else f"{target:,.0f}",
            unit,
            "[green]yes[/green]" if matches else "[red]no[/red]",
        )
    console.print(table)


for _name, _module in COMMAND_GROUPS.items():
    app.add_typer(importlib.import_module(_module).app, name=_name)


def main() -> None:
    """The `kho06` command: the app, then an exit without the interpreter's teardown.

    With Dagster, dbt's contracts and Great Expectations imported, Python takes more than a second after the
    command has finished to free every module and object one by one, while the shell waits. Once the command
    has ended (any exit status; an exception not handled propagates as usual, with its traceback), the threads
    still working are waited for, the exit handlers run (log files flushed and closed) and the output is
    flushed, then the process ends with the command's status: nothing the command wrote is left unwritten, and
    the warehouse files were closed by the code that opened them.
    """
    try:
        app()
        code = 0
    except SystemExit as ended:
        if isinstance(ended.code, int) or ended.code is None:
            code = ended.code or 0
        else:  # as the interpreter treats `sys.exit("message")`
            print(ended.code, file=sys.stderr)
            code = 1
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
