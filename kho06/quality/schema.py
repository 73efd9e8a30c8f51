"""The `dq` schema: the history of every quality rule's results, one set of rows per pipeline run (docs/quality.md).

Rows are only ever added: a run's rows are written in one transaction at the end of its quality stage, so a
reader sees a run whole or not at all.

A rule's failing records are stored once per evaluation, in `dq.rule_failures` under the run that evaluated it. A
run whose check table did not change carries an earlier evaluation's results (`check_results.evaluated_in_run`
names it) and adds no failing records of its own: `dq.failed_records`, the view analysts and the report read,
lists for every run the records of the evaluation its results are, so a night that re-checks little stores
little.
"""

from __future__ import annotations

import duckdb

SCHEMA = "dq"

DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.runs (
    run_id            varchar not null,
    run_started_at    timestamp not null,
    run_finished_at   timestamp,
    status            varchar not null,   -- completed | completed_with_failures | failed
    as_of_date        date,
    held_back         varchar,            -- JSON list of {{"node": ..., "reason": ...}}
    message           varchar
);
create table if not exists {SCHEMA}.check_results (
    run_id            varchar not null,
    run_started_at    timestamp not null,
    feed              varchar not null,
    asset             varchar not null,
    check_table       varchar not null,
    rule_id           varchar not null,
    criterion         varchar not null,
    severity          varchar not null,
    evaluated_records bigint,
    failed_records    bigint,
    passed            boolean,
    description_vi    varchar not null,
    description_en    varchar not null,
    sample            varchar,            -- JSON list of {{"record_key": ..., "value": ...}}, masked
    query             varchar not null,
    error             varchar,            -- why the rule could not be evaluated (null when it was)
    table_records     bigint,             -- the records of the check table (the scores' denominator)
    table_fingerprint varchar,            -- the check table's content: unchanged content, unchanged results
    evaluated_in_run  varchar             -- the run whose evaluation these results are (this run, or an earlier
                                          -- one when the check table has not changed since)
);
create table if not exists {SCHEMA}.rule_failures (
    run_id            varchar not null,   -- the run that evaluated the rule
    feed              varchar not null,
    rule_id           varchar not null,
    criterion         varchar not null,
    record_key        varchar not null,
    commune_code      varchar,
    district_code     varchar,
    agency_code       varchar,
    operator          varchar
);
create table if not exists {SCHEMA}.scores (
    run_id            varchar not null,
    run_started_at    timestamp not null,
    feed              varchar not null,
    criterion         varchar not null,
    evaluated_records bigint not null,
    failed_records    bigint not null,
    score             double             -- 100 × (evaluated − failed) / evaluated; null when nothing evaluated
);
"""


FAILED_RECORDS_VIEW = f"""
create or replace view {SCHEMA}.failed_records as
select c.run_id, f.feed, f.rule_id, f.criterion, f.record_key, f.commune_code, f.district_code, f.agency_code,
       f.operator
from {SCHEMA}.check_results as c
join {SCHEMA}.rule_failures as f on f.run_id = coalesce(c.evaluated_in_run, c.run_id) and f.rule_id = c.rule_id
"""

MIGRATIONS = [
    f"alter table {SCHEMA}.check_results add column if not exists table_records bigint",
    f"alter table {SCHEMA}.check_results add column if not exists table_fingerprint varchar",
    f"alter table {SCHEMA}.check_results add column if not exists evaluated_in_run varchar",
]


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    for statement in MIGRATIONS:  # a warehouse whose dq tables an earlier version created
        con.execute(statement)
    if _is_table(con, "failed_records"):
        _store_failures_once(con)
    con.execute(FAILED_RECORDS_VIEW)


def _is_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [SCHEMA, name],
        ).fetchone()[0]  # type: ignore[index]
    )


def _store_failures_once(con: duckdb.DuckDBPyConnection) -> None:
    """An earlier version stored `dq.failed_records` as a table, copying a carried rule's records into every run
    that carried them: its rows move to `dq.rule_failures` without the copies (the view lists them again)."""
    con.execute("begin transaction")
    try:
        con.execute(
            f"""insert into {SCHEMA}.rule_failures
                select f.* from {SCHEMA}.failed_records as f
                where not exists (
                    select 1 from {SCHEMA}.check_results as c
                    where c.run_id = f.run_id and c.rule_id = f.rule_id
                      and coalesce(c.evaluated_in_run, c.run_id) <> c.run_id)"""
        )
        con.execute(f"drop table {SCHEMA}.failed_records")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
