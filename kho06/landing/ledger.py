"""The landing schema's bookkeeping tables: the load ledger and the quarantine.

The ledger has one row per load attempt of a file (by content hash). `is_current` marks the version whose
rows are in the landing table; a corrected file supersedes the earlier version of the same path.
The quarantine holds every row that could not be landed, with its file, line, raw text and reason.
"""

from __future__ import annotations

import duckdb

SCHEMA = "landing"

DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.load_ledger (
    load_id          varchar not null,
    feed             varchar not null,
    table_name       varchar not null,
    source_file      varchar not null,
    file_hash        varchar not null,
    file_bytes       bigint not null,
    file_mtime_ns    bigint,
    partition_day    date,
    status           varchar not null,   -- loaded | rejected | duplicate
    rows_read        bigint,
    rows_landed      bigint,
    rows_quarantined bigint,
    message          varchar,
    loaded_at        timestamp not null,
    is_current       boolean not null
);
create table if not exists {SCHEMA}.quarantine (
    table_name   varchar not null,
    source_file  varchar not null,
    file_hash    varchar not null,
    source_row   bigint,
    raw_text     varchar,
    reason       varchar not null,
    quarantined_at timestamp not null
);
"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def current_versions(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, int, int]]:
    """source_file → (hash, size, mtime_ns) of the version currently landed, for one landing table."""
    rows = con.execute(
        f"select source_file, file_hash, file_bytes, file_mtime_ns from {SCHEMA}.load_ledger "
        "where table_name = ? and is_current and status = 'loaded'",
        [table],
    ).fetchall()
    return {f: (h, size, mtime) for f, h, size, mtime in rows}


def refused_hashes(con: duckdb.DuckDBPyConnection, table: str) -> set[tuple[str, str]]:
    """(source_file, hash) pairs already refused, so an unchanged bad file is reported once, not every night."""
    rows = con.execute(
        f"select source_file, file_hash from {SCHEMA}.load_ledger "
        "where table_name = ? and status in ('rejected', 'duplicate')",
        [table],
    ).fetchall()
    return set(rows)
