"""The steps `kho06 bench` measures, each run in its own process: `python -m kho06.bench_steps STEP ARGS`.

Each prints one JSON line of details as its last output line.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path


def simulate(out: str, scale: str, seed: str) -> dict:
    from kho06.simulator.config import SimConfig
    from kho06.simulator.run import simulate as run

    results = run(SimConfig(out=Path(out), scale=float(scale), seed=int(seed)), overwrite=True)
    return {r.feed: {"files": r.files, "records": r.records, "bytes": r.bytes} for r in results}


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
        counts[c.table] = con.execute(f"select count(*) from {c.table}").fetchone()[0]
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


STEPS = {"simulate": simulate, "floor": floor, "land": land, "land_dagster": land_dagster}

if __name__ == "__main__":
    step, *args = sys.argv[1:]
    print(json.dumps(STEPS[step](*args)))
