"""`kho06 bench ...`: speed and memory of the simulator, the landing, the models and the nightly run, medians over
runs in child processes (docs/benchmarks.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kho06.bench.measure import Measure, measure, median
from kho06.bench.pipeline import bench_pipeline, hold_back_last_day, put_back
from kho06.report.cli import bench_report
from kho06.settings import DB_FILENAME

app = typer.Typer(help="Measure speed and memory (medians over repeated runs in child processes).")
console = Console(stderr=True)

WORK = Path("/tmp/kho06-bench")
Scale = Annotated[float, typer.Option("--scale")]
Seed = Annotated[int, typer.Option("--seed")]
Repeat = Annotated[int, typer.Option("--repeat", min=1)]
Work = Annotated[Path, typer.Option("--work", help="Scratch folder.")]


def _last_day(raw: Path) -> date:
    """The last day of the daily files under `raw`."""
    from orchestration.run import days_present

    days = days_present(raw)
    if days is None:
        console.print(f"[red]no daily files under {raw}[/red]")
        raise typer.Exit(2)
    return days[1]


def _table(title: str, rows: list[tuple[str, list[Measure]]]) -> Table:
    table = Table(title=title)
    for col in ("step", "median s", "runs (s)", "peak MiB (max)"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for step, measures in rows:
        secs = [m.seconds for m in measures]
        table.add_row(
            step,
            f"{median(secs):.2f}",
            " ".join(f"{s:.1f}" for s in secs),
            f"{max(m.peak_mib for m in measures):,.0f}",
        )
    return table


@app.command("simulate")
def bench_simulate(scale: Scale = 1.0, seed: Seed = 6, repeat: Repeat = 3, work: Work = WORK) -> None:
    """Time `kho06 simulate` and read its peak memory and output size."""
    out = work / "raw"
    runs = []
    for i in range(repeat):
        with console.status(f"simulating at scale {scale} (run {i + 1}/{repeat}) ..."):
            runs.append(measure("simulate", str(out), str(scale), str(seed)))
    console.print(_table(f"kho06 simulate --scale {scale}", [("simulate", runs)]))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = sum(1 for p in out.rglob("*") if p.is_file())
    console.print(f"output: {files:,} files, {size / 2**20:,.0f} MiB in {out}")
    for feed, d in runs[-1].detail.items():
        console.print(
            f"  {feed}: {d['files']:,} files, {d['records']:,} records, {d['bytes'] / 2**20:,.1f} MiB"
        )


@app.command("ingest")
def bench_ingest(scale: Scale = 1.0, seed: Seed = 6, repeat: Repeat = 3, work: Work = WORK) -> None:
    """Landing of every feed (cold) against DuckDB's own CTAS floor, and a nightly run with one new day."""
    import shutil

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
    nightly_raw = work / "raw_nightly"
    last, held = hold_back_last_day(raw, nightly_raw)
    wh = work / "wh_nightly"
    shutil.rmtree(wh, ignore_errors=True)
    with console.status("nightly: landing everything before the last day (through Dagster) ..."):
        cold = measure("land_dagster", str(nightly_raw), str(wh))
    shutil.copy(wh / DB_FILENAME, work / "before_last_day.duckdb")
    put_back(held, back=True)
    nightly = []
    for i in range(repeat):
        (wh / f"{DB_FILENAME}.wal").unlink(missing_ok=True)
        shutil.copy(work / "before_last_day.duckdb", wh / DB_FILENAME)
        with console.status(f"nightly run {i + 1}/{repeat}: one new day ({last}) ..."):
            nightly.append(measure("land_dagster", str(nightly_raw), str(wh), str(last)))

    console.print(
        _table(
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
        f"landing / floor, per run: {' '.join(f'{r:.2f}' for r in ratios)}; median {median(ratios):.2f}"
    )
    console.print(f"rows landed: {lands[-1].detail}")


@app.command("nightly")
def bench_nightly(
    repeat: Repeat = 3,
    work: Annotated[
        Path,
        typer.Option(
            "--work",
            help="The scratch folder of `kho06 bench ingest` (its raw_nightly/ and before_last_day.duckdb).",
        ),
    ] = WORK,
) -> None:
    """The whole nightly run through Dagster: the models are built over a warehouse holding every day but the
    last, then the `nightly` job lands the last day and builds on it (a fresh process each time)."""
    import os
    import shutil

    from kho06.bench.steps import run_dbt
    from kho06.warehouse import PRODUCTION_BUILD_FLAGS

    raw, before = work / "raw_nightly", work / "before_last_day.duckdb"
    if not (raw.exists() and before.exists()):
        console.print(
            f"[red]{raw} or {before} is missing: run `kho06 bench ingest --work {work}` first[/red]"
        )
        raise typer.Exit(2)
    last = _last_day(raw)
    wh = work / "wh_models_nightly"
    shutil.rmtree(wh, ignore_errors=True)
    wh.mkdir(parents=True)
    built = work / "built_before_last_day.duckdb"
    shutil.copy(before, wh / DB_FILENAME)
    with console.status("building the models over every day but the last ..."):
        run_dbt(str(wh / DB_FILENAME), str(work / "nightly_build_target"), "build", *PRODUCTION_BUILD_FLAGS)
    shutil.copy(wh / DB_FILENAME, built)
    # dagster-dbt starts each dbt run from the parse under DBT_TARGET_PATH: here the build's, made with this
    # warehouse's path, as `make setup` makes it for warehouse/ (a parse made with another path is not reused)
    parse_of_this_warehouse = {**os.environ, "DBT_TARGET_PATH": str(work / "nightly_build_target")}
    runs = []
    for i in range(repeat):
        (wh / f"{DB_FILENAME}.wal").unlink(missing_ok=True)
        shutil.copy(built, wh / DB_FILENAME)
        with console.status(f"nightly run {i + 1}/{repeat}: the nightly job for {last} ..."):
            runs.append(measure("nightly_dagster", str(raw), str(wh), str(last), env=parse_of_this_warehouse))
    console.print(
        _table(
            f"Nightly run through Dagster ({raw})",
            [(f"nightly job for {last}: land the day, build on it", runs)],
        )
    )


@app.command("models")
def bench_models(
    db: Annotated[
        Path, typer.Option("--db", help="A warehouse with every feed landed (e.g. after `kho06 run`).")
    ],
    repeat: Repeat = 3,
    work: Work = WORK,
) -> None:
    """`dbt build` as production runs it (models, seed, data tests) over a landed warehouse, the same SQL run
    directly in DuckDB, and the nightly build of one day (`tag:daily+` with that day's window: in the environment,
    as Dagster passes it, and as `--vars` for comparison)."""
    import json
    import os
    import shutil

    import duckdb

    from kho06.bench.steps import run_dbt, scalar
    from kho06.warehouse import PRODUCTION_BUILD_FLAGS, daily_window_env

    work.mkdir(parents=True, exist_ok=True)
    copy = work / "models.duckdb"
    build_target, nightly_target = work / "build_target", work / "nightly_target"

    def fresh(seed: bool) -> str:
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        shutil.copy(db, copy)
        if seed:
            run_dbt(str(copy), str(work / "seed_target"), "seed")
        return str(copy)

    with duckdb.connect(str(db), read_only=True) as con:
        last = scalar(con, "select max(effective_date) from landing.population_events")
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
        _table(
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
        f"median {median(ratios):.2f}"
    )


app.command("report")(
    bench_report
)  # the report's own benchmark, kept beside the report (kho06/report/cli.py)


@app.command("quality")
def bench_quality(
    db: Annotated[
        Path, typer.Option("--db", help="A built warehouse (after `kho06 run` or `bench models`).")
    ],
    repeat: Repeat = 3,
    work: Work = WORK,
) -> None:
    """The quality stage (every rule through Great Expectations, then dq.* written) against the same rules run as
    plain SQL in DuckDB (the same two queries per rule, the same dq.* writes), on copies of one warehouse."""
    import shutil

    work.mkdir(parents=True, exist_ok=True)
    copy = work / "quality.duckdb"

    def fresh() -> str:
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        shutil.copy(db, copy)
        return str(copy)

    gx_runs, sql_runs, carried_runs, ratios = [], [], [], []
    for i in range(repeat):
        with console.status(f"run {i + 1}/{repeat}: the quality stage (Great Expectations) ..."):
            gx_runs.append(measure("quality", fresh(), "gx"))
        with console.status(f"run {i + 1}/{repeat}: the same rules as plain SQL ..."):
            sql_runs.append(measure("quality", fresh(), "sql"))
        ratios.append(gx_runs[-1].seconds / sql_runs[-1].seconds)
        with console.status(f"run {i + 1}/{repeat}: the quality stage again, nothing changed ..."):
            carried_runs.append(measure("quality", str(copy), "gx", "carry"))
    console.print(
        _table(
            f"Quality stage over {db} ({gx_runs[-1].detail['rules']} rules, "
            f"{gx_runs[-1].detail['failed_records']:,} failing records)",
            [
                ("Great Expectations suites + dq.* (the pipeline's)", gx_runs),
                ("the same rules as plain SQL", sql_runs),
                (
                    f"the stage again, check models unchanged ({carried_runs[-1].detail['carried_models']} carried)",
                    carried_runs,
                ),
            ],
        )
    )
    for label, runs in (("GX", gx_runs), ("SQL", sql_runs), ("unchanged", carried_runs)):
        console.print(f"{label} stage parts (last run): {runs[-1].detail['seconds']}")
    console.print(
        f"quality stage / plain SQL, per run: {' '.join(f'{r:.2f}' for r in ratios)}; median {median(ratios):.2f}"
    )


app.command("pipeline")(
    bench_pipeline
)  # the whole pipeline, `kho06 run` cold and nightly (kho06/bench/pipeline.py)
