"""The steps `kho06 bench` measures, each run in its own process: `python -m kho06.bench.steps STEP ARGS`.

Each prints one JSON line of details as its last output line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path


def simulate(out: str, scale: str, seed: str) -> dict:
    from kho06.simulator.config import SimConfig
    from kho06.simulator.run import simulate as run

    results = run(SimConfig(out=Path(out), scale=float(scale), seed=int(seed)), overwrite=True)
    return {r.feed: {"files": r.files, "records": r.records, "bytes": r.bytes} for r in results}


def scalar(con, sql: str):
    """The one value a query returns."""
    row = con.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"no row from: {sql}")
    return row[0]


def floor(raw: str, db: str) -> dict:
    """DuckDB alone: CREATE TABLE ... AS FROM read_csv/read_json over the same files (workbooks excluded)."""
    import duckdb

    from kho06.landing.feeds import CONTRACTS

    con = duckdb.connect(db)
    counts = {}
    for c in CONTRACTS:
        files = [str(f) for f in c.files(Path(raw))]
        if not files or c.fmt == "xlsx":
            continue
        reader = {
            "csv": "read_csv({files}, header = true)",
            "csv_noheader": "read_csv({files}, header = false)",
            "jsonl": "read_json({files}, format = 'newline_delimited')",
        }[c.fmt].format(files=files)
        con.execute(f"create or replace table {c.table} as from {reader}")
        counts[c.table] = scalar(con, f"select count(*) from {c.table}")
    return counts


def land(raw: str, db: str) -> dict:
    """The landing library alone (no Dagster): every contract, cold."""
    import duckdb

    from kho06.landing.feeds import CONTRACTS
    from kho06.landing.loader import land as land_table

    con = duckdb.connect(db)
    out = {}
    for c in CONTRACTS:
        outcomes = land_table(con, c, Path(raw))
        out[c.table] = {
            "files": len(outcomes),
            "landed": sum(o.rows_landed for o in outcomes),
            "quarantined": sum(o.rows_quarantined for o in outcomes),
        }
    return out


def land_dagster(raw: str, warehouse: str, day: str = "") -> dict:
    """The landing assets through Dagster in process, as `kho06 run` does (all days, or one day)."""
    from kho06 import settings

    settings.apply(Path(raw), Path(warehouse))
    from orchestration.run import run_all

    days = (date.fromisoformat(day), date.fromisoformat(day)) if day else None
    result = run_all(Path(raw), days=days, build_models=False)
    if not result.success:
        raise SystemExit("the landing run failed")
    return {"failed_checks": result.failed_checks, "days": [str(d) for d in result.days or ()]}


def run_dbt(db: str, target: str, *args: str) -> None:
    """dbt of this environment over the warehouse `db`, its artefacts and logs under `target`."""
    import os
    import subprocess

    from kho06.settings import PROJECT_ROOT

    dbt = str(Path(sys.executable).parent / "dbt")
    env = {**os.environ, "KHO06_DUCKDB_PATH": db}
    subprocess.run(
        [dbt, *args, "--target-path", target, "--log-path", target + "/logs", "--quiet"],
        cwd=PROJECT_ROOT / "dbt_project",
        env=env,
        check=True,
    )


def dbt_build(db: str, target: str, *args: str) -> dict:
    """`dbt build` over a landed warehouse (extra args passed on), keeping the executed SQL under <target>/run."""
    run_dbt(db, target, "build", *args)
    run = json.loads(Path(target, "run_results.json").read_text())
    return {"nodes": len(run["results"]), "dbt_elapsed_s": run.get("elapsed_time")}


def direct_sql(db: str, target: str) -> dict:
    """The SQL a `dbt build` executed (models and data tests; the seed is loaded beforehand), replayed directly in
    DuckDB in the order dbt completed it."""
    import duckdb

    from kho06.warehouse.dbt_plugin import Plugin

    results = json.loads(Path(target, "run_results.json").read_text())["results"]
    con = duckdb.connect(db)
    Plugin("kho06", {}).configure_connection(con)
    run_dir = Path(target) / "run" / "kho06"
    for schema in ("staging", "intermediate", "marts"):
        con.execute(f"create schema if not exists {schema}")
    nodes = json.loads(Path(target, "manifest.json").read_text())["nodes"]
    counts = {"model": 0, "test": 0}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        if kind not in counts:
            continue
        node = nodes[r["unique_id"]]
        path = run_dir / node["original_file_path"]
        if path.suffix != ".sql":  # a generic test: its SQL sits in a folder named after the YAML file
            path = path / Path(node["path"]).name
        sql = path.read_text()
        if kind == "model":
            # dbt builds into <name>__dbt_tmp and renames it: here the final relation is created directly
            con.execute(sql.replace("__dbt_tmp", ""))
        else:
            con.execute(sql).fetchall()
        counts[kind] += 1
    return counts


def nightly_dagster(raw: str, warehouse: str, day: str) -> dict:
    """The nightly job as the schedule starts it, for one day, in process."""
    from kho06 import settings

    settings.apply(Path(raw), Path(warehouse))
    from orchestration.run import run_night

    result = run_night(day, raw_dir=Path(raw))
    if not result.success:
        raise SystemExit(f"the nightly run of {day} failed")
    return {"steps": sorted(s.step for s in result.steps if s.status == "success")}


def report_build(db: str, out: str, full: str = "") -> dict:
    """The report's site rendered from a warehouse (read-only): every page when `full`, else what is new."""
    from kho06.report import build_site

    built = build_site(Path(db), Path(out), full=bool(full))
    return {"pages": built.pages, "rendered": built.rendered, "bytes": built.bytes, "seconds": built.seconds}


def quality(db: str, validator: str, carry: str = "") -> dict:
    """The quality stage over a built warehouse: its rules validated by Great Expectations (`gx`, as the
    pipeline runs them) or as the same queries in plain DuckDB (`sql`), the run's rows of dq.* written. Every rule
    is evaluated, unless `carry`: then the rules of check models unchanged since the warehouse's last run take
    that run's results, as a night without new deliveries does."""
    from datetime import datetime

    from kho06.quality import plain_sql, stage, suites

    validate = {"gx": suites.validate, "sql": plain_sql.validate}[validator]
    result = stage.run(
        Path(db),
        f"bench-{validator}-{datetime.now():%H%M%S%f}",
        datetime.now(),
        validate=validate,
        carry=bool(carry),
    )
    return {
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
        "rules": len(result.rules),
        "failing": len(result.failing),
        "not_evaluated": len(result.not_evaluated),
        "failed_records": sum(r.failed or 0 for r in result.rules),
        "carried_models": len(result.carried_models),
    }


STEPS: dict[str, Callable[..., dict]] = {
    "simulate": simulate,
    "floor": floor,
    "land": land,
    "land_dagster": land_dagster,
    "dbt_build": dbt_build,
    "direct_sql": direct_sql,
    "nightly_dagster": nightly_dagster,
    "report_build": report_build,
    "quality": quality,
}

if __name__ == "__main__":
    step, *args = sys.argv[1:]
    print(json.dumps(STEPS[step](*args)))
