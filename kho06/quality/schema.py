"""The `dq` schema: the history of every quality rule's results, one set of rows per pipeline run (docs/quality.md).

Rows are only ever added: a run's rows are written in one transaction at the end of its quality stage, so a
reader sees a run whole or not at all.
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
create table if not exists {SCHEMA}.failed_records (
    run_id            varchar not null,
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


MIGRATIONS = [
    f"alter table {SCHEMA}.check_results add column if not exists table_records bigint",
    f"alter table {SCHEMA}.check_results add column if not exists table_fingerprint varchar",
    f"alter table {SCHEMA}.check_results add column if not exists evaluated_in_run varchar",
]


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    for statement in MIGRATIONS:  # a warehouse whose dq tables an earlier version created
        con.execute(statement)
