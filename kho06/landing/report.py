"""What the ledger says about a landing table: conservation failures, refused files, a per-table summary."""

from __future__ import annotations

import duckdb

from kho06.landing.ledger import SCHEMA


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
    """Files whose latest delivery was refused (and whose current content is therefore not landed)."""
    rows = con.execute(
        f"""
        select source_file, status, message from (
            select *, row_number() over (partition by source_file order by loaded_at desc, is_current desc) as rn
            from {SCHEMA}.load_ledger where table_name = ?)
        where rn = 1 and status in ('rejected', 'duplicate') order by 1""",
        [table],
    ).fetchall()
    return [{"file": f, "status": s, "message": m} for f, s, m in rows]


def summary(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Per landing table: current files, rows read, landed, quarantined, and files refused."""
    return con.execute(
        f"""
        select table_name,
               count(*) filter (where is_current and status = 'loaded') as files,
               coalesce(sum(rows_read) filter (where is_current), 0) as rows_read,
               coalesce(sum(rows_landed) filter (where is_current), 0) as rows_landed,
               coalesce(sum(rows_quarantined) filter (where is_current), 0) as rows_quarantined,
               count(distinct source_file) filter (where status in ('rejected', 'duplicate')) as refused
        from {SCHEMA}.load_ledger group by table_name order by table_name"""
    ).fetchall()
