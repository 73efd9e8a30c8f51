"""What the ledger says: conservation failures, refused files, files that are not deliveries, a per-table summary."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from kho06.landing.ledger import REFUSED, SCHEMA

_REFUSED_SQL = ", ".join(f"'{s}'" for s in REFUSED)


def conservation_failures(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    """Current files whose counted rows differ from the rows actually in the landing and quarantine tables."""
    rows = con.execute(
        f"""
        with landed as (select _source_file as source_file, count(*) as n from {SCHEMA}.{table} group by 1),
        held as (select source_file, count(*) as n from {SCHEMA}.quarantine where table_name = ? group by 1)
        select l.source_file, l.rows_read, coalesce(landed.n, 0), coalesce(held.n, 0)
        from {SCHEMA}.load_ledger l
        left join landed using (source_file) left join held using (source_file)
        where l.table_name = ? and l.is_current and l.status = 'loaded'
          and l.rows_read <> coalesce(landed.n, 0) + coalesce(held.n, 0)
        order by 1""",
        [table, table],
    ).fetchall()
    return [{"file": f, "rows_read": r, "landed": a, "quarantined": b} for f, r, a, b in rows]


def outstanding_refusals(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    """Files whose latest delivery was refused or deferred (and whose current content is therefore not landed)."""
    rows = con.execute(
        f"""
        select source_file, status, message from (
            select *, row_number() over (partition by source_file order by loaded_at desc, is_current desc) as rn
            from {SCHEMA}.load_ledger where table_name = ?)
        where rn = 1 and status in ({_REFUSED_SQL}) order by 1""",
        [table],
    ).fetchall()
    return [{"file": f, "status": s, "message": m} for f, s, m in rows]


def not_deliveries(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Files whose latest ledger row says they are not a delivery."""
    rows = con.execute(
        f"""
        select source_file, feed, message from (
            select *, row_number() over (partition by source_file order by loaded_at desc, is_current desc) as rn
            from {SCHEMA}.load_ledger)
        where rn = 1 and status = 'ignored' order by 1"""
    ).fetchall()
    return [{"file": f, "feed": feed, "message": m} for f, feed, m in rows]


def bad_files(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> list[dict]:
    """Every file still under raw_dir that did not land, once each: refused, deferred or not a delivery, with
    its table (None when it is not a delivery), status and reason."""
    tables = [
        t
        for (t,) in con.execute(
            f"select distinct table_name from {SCHEMA}.load_ledger where table_name is not null order by 1"
        ).fetchall()
    ]
    found: dict[str, dict] = {}
    for table in tables:
        for r in outstanding_refusals(con, table):
            found.setdefault(r["file"], {**r, "table": table})
    for r in not_deliveries(con):
        found.setdefault(
            r["file"], {"file": r["file"], "status": "ignored", "message": r["message"], "table": None}
        )
    return [r for f, r in sorted(found.items()) if os.path.lexists(raw_dir / f.rstrip("/"))]


def summary(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Per landing table: current files, rows read, landed, quarantined, and files whose latest delivery is
    refused or deferred."""
    return con.execute(
        f"""
        with latest as (
            select table_name, source_file, status,
                   row_number() over (partition by table_name, source_file
                                      order by loaded_at desc, is_current desc) as rn
            from {SCHEMA}.load_ledger where table_name is not null)
        select l.table_name,
               count(*) filter (where is_current and status = 'loaded') as files,
               coalesce(sum(rows_read) filter (where is_current), 0) as rows_read,
               coalesce(sum(rows_landed) filter (where is_current), 0) as rows_landed,
               coalesce(sum(rows_quarantined) filter (where is_current), 0) as rows_quarantined,
               (select count(*) from latest r
                where r.table_name = l.table_name and r.rn = 1 and r.status in ({_REFUSED_SQL})) as refused
        from {SCHEMA}.load_ledger l where l.table_name is not null group by l.table_name order by l.table_name"""
    ).fetchall()
