"""The `kho06` command line."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(help="Kho06: the Đề án 06 data warehouse of a province.", no_args_is_help=True)
console = Console(stderr=True)
EXIT_SOME_REFUSED = 3
"""`kho06 run` completed, but some files under the raw folder did not land"""


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


if __name__ == "__main__":
    app()


@app.command()
def run(
    raw: Path = typer.Option(None, "--raw", help="Landing zone (default: $KHO06_RAW_DIR or raw/)."),
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse folder (default: $KHO06_WAREHOUSE_DIR or warehouse/)."
    ),
) -> None:
    """Run the whole pipeline in this process and print a summary of what landed.

    Exit status: 0 when everything under the raw folder landed and the models were built; 3 when the run
    completed but some files did not land (refused, deferred or not deliveries: listed in the summary and in
    landing.load_ledger); 1 when the pipeline itself failed; 2 when the raw folder does not exist."""
    from kho06 import settings as settings_mod
    from kho06.landing.report import bad_files, summary

    settings = settings_mod.apply(raw, warehouse)
    if not settings.raw_dir.is_dir():
        console.print(f"[red]error:[/red] the raw folder {settings.raw_dir} does not exist")
        raise typer.Exit(2)
    from orchestration.run import run_all

    landed: dict = {"rows": [], "bad": [], "reasons": []}

    def read_summary(con) -> None:
        landed["rows"] = summary(con)
        landed["bad"] = bad_files(con, settings.raw_dir)
        landed["reasons"] = con.execute(
            "select table_name, regexp_replace(split_part(reason, ':', 1), '\\s+', ' ') as kind, count(*) "
            "from landing.quarantine group by all order by 3 desc limit 10"
        ).fetchall()

    t0 = time.perf_counter()
    with console.status("running the pipeline: landing the feeds, then building the models ..."):
        result = run_all(settings.raw_dir, after_landing=read_summary)
    elapsed = time.perf_counter() - t0
    rows, bad, reasons = landed["rows"], landed["bad"], landed["reasons"]
    table = Table(title=f"Landed in {settings.duckdb_path}")
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
        console.print(_bad_file_line(r), highlight=False)
    for check in result.failed_checks:
        colour = "red" if check.startswith("error") else "yellow"
        console.print(f"[{colour}]check did not pass[/{colour}] ({check})")
    _print_article_figures(settings.duckdb_path)
    # a landing that loses rows is a fault of the pipeline, not of a delivery
    failed = not result.success or any(c.endswith(" rows_conserved") for c in result.failed_checks)
    console.print(f"pipeline {'[red]FAILED[/red]' if failed else 'finished'} in {elapsed:.1f} s")
    if failed:
        raise typer.Exit(1)
    if bad:
        where = escape(str(settings.raw_dir))
        console.print(
            f"[yellow]completed, but {len(bad):,} file(s) under {where} did not land[/yellow] "
            "(listed above; landing.load_ledger keeps their reasons)"
        )
        raise typer.Exit(EXIT_SOME_REFUSED)


def _bad_file_line(r: dict) -> str:
    """One line of the summary for a file that did not land: what happened to it, where, and why."""
    label = {
        "rejected": "[red]refused[/red]",
        "duplicate": "[red]refused (a duplicate)[/red]",
        "deferred": "[yellow]deferred[/yellow]",
        "ignored": "[yellow]not a delivery[/yellow]",
    }.get(r["status"], r["status"])
    where = f" ({r['table']})" if r["table"] else ""
    return f"{label} {escape(r['file'])}{where}: {escape(r['message'] or '')}"


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


bench_app = typer.Typer(help="Measure speed and memory (medians over repeated runs in child processes).")
app.add_typer(bench_app, name="bench")


def _bench_table(title: str, rows: list[tuple]) -> Table:
    table = Table(title=title)
    for col in ("step", "median s", "runs (s)", "peak MiB (max)"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for step, measures in rows:
        secs = [m.seconds for m in measures]
        table.add_row(
            step,
            f"{_median(secs):.2f}",
            " ".join(f"{s:.1f}" for s in secs),
            f"{max(m.peak_mib for m in measures):,.0f}",
        )
    return table


def duckdb_readonly(path):
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def _median(values):
    from kho06.bench import median

    return median(values)


@bench_app.command("simulate")
def bench_simulate(
    scale: float = typer.Option(1.0, "--scale"),
    seed: int = typer.Option(6, "--seed"),
    repeat: int = typer.Option(3, "--repeat", min=1),
    work: Path = typer.Option(Path("/tmp/kho06-bench"), "--work", help="Scratch folder."),
) -> None:
    """Time `kho06 simulate` and read its peak memory and output size."""
    from kho06.bench import measure

    out = work / "raw"
    runs = []
    for i in range(repeat):
        with console.status(f"simulating at scale {scale} (run {i + 1}/{repeat}) ..."):
            runs.append(measure("simulate", str(out), str(scale), str(seed)))
    console.print(_bench_table(f"kho06 simulate --scale {scale}", [("simulate", runs)]))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = sum(1 for p in out.rglob("*") if p.is_file())
    console.print(f"output: {files:,} files, {size / 2**20:,.0f} MiB in {out}")
    for feed, d in runs[-1].detail.items():
        console.print(
            f"  {feed}: {d['files']:,} files, {d['records']:,} records, {d['bytes'] / 2**20:,.1f} MiB"
        )


@bench_app.command("ingest")
def bench_ingest(
    scale: float = typer.Option(1.0, "--scale"),
    seed: int = typer.Option(6, "--seed"),
    repeat: int = typer.Option(3, "--repeat", min=1),
    work: Path = typer.Option(Path("/tmp/kho06-bench"), "--work", help="Scratch folder."),
) -> None:
    """Landing of every feed (cold) against DuckDB's own CTAS floor, and a nightly run with one new day."""
    import os
    import shutil

    from kho06.bench import measure
    from kho06.landing.feeds import DAILY_CONTRACTS
    from orchestration.run import days_present

    raw = work / "raw"
    if not raw.exists():
        with console.status(f"simulating the feeds at scale {scale} ..."):
            measure("simulate", str(raw), str(scale), str(seed))
    floors, lands, ratios = [], [], []
    for i in range(repeat):
        for db in ("floor.duckdb", "land.duckdb"):
            for path in (work / db, work / f"{db}.wal"):
                path.unlink(missing_ok=True)
        with console.status(f"run {i + 1}/{repeat}: DuckDB floor ..."):
            floors.append(measure("floor", str(raw), str(work / "floor.duckdb")))
        with console.status(f"run {i + 1}/{repeat}: landing ..."):
            lands.append(measure("land", str(raw), str(work / "land.duckdb")))
        ratios.append(lands[-1].seconds / floors[-1].seconds)

    # nightly: everything but the last day is landed; the last day's files arrive; one run lands them
    last = days_present(raw)[1]
    nightly_raw = work / "raw_nightly"
    shutil.rmtree(nightly_raw, ignore_errors=True)
    shutil.copytree(raw, nightly_raw, copy_function=os.link, ignore=shutil.ignore_patterns("_truth"))
    held = [f for c in DAILY_CONTRACTS for f in c.files(nightly_raw) if c.day_of(f) == last]
    for f in held:
        f.rename(f.with_name(f.name + ".held"))
    wh = work / "wh_nightly"
    shutil.rmtree(wh, ignore_errors=True)
    with console.status("nightly: landing everything before the last day (through Dagster) ..."):
        cold = measure("land_dagster", str(nightly_raw), str(wh))
    shutil.copy(wh / "kho06.duckdb", work / "before_last_day.duckdb")
    for f in held:
        f.with_name(f.name + ".held").rename(f)
    nightly = []
    for i in range(repeat):
        (wh / "kho06.duckdb.wal").unlink(missing_ok=True)
        shutil.copy(work / "before_last_day.duckdb", wh / "kho06.duckdb")
        with console.status(f"nightly run {i + 1}/{repeat}: one new day ({last}) ..."):
            nightly.append(measure("land_dagster", str(nightly_raw), str(wh), str(last)))

    console.print(
        _bench_table(
            f"Landing at scale {scale} ({raw})",
            [
                ("DuckDB floor (CTAS read_csv/read_json)", floors),
                ("landing library, cold", lands),
                ("landing through Dagster, cold (all but the last day)", [cold]),
                (f"nightly: one new day ({last}) through Dagster", nightly),
            ],
        )
    )
    console.print(
        f"landing / floor, per run: {' '.join(f'{r:.2f}' for r in ratios)}; median {_median(ratios):.2f}"
    )
    console.print(f"rows landed: {lands[-1].detail}")


@bench_app.command("nightly")
def bench_nightly(
    repeat: int = typer.Option(3, "--repeat", min=1),
    work: Path = typer.Option(
        Path("/tmp/kho06-bench"),
        "--work",
        help="The scratch folder of `kho06 bench ingest` (its raw_nightly/ and before_last_day.duckdb).",
    ),
) -> None:
    """The whole nightly run through Dagster: the models are built over a warehouse holding every day but the
    last, then the `daily_feeds` job lands the last day and builds on it (a fresh process each time)."""
    import os
    import shutil

    from kho06.bench import measure
    from kho06.bench_steps import _dbt
    from kho06.warehouse import PRODUCTION_BUILD_FLAGS
    from orchestration.run import days_present

    raw, before = work / "raw_nightly", work / "before_last_day.duckdb"
    if not (raw.exists() and before.exists()):
        console.print(
            f"[red]{raw} or {before} is missing: run `kho06 bench ingest --work {work}` first[/red]"
        )
        raise typer.Exit(2)
    last = days_present(raw)[1]
    wh = work / "wh_models_nightly"
    shutil.rmtree(wh, ignore_errors=True)
    wh.mkdir(parents=True)
    built = work / "built_before_last_day.duckdb"
    shutil.copy(before, wh / "kho06.duckdb")
    with console.status("building the models over every day but the last ..."):
        _dbt(str(wh / "kho06.duckdb"), str(work / "nightly_build_target"), "build", *PRODUCTION_BUILD_FLAGS)
    shutil.copy(wh / "kho06.duckdb", built)
    # dagster-dbt starts each dbt run from the parse under DBT_TARGET_PATH: here the build's, made with this
    # warehouse's path, as `make setup` makes it for warehouse/ (a parse made with another path is not reused)
    parse_of_this_warehouse = {**os.environ, "DBT_TARGET_PATH": str(work / "nightly_build_target")}
    runs = []
    for i in range(repeat):
        (wh / "kho06.duckdb.wal").unlink(missing_ok=True)
        shutil.copy(built, wh / "kho06.duckdb")
        with console.status(f"nightly run {i + 1}/{repeat}: daily_feeds for {last} ..."):
            runs.append(measure("nightly_dagster", str(raw), str(wh), str(last), env=parse_of_this_warehouse))
    console.print(
        _bench_table(
            f"Nightly run through Dagster ({raw})",
            [(f"daily_feeds for {last}: land the day, build on it", runs)],
        )
    )


@bench_app.command("models")
def bench_models(
    db: Path = typer.Option(..., "--db", help="A warehouse with every feed landed (e.g. after `kho06 run`)."),
    repeat: int = typer.Option(3, "--repeat", min=1),
    work: Path = typer.Option(Path("/tmp/kho06-bench"), "--work", help="Scratch folder."),
) -> None:
    """`dbt build` as production runs it (models, seed, data tests) over a landed warehouse, the same SQL run
    directly in DuckDB, and the nightly build of one day (`tag:daily+` with that day's window: in the environment,
    as Dagster passes it, and as `--vars` for comparison)."""
    import json
    import os
    import shutil

    from kho06.bench import measure
    from kho06.bench_steps import _dbt
    from kho06.warehouse import PRODUCTION_BUILD_FLAGS, daily_window_env

    work.mkdir(parents=True, exist_ok=True)
    copy = work / "models.duckdb"
    build_target, nightly_target = work / "build_target", work / "nightly_target"

    def fresh(seed: bool) -> str:
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        shutil.copy(db, copy)
        if seed:
            _dbt(str(copy), str(work / "seed_target"), "seed")
        return str(copy)

    with duckdb_readonly(db) as con:
        last = con.execute("select max(effective_date) from landing.population_events").fetchone()[0]
    one_day_vars = json.dumps({"min_date": str(last), "max_date": str(last)})
    one_day_env = {**os.environ, **daily_window_env(last, last)}
    nightly_args = ("--select", "tag:daily+", *PRODUCTION_BUILD_FLAGS)

    def nightly_target_from_build() -> str:
        # as dagster-dbt does: each run starts from a copy of the last parse (here the full build's)
        shutil.rmtree(nightly_target, ignore_errors=True)
        nightly_target.mkdir(parents=True)
        shutil.copy(build_target / "partial_parse.msgpack", nightly_target)
        return str(nightly_target)

    builds, direct, nightly, nightly_vars, ratios = [], [], [], [], []
    for i in range(repeat):
        with console.status(f"run {i + 1}/{repeat}: dbt build ..."):
            builds.append(measure("dbt_build", fresh(False), str(build_target), *PRODUCTION_BUILD_FLAGS))
        with console.status(f"run {i + 1}/{repeat}: nightly build of {last} ..."):
            nightly.append(
                measure("dbt_build", str(copy), nightly_target_from_build(), *nightly_args, env=one_day_env)
            )
        # the same with the window as --vars: a change of the command-line vars makes dbt parse everything again
        with console.status(f"run {i + 1}/{repeat}: nightly build of {last}, window as --vars ..."):
            nightly_vars.append(
                measure(
                    "dbt_build", str(copy), nightly_target_from_build(), *nightly_args, "--vars", one_day_vars
                )
            )
        with console.status(f"run {i + 1}/{repeat}: the same SQL directly in DuckDB ..."):
            direct.append(measure("direct_sql", fresh(True), str(build_target)))
        ratios.append(builds[-1].seconds / direct[-1].seconds)
    console.print(
        _bench_table(
            f"Models over {db}",
            [
                ("dbt build (models, seed, data tests)", builds),
                ("the same SQL directly in DuckDB", direct),
                (
                    f"nightly: dbt build tag:daily+ for {last}, window in the environment (as Dagster runs it)",
                    nightly,
                ),
                ("nightly: the same, window as --vars (dbt parses the whole project again)", nightly_vars),
            ],
        )
    )
    console.print(
        f"dbt build / direct SQL, per run: {' '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {_median(ratios):.2f}"
    )
