"""Land delivered files in DuckDB: every row is landed or quarantined, every file loaded once.

For each file: inspect it (refuse it whole with a clear message if it cannot be loaded), skip it when the
same content is already landed, and otherwise load it in one transaction with its ledger row, replacing an
earlier version of the same file. Files are loaded in chunks so that memory stays bounded at any scale.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from kho06.landing import ledger, readers
from kho06.landing.contract import TableContract
from kho06.landing.inspect import Delivery, DeliveryError, inspect_file
from kho06.landing.typing import q, typing_sql

log = logging.getLogger(__name__)
CHUNK_BYTES = 128 * 1024 * 1024
INSPECT_THREADS = 2
LOAD_THREADS = 2
LEDGER_ROW_SCHEMA = {
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
}
LINEAGE = (
    "_extra json, _format_variants varchar, _source_file varchar, _source_row bigint, "
    "_file_hash varchar, _loaded_at timestamp"
)


@dataclass
class FileOutcome:
    source_file: str
    status: str
    """loaded | replaced | unchanged | rejected | duplicate"""
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    partition_day: date | None = None


def ensure_table(con: duckdb.DuckDBPyConnection, contract: TableContract) -> None:
    ledger.ensure(con)
    cols = ", ".join(f"{q(c.name)} {c.type}" for c in contract.columns)
    con.execute(f"create table if not exists {ledger.SCHEMA}.{contract.table} ({cols}, {LINEAGE})")


def land(
    con: duckdb.DuckDBPyConnection,
    contract: TableContract,
    raw_dir: Path,
    days: tuple[date, date] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Land the contract's files under raw_dir (only those of `days`, inclusive, for a daily feed)."""
    ensure_table(con, contract)
    files = contract.files(raw_dir)
    if days is not None and contract.daily:
        files = [f for f in files if (d := contract.day_of(f)) is not None and days[0] <= d <= days[1]]
    versions = ledger.current_versions(con, contract.table)
    current = {f: v[0] for f, v in versions.items()}
    known = {h: f for f, h in current.items()}
    refused = ledger.refused_hashes(con, contract.table)
    now = datetime.now()
    outcomes: list[FileOutcome] = []
    pending: list[Delivery] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    to_inspect = []
    for path in files:
        rel = path.resolve().relative_to(raw_dir.resolve()).as_posix()
        stat = path.stat()
        if rel in versions and versions[rel][1:] == (stat.st_size, stat.st_mtime_ns):
            day = contract.day_of(path) if contract.daily else None
            done(
                FileOutcome(
                    rel, "unchanged", message="already landed (same size and time)", partition_day=day
                )
            )
        else:
            to_inspect.append(path)
    with ThreadPoolExecutor(max_workers=INSPECT_THREADS) as pool:
        inspected = pool.map(lambda p: inspect_file(p, raw_dir, contract), to_inspect)
    for d in inspected:
        day = contract.day_of(d.path) if contract.daily else None
        if current.get(d.source_file) == d.file_hash:
            done(FileOutcome(d.source_file, "unchanged", message="already landed", partition_day=day))
            continue
        if (d.source_file, d.file_hash) in refused:
            done(
                FileOutcome(
                    d.source_file, "rejected", message="refused earlier; unchanged since", partition_day=day
                )
            )
            continue
        twin = known.get(d.file_hash)
        # files without records (a day with no events) may well be identical: only data can be delivered twice
        if twin and twin != d.source_file and (d.data_lines > 0 or contract.fmt == "xlsx"):
            d.problem = f"same content as {twin}, already landed: a second delivery of one file"
            _record_refusal(con, contract, d, day, now, "duplicate")
            done(FileOutcome(d.source_file, "duplicate", message=d.problem, partition_day=day))
            continue
        if d.problem:
            log.error("%s: %s", d.source_file, d.problem)
            _record_refusal(con, contract, d, day, now, "rejected")
            done(FileOutcome(d.source_file, "rejected", message=d.problem, partition_day=day))
            continue
        known[d.file_hash] = d.source_file
        pending.append(d)

    # chunks are independent transactions: two at a time, each on its own connection to the same file
    # (DuckDB appends from several connections of one process without conflict; one query alone numbers its
    # rows on a single core, so a second chunk keeps the other core busy)
    def load(chunk: list[Delivery]) -> list[FileOutcome]:
        cursor = con.cursor()
        try:
            return _load_chunk(cursor, contract, chunk, current, datetime.now())
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        for chunk_outcomes in pool.map(load, _chunks(pending)):
            for outcome in chunk_outcomes:
                done(outcome)
    return outcomes


def _chunks(deliveries: list[Delivery]) -> Iterable[list[Delivery]]:
    chunk: list[Delivery] = []
    size = 0
    for d in deliveries:
        if chunk and size + d.size > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(d)
        size += d.size
    if chunk:
        yield chunk


def _record_refusal(con, contract, d: Delivery, day, now, status: str) -> None:
    con.execute(
        f"insert into {ledger.SCHEMA}.load_ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, 0, 0, ?, ?, false)",
        [
            str(uuid.uuid4()),
            contract.feed,
            contract.table,
            d.source_file,
            d.file_hash,
            d.size,
            d.mtime_ns,
            day,
            status,
            d.problem,
            now,
        ],
    )


class _NotClean(Exception):
    """The fast path found a file whose records did not all land: the chunk is loaded again, exactly."""


def _load_chunk(con, contract, chunk: list[Delivery], current: dict[str, str], now) -> list[FileOutcome]:
    """Load a chunk in one transaction; if the chunk fails as a whole, retry its files one by one.

    Most deliveries are clean, so a chunk is first read and inserted in one pass; if any file then holds a
    record that did not land (a line the reader rejected, a value that does not type), the transaction is
    rolled back and the chunk is loaded by the exact path, which quarantines each such record with its line.
    """
    try:
        con.execute("begin transaction")
        try:
            outcomes = _load_files(con, contract, chunk, current, now, fast=contract.fmt != "xlsx")
        except _NotClean:
            con.execute("rollback")
            con.execute("begin transaction")
            outcomes = _load_files(con, contract, chunk, current, now, fast=False)
        con.execute("commit")
        return outcomes
    except (duckdb.Error, DeliveryError) as exc:
        con.execute("rollback")
        if len(chunk) > 1:
            return [o for d in chunk for o in _load_chunk(con, contract, [d], current, now)]
        d = chunk[0]
        d.problem = (
            str(exc) if isinstance(exc, DeliveryError) else f"could not be read: {str(exc).splitlines()[0]}"
        )
        log.error("%s: %s", d.source_file, d.problem)
        day = contract.day_of(d.path) if contract.daily else None
        _record_refusal(con, contract, d, day, now, "rejected")
        return [FileOutcome(d.source_file, "rejected", message=d.problem, partition_day=day)]


def _register_files(con, chunk: list[Delivery], header_lines: int) -> None:
    con.execute(
        "create or replace temp table _files (_path varchar, _source_file varchar, _file_hash varchar, "
        "header_lines bigint, last_line bigint)"
    )
    con.executemany(
        "insert into _files values (?, ?, ?, ?, ?)",
        [[str(d.path), d.source_file, d.file_hash, header_lines, d.physical_lines] for d in chunk],
    )
    con.execute("create or replace temp table _blank (_path varchar, line bigint)")
    blanks = [[str(d.path), n] for d in chunk for n in d.blank_lines]
    if blanks:
        con.executemany("insert into _blank values (?, ?)", blanks)
    con.execute(
        "create or replace temp table _rej (_path varchar, line bigint, msg varchar, csv_line varchar)"
    )


def _typed_parts(con, contract: TableContract, chunk: list[Delivery]) -> int:
    """Type every record of the chunk into temp tables `_typed_<i>`; returns how many."""
    if contract.fmt == "xlsx":
        parts = readers.xlsx_parts(con, contract, chunk)
    elif contract.fmt == "jsonl":
        parts = [readers.jsonl_fast_part(contract, chunk)]
    else:
        parts = readers.csv_parts(con, contract, chunk, 0)
    for i, part in enumerate(parts):
        con.execute(
            f"create or replace temp table _typed_{i} as {typing_sql(contract.columns, part.sql, part.keep)}"
        )
        if contract.fmt in ("csv", "csv_noheader"):
            readers.collect_rejects(con, i)
    if contract.fmt == "jsonl":
        # the JSON reader skips or blanks out what it cannot parse: a file whose count differs from its lines,
        # or that holds any record that cannot land, is read again line by line (exact lines, reasons, raw text)
        counts = {
            p: (n, bad)
            for p, n, bad in con.execute(
                "select _path, count(*), count(*) filter (where _reason <> '') from _typed_0 group by _path"
            ).fetchall()
        }
        short = [d for d in chunk if d.blank_lines or counts.get(str(d.path), (0, 0)) != (d.data_lines, 0)]
        if short:
            con.execute(
                "delete from _typed_0 where _path in (select unnest(?))", [[str(d.path) for d in short]]
            )
            part = readers.jsonl_line_part(con, contract, short, 1)
            con.execute(
                f"create or replace temp table _typed_1 as {typing_sql(contract.columns, part.sql, part.keep)}"
            )
            readers.collect_rejects(con, 1)
            parts.append(part)
    readers.refuse_bad_encoding(con)
    return len(parts)


def _fast_insert(con, contract: TableContract, chunk: list[Delivery], now) -> dict[str, tuple[int, int]]:
    """One pass: read, type and insert; raises _NotClean unless every record of every file landed."""
    table = f"{ledger.SCHEMA}.{contract.table}"
    offsets, start = [], 0
    for d in chunk:
        offsets.append([str(d.path), start, 1 if contract.fmt == "csv" else 0])
        start += d.data_lines
    con.execute("create or replace temp table _offsets (_path varchar, g0 bigint, header_lines bigint)")
    con.executemany("insert into _offsets values (?, ?, ?)", offsets)
    part = (
        readers.jsonl_fast_part(contract, chunk)
        if contract.fmt == "jsonl"
        else readers.csv_parts(con, contract, chunk, 0)[0]
    )
    names = ", ".join(q(c.name) for c in contract.columns)
    con.execute(
        f"""insert into {table}
        select {names}, _extra, _format_variants, f._source_file, t._g - o.g0 + o.header_lines, f._file_hash, ?
        from ({typing_sql(contract.columns, part.sql, part.keep)}) t
        join _offsets o using (_path) join _files f using (_path)
        where t._reason = ''""",
        [now],
    )
    if contract.fmt != "jsonl":
        readers.collect_rejects(con, 0)
        if con.execute("select count(*) from _rej").fetchone()[0]:
            raise _NotClean
    landed = dict(
        con.execute(
            f"select _source_file, count(*) from {table} where _loaded_at = ? and _source_file in (select unnest(?)) "
            "group by 1",
            [now, [d.source_file for d in chunk]],
        ).fetchall()
    )
    if any(landed.get(d.source_file, 0) != d.data_lines for d in chunk):
        raise _NotClean
    return {d.source_file: (d.data_lines, 0) for d in chunk}


def _load_files(
    con, contract: TableContract, chunk: list[Delivery], current, now, fast: bool
) -> list[FileOutcome]:
    table = f"{ledger.SCHEMA}.{contract.table}"
    replaced = [d.source_file for d in chunk if d.source_file in current]
    if replaced:
        con.execute(f"delete from {table} where _source_file in (select unnest(?))", [replaced])
        con.execute(
            f"delete from {ledger.SCHEMA}.quarantine where table_name = ? and source_file in (select unnest(?))",
            [contract.table, replaced],
        )
        con.execute(
            f"update {ledger.SCHEMA}.load_ledger set is_current = false "
            "where table_name = ? and source_file in (select unnest(?))",
            [contract.table, replaced],
        )
    _register_files(con, chunk, 1 if contract.fmt == "csv" else 0)
    # the fast path numbers records by position: files with blank lines or differing headers take the exact one
    if fast and len({tuple(d.header) for d in chunk}) == 1 and not any(d.blank_lines for d in chunk):
        counts = _fast_insert(con, contract, chunk, now)
    else:
        counts = _exact_insert(con, contract, chunk, now)
    return _record_loads(con, contract, chunk, current, now, counts)


def _exact_insert(con, contract: TableContract, chunk: list[Delivery], now) -> dict[str, tuple[int, int]]:
    """Type into temp tables first, so that every record that cannot land is quarantined with its line."""
    table = f"{ledger.SCHEMA}.{contract.table}"
    n_parts = _typed_parts(con, contract, chunk)
    typed = " union all ".join(
        f"select t.*, t._g - o.g0 + 1 as _k from _typed_{i} t "
        f"join (select _path, min(_g) as g0 from _typed_{i} group by _path) o using (_path)"
        for i in range(n_parts)
    )
    # the line of a record: given by the reader, or the k-th line of its file that is neither blank nor rejected
    con.execute(
        """create or replace temp table _map as
        with affected as (
            select * from _files where _path in (select _path from _rej union select _path from _blank)),
        lines as (select _path, unnest(range(header_lines + 1, last_line + 1)) as line from affected)
        select l._path, l.line, row_number() over (partition by l._path order by l.line) as k from lines l
        anti join _blank b on b._path = l._path and b.line = l.line
        anti join _rej r on r._path = l._path and r.line = l.line"""
    )
    con.execute(
        f"""create or replace temp view _typed as
        select t.*, f._source_file, f._file_hash, coalesce(t._line, m.line, t._k + f.header_lines) as _source_row
        from ({typed}) t join _files f using (_path) left join _map m on m._path = t._path and m.k = t._k"""
    )
    names = ", ".join(q(c.name) for c in contract.columns)
    con.execute(
        f"insert into {table} select {names}, _extra, _format_variants, _source_file, _source_row, _file_hash, ? "
        "from _typed where _reason = ''",
        [now],
    )
    con.execute(
        f"""insert into {ledger.SCHEMA}.quarantine
        select ?, _source_file, _file_hash, _source_row, _raw_text, _reason, ? from _typed where _reason <> ''
        union all
        select ?, f._source_file, f._file_hash, r.line, r.csv_line, 'unreadable line: ' || r.msg, ?
        from _rej r join _files f using (_path)""",
        [contract.table, now, contract.table, now],
    )
    counts = {
        f: (landed, held)
        for f, landed, held in con.execute(
            """select source_file, sum(landed), sum(held) from (
                select _source_file as source_file, count(*) filter (where _reason = '') as landed,
                       count(*) filter (where _reason <> '') as held from _typed group by 1
                union all
                select f._source_file, 0, count(*) from _rej r join _files f using (_path) group by 1)
            group by 1"""
        ).fetchall()
    }
    con.execute("drop view if exists _typed")
    for i in range(n_parts):
        con.execute(f"drop table if exists _typed_{i}")
    return counts


def _record_loads(con, contract, chunk: list[Delivery], current, now, counts) -> list[FileOutcome]:
    """The ledger rows of a loaded chunk, written in one statement."""
    outcomes, rows = [], []
    for d in chunk:
        landed, quarantined = counts.get(d.source_file, (0, 0))
        day = contract.day_of(d.path) if contract.daily else None
        status = "replaced" if d.source_file in current else "loaded"
        message = "; ".join(d.warnings + d.notes)
        if status == "replaced":
            message = "; ".join(
                filter(
                    None, [f"replaces the version landed earlier ({current[d.source_file][:12]})", message]
                )
            )
        rows.append(
            [
                str(uuid.uuid4()),
                contract.feed,
                contract.table,
                d.source_file,
                d.file_hash,
                d.size,
                d.mtime_ns,
                day,
                "loaded",
                d.data_lines,
                int(landed),
                int(quarantined),
                message or None,
                now,
            ]
        )
        outcomes.append(
            FileOutcome(
                d.source_file, status, d.data_lines, int(landed), int(quarantined), message, d.warnings, day
            )
        )
    con.register("_ledger_rows", pl.DataFrame(rows, orient="row", schema=LEDGER_ROW_SCHEMA))
    con.execute(f"insert into {ledger.SCHEMA}.load_ledger select *, true from _ledger_rows")
    con.unregister("_ledger_rows")
    return outcomes
