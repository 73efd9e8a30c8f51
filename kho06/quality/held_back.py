"""What dbt did not build in a run, and why: dq.held_back.

The dbt assets record, after each dbt invocation, every node that did not succeed (an error, a failing
error-level test, a model skipped because a test or model it depends on failed); the quality stage and the run
summary read them for the run.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from kho06.quality import schema

DDL = f"""
create table if not exists {schema.SCHEMA}.held_back (
    run_id        varchar not null,
    recorded_at   timestamp not null,
    node          varchar not null,   -- the dbt node, e.g. model.kho06.fct_cells
    resource_type varchar not null,
    status        varchar not null,   -- error | fail | skipped
    reason        varchar
);
"""
NOT_BUILT = ("error", "fail", "skipped", "runtime error")


def record(duckdb_path: Path, run_id: str, run_results: dict) -> list[dict]:
    """Write the nodes of one dbt invocation's run_results.json that did not succeed; returns them."""
    rows = []
    for result in run_results.get("results", []):
        status = str(result.get("status", "")).lower()
        if status not in NOT_BUILT:
            continue
        node = result.get("unique_id", "")
        lines = [line.strip() for line in (result.get("message") or "").splitlines() if line.strip()]
        message = " — ".join(lines[:2])[:300] or None
        rows.append(
            {"node": node, "resource_type": node.split(".", 1)[0], "status": status, "reason": message}
        )
    if not rows:
        return rows
    with duckdb.connect(str(duckdb_path)) as con:
        schema.ensure(con)
        con.execute(DDL)
        con.executemany(
            f"insert into {schema.SCHEMA}.held_back values (?, ?, ?, ?, ?, ?)",
            [[run_id, datetime.now(), r["node"], r["resource_type"], r["status"], r["reason"]] for r in rows],
        )
    return rows


def held_back_nodes(duckdb_path: Path, run_id: str) -> list[dict]:
    """The models and seeds of the run that were not built, each with its reason."""
    with duckdb.connect(str(duckdb_path)) as con:
        schema.ensure(con)
        con.execute(DDL)
        rows = con.execute(
            f"select node, status, reason from {schema.SCHEMA}.held_back "
            "where run_id = ? and resource_type in ('model', 'seed', 'snapshot') order by node",
            [run_id],
        ).fetchall()
    return [{"node": n, "status": s, "reason": r} for n, s, r in rows]


def as_json(nodes: list[dict]) -> str:
    return json.dumps(nodes, ensure_ascii=False)
