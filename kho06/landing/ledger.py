"""The landing schema's bookkeeping tables: the load ledger and the quarantine.

The ledger accounts for every file under the raw folder: one row per load attempt of a delivery (by content
hash), and one row per file that is not a delivery. `status` is one of

- `loaded`: the file's rows are landed (or quarantined); `is_current` marks the version whose rows are in the
  landing table — a corrected file supersedes the earlier version of the same path;
- `rejected`: refused whole, nothing of it landed; `message` says why (unreadable, cut short, a mandatory
  column missing, a day in its name the partitions cannot hold, ...);
- `duplicate`: refused, the same content (once decompressed) is already landed under another name;
- `deferred`: the file changed while it was read (a delivery still being copied): nothing of it landed, it is
  read again on the next run;
- `ignored`: not a delivery (a link, a hidden, temporary or partial file, a name or folder no contract has);
  `feed` is guessed from its first folder, `table_name` and `file_hash` are empty (the file is not read).

The quarantine holds every row that could not be landed, with its file, line, raw text and reason.
"""

from __future__ import annotations

import uuid

import duckdb
import polars as pl

SCHEMA = "landing"
REFUSED = ("rejected", "duplicate", "deferred")
"""statuses of a delivery that is not landed"""

DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.load_ledger (
    load_id          varchar not null,
    feed             varchar,            -- null for a file outside the feeds' folders
    table_name       varchar,            -- null for a file that is not a delivery
    source_file      varchar not null,
    file_hash        varchar,            -- null when the file was not read (not a delivery, refused by its name)
    file_bytes       bigint not null,
    file_mtime_ns    bigint,
    partition_day    date,
    status           varchar not null,   -- loaded | rejected | duplicate | deferred | ignored
    rows_read        bigint,
    rows_landed      bigint,
    rows_quarantined bigint,
    message          varchar,
    loaded_at        timestamp not null,
    is_current       boolean not null,
    content_hash     varchar             -- hash of the content once decompressed
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
ROW_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "load_id": pl.String,
    "feed": pl.String,
    "table_name": pl.String,
    "source_file": pl.String,
    "file_hash": pl.String,
    "file_bytes": pl.Int64,
    "file_mtime_ns": pl.Int64,
    "partition_day": pl.Date,
    "status": pl.String,
    "rows_read": pl.Int64,
    "rows_landed": pl.Int64,
    "rows_quarantined": pl.Int64,
    "message": pl.String,
    "loaded_at": pl.Datetime("us"),
    "is_current": pl.Boolean,
    "content_hash": pl.String,
}
_OPTIONAL = ("feed", "table_name", "file_hash")
"""columns that a ledger written by an earlier version has as not null"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    # a ledger written before files that are not deliveries were recorded
    con.execute(f"alter table {SCHEMA}.load_ledger add column if not exists content_hash varchar")
    required = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = 'load_ledger' "
            "and not is_nullable",
            [SCHEMA],
        ).fetchall()
    }
    for column in sorted(required & set(_OPTIONAL)):
        con.execute(f"alter table {SCHEMA}.load_ledger alter column {column} drop not null")


def row(**values) -> dict:
    """A ledger row: `values` over the defaults (a new load id, not current, no rows)."""
    base = dict.fromkeys(ROW_SCHEMA) | {"load_id": str(uuid.uuid4()), "is_current": False}
    unknown = set(values) - set(ROW_SCHEMA)
    if unknown:
        raise ValueError(f"not ledger columns: {sorted(unknown)}")
    return base | values


def append(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Write ledger rows (see `row`) in one statement."""
    if not rows:
        return
    frame = pl.DataFrame(rows, schema=ROW_SCHEMA)
    con.register("_ledger_rows", frame)
    try:
        con.execute(f"insert into {SCHEMA}.load_ledger by name select * from _ledger_rows")
    finally:
        con.unregister("_ledger_rows")


def current_versions(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, int, int, str]]:
    """source_file → (hash, size, mtime_ns, content hash) of the version currently landed, for one table."""
    rows = con.execute(
        f"select source_file, file_hash, file_bytes, file_mtime_ns, coalesce(content_hash, file_hash) "
        f"from {SCHEMA}.load_ledger where table_name = ? and is_current and status = 'loaded'",
        [table],
    ).fetchall()
    return {f: (h, size, mtime, content) for f, h, size, mtime, content in rows}


def refused_hashes(con: duckdb.DuckDBPyConnection, table: str) -> set[tuple[str, str]]:
    """(source_file, hash) pairs already refused, so an unchanged bad file is reported once, not every night
    (a deferred file is not among them: it is read again)."""
    rows = con.execute(
        f"select source_file, file_hash from {SCHEMA}.load_ledger "
        "where table_name = ? and status in ('rejected', 'duplicate') and file_hash is not null",
        [table],
    ).fetchall()
    return set(rows)


def recorded_unread(con: duckdb.DuckDBPyConnection) -> set[tuple[str, int, int, str]]:
    """(source_file, size, mtime_ns, status) of the rows written without reading the file (not a delivery,
    refused by its name), so that such a file is recorded once while it stays the same."""
    rows = con.execute(
        f"select source_file, file_bytes, coalesce(file_mtime_ns, 0), status from {SCHEMA}.load_ledger "
        "where file_hash is null"
    ).fetchall()
    return set(rows)
