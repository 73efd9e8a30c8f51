"""Land delivered files in DuckDB: every row is landed or quarantined, every file loaded once.

For each delivery of a contract (see survey.py): inspect it (refuse it whole with a clear message if it cannot
be loaded, defer it if it changes while it is read), skip it when the same content is already landed, and
otherwise load it in one transaction with its ledger row, replacing an earlier version of the same file. Files
are loaded in chunks so that memory stays bounded at any scale. One file's problem stays that file's: whatever
a file holds, it ends landed, quarantined row by row, refused or deferred, and the other files load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from kho06.landing import ledger, readers
from kho06.landing.contract import TableContract
from kho06.landing.file_inspection import (
    IN_FLUX,
    Delivery,
    DeliveryError,
    inspect_file,
    lone_carriage_returns,
    safe_message,
)
from kho06.landing.survey import RawFile, Survey, survey, with_contract
from kho06.landing.value_typing import q, typing_sql

log = logging.getLogger(__name__)
CHUNK_BYTES = 128 * 1024 * 1024
INSPECT_THREADS = 2
LOAD_THREADS = 2
LINEAGE = (
    "_extra json, _format_variants varchar, _source_file varchar, _source_row bigint, "
    "_file_hash varchar, _loaded_at timestamp"
)


@dataclass
class FileOutcome:
    source_file: str
    status: str
    """loaded | replaced | unchanged | rejected | duplicate | deferred"""
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


def _inspect(path: Path, source_file: str, contract: TableContract) -> Delivery | None:
    """inspect_file, with any failure to read the file turned into a refusal (None: the file has vanished)."""
    try:
        return inspect_file(path, source_file, contract)
    except FileNotFoundError:
        return None
    except Exception as exc:
        # unreadable (permissions, I/O) or a fault of the inspection itself: this file alone is refused
        log.debug("%s: inspection failed", source_file, exc_info=True)
        try:
            stat = path.stat()
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime = 0, 0
        return Delivery(
            path, source_file, "", size, mtime, problem=f"could not be read ({safe_message(exc)})"
        )


def land(
    con: duckdb.DuckDBPyConnection,
    contract: TableContract,
    raw_dir: Path,
    days: tuple[date, date] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    found: Survey | None = None,
) -> list[FileOutcome]:
    """Land the contract's deliveries under raw_dir (only those of `days`, inclusive, for a daily feed).

    Daily files whose name carries a day the partitions cannot hold are refused here, whatever `days` is.
    `found` is a survey of raw_dir already made (one is made otherwise)."""
    ensure_table(con, contract)
    found = found or survey(raw_dir, with_contract(contract))
    files = found.deliveries(contract)
    if days is not None and contract.daily:
        files = [f for f in files if f.day is not None and days[0] <= f.day <= days[1]]
    versions = ledger.current_versions(con, contract.table)
    current = {f: v[0] for f, v in versions.items()}
    known = {v[3]: f for f, v in versions.items()}
    refused = ledger.refused_hashes(con, contract.table)
    now = datetime.now()
    outcomes: list[FileOutcome] = []
    pending: list[Delivery] = []

    def done(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_file:
            on_file(outcome)

    _refuse_names(con, contract, found.refused(contract), now, done)
    to_inspect: list[RawFile] = []
    for f in files:
        if f.rel in versions and versions[f.rel][1:3] == (f.size, f.mtime_ns):
            done(
                FileOutcome(
                    f.rel, "unchanged", message="already landed (same size and time)", partition_day=f.day
                )
            )
        else:
            to_inspect.append(f)
    with ThreadPoolExecutor(max_workers=INSPECT_THREADS) as pool:
        inspected = list(pool.map(lambda f: (f, _inspect(f.path, f.rel, contract)), to_inspect))
    # of two copies of the same records, the one delivered first lands (then the first by name)
    for f, d in sorted(inspected, key=lambda fd: (fd[0].mtime_ns, fd[0].rel)):
        if d is None:
            log.warning("%s: vanished before it could be read", f.rel)
            continue
        d.day = f.day
        if d.in_flux:
            _record_refusal(con, contract, d, now, "deferred")
            done(FileOutcome(d.source_file, "deferred", message=d.problem or "", partition_day=d.day))
            continue
        if current.get(d.source_file) == d.file_hash:
            done(FileOutcome(d.source_file, "unchanged", message="already landed", partition_day=d.day))
            continue
        if (d.source_file, d.file_hash) in refused:
            done(
                FileOutcome(
                    d.source_file, "rejected", message="refused earlier; unchanged since", partition_day=d.day
                )
            )
            continue
        twin = known.get(d.content_hash)
        # files without records (a day with no events) may well be identical: only data can be delivered twice
        if twin and twin != d.source_file and (d.data_lines > 0 or contract.fmt == "xlsx"):
            d.problem = f"same content as {twin}, already landed: a second delivery of the same records"
            _record_refusal(con, contract, d, now, "duplicate")
            done(FileOutcome(d.source_file, "duplicate", message=d.problem, partition_day=d.day))
            continue
        if d.problem:
            log.error("%s: %s", d.source_file, d.problem)
            _record_refusal(con, contract, d, now, "rejected")
            done(FileOutcome(d.source_file, "rejected", message=d.problem, partition_day=d.day))
            continue
        if d.content_hash:
            known[d.content_hash] = d.source_file
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


def _refuse_names(con, contract: TableContract, files: list[RawFile], now, done) -> None:
    """Daily files refused by the day in their name: recorded once while they stay the same (not read)."""
    if not files:
        return
    seen = ledger.recorded_unread(con)
    rows = [
        ledger.row(
            feed=contract.feed,
            table_name=contract.table,
            source_file=f.rel,
            file_bytes=f.size,
            file_mtime_ns=f.mtime_ns,
            status="rejected",
            rows_landed=0,
            rows_quarantined=0,
            message=f.reason,
            loaded_at=now,
        )
        for f in files
        if (f.rel, f.size, f.mtime_ns, "rejected") not in seen
    ]
    ledger.append(con, rows)
    for f in files:
        if (f.rel, f.size, f.mtime_ns, "rejected") in seen:
            done(FileOutcome(f.rel, "rejected", message="refused earlier; unchanged since"))
        else:
            log.error("%s: %s", f.rel, f.reason)
            done(FileOutcome(f.rel, "rejected", message=f.reason or ""))


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


def _record_refusal(con, contract, d: Delivery, now, status: str) -> None:
    ledger.append(
        con,
        [
            ledger.row(
                feed=contract.feed,
                table_name=contract.table,
                source_file=d.source_file,
                file_hash=d.file_hash or None,
                content_hash=d.content_hash or None,
                file_bytes=d.size,
                file_mtime_ns=d.mtime_ns,
                partition_day=d.day,
                status=status,
                rows_landed=0,
                rows_quarantined=0,
                message=d.problem,
                loaded_at=now,
            )
        ],
    )


class _NotClean(Exception):
    """The fast path found a file whose records did not all land: the chunk is loaded again, exactly."""


def _load_chunk(con, contract, chunk: list[Delivery], current: dict[str, str], now) -> list[FileOutcome]:
    """Load a chunk in one transaction; if the chunk fails as a whole, retry its files one by one.

    Most deliveries are clean, so a chunk is first read and inserted in one pass; if any file then holds a
    record that did not land (a line the reader rejected, a value that does not type), the transaction is
    rolled back and the chunk is loaded by the exact path, which quarantines each such record with its line.
    A file that changed since it was read is taken out before the commit and deferred to a later run.
    """
    try:
        con.execute("begin transaction")
        try:
            outcomes = _load_files(con, contract, chunk, current, now, fast=contract.fmt != "xlsx")
        except (_NotClean, duckdb.Error):
            _rollback(con)
            con.execute("begin transaction")
            outcomes = _load_files(con, contract, chunk, current, now, fast=False)
        changed = [d for d in chunk if d.changed_since_read()]
        if changed:
            _rollback(con)
            return _defer(con, contract, changed, now) + (
                _load_chunk(con, contract, [d for d in chunk if d not in changed], current, now)
                if len(changed) < len(chunk)
                else []
            )
        con.execute("commit")
        return outcomes
    except Exception as exc:  # one file's fault must not stop the others: split, then refuse that file alone
        _rollback(con)
        if len(chunk) > 1:
            return [o for d in chunk for o in _load_chunk(con, contract, [d], current, now)]
        d = chunk[0]
        if contract.fmt in ("csv", "csv_noheader") and not d.by_record and isinstance(exc, duckdb.Error):
            d.by_record = True  # what DuckDB's reader cannot take, the record-by-record reader may
            return _load_chunk(con, contract, [d], current, now)
        if isinstance(exc, DeliveryError):
            d.problem = str(exc)
        else:
            log.debug("%s: %s", d.source_file, exc, exc_info=True)
            d.problem = f"could not be read ({safe_message(exc)})"
        log.error("%s: %s", d.source_file, d.problem)
        _record_refusal(con, contract, d, now, "rejected")
        return [FileOutcome(d.source_file, "rejected", message=d.problem, partition_day=d.day)]


def _rollback(con) -> None:
    try:
        con.execute("rollback")
    except duckdb.TransactionException:  # the failure came before the transaction began, or ended it
        pass


def _defer(con, contract, changed: list[Delivery], now) -> list[FileOutcome]:
    outcomes = []
    for d in changed:
        d.problem = IN_FLUX
        log.warning("%s: %s", d.source_file, d.problem)
        _record_refusal(con, contract, d, now, "deferred")
        outcomes.append(FileOutcome(d.source_file, "deferred", message=d.problem, partition_day=d.day))
    return outcomes


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


def _type_part(con, contract: TableContract, part: readers.Part, n: int) -> None:
    con.execute(
        f"create or replace temp table _typed_{n} as {typing_sql(contract.columns, part.sql, part.keep)}"
    )


def _typed_parts(con, contract: TableContract, chunk: list[Delivery]) -> int:
    """Type every record of the chunk into temp tables `_typed_<i>`; returns how many."""
    if contract.fmt == "xlsx":
        parts = readers.xlsx_parts(con, contract, chunk)
    elif contract.fmt == "jsonl":
        parts = [readers.jsonl_fast_part(contract, chunk)]
    else:
        parts = readers.csv_parts(con, contract, [d for d in chunk if not d.by_record], 0)
    for i, part in enumerate(parts):
        _type_part(con, contract, part, i)
        if contract.fmt in ("csv", "csv_noheader"):
            readers.collect_rejects(con, i)
    readers.refuse_bad_encoding(con)
    if contract.fmt in ("csv", "csv_noheader"):
        parts += _csv_by_record(con, contract, chunk, len(parts))
    if contract.fmt == "jsonl":
        # the fast part marks every line that is not exactly the contract's shape, and the JSON reader blanks
        # out what it cannot parse: a file whose count differs from its lines, or that holds any record that
        # cannot land, is read again line by line (exact lines, reasons, raw text, fields kept in _extra)
        counts = {
            p: (n, bad)
            for p, n, bad in con.execute(
                "select _path, count(*), count(*) filter (where _reason <> '') from _typed_0 group by _path"
            ).fetchall()
        }
        short = [d for d in chunk if d.blank_lines or counts.get(str(d.path), (0, 0)) != (d.data_lines, 0)]
        for d in short:
            if lone_carriage_returns(readers.read_bytes(d)):
                raise DeliveryError(
                    "lines end in CR or in a mix of line endings: JSON Lines end each line in LF; "
                    "re-export the file with LF line endings",
                    source_file=d.source_file,
                )
        if short:
            con.execute(
                "delete from _typed_0 where _path in (select unnest(?))", [[str(d.path) for d in short]]
            )
            part = readers.jsonl_line_part(con, contract, short, 1)
            _type_part(con, contract, part, 1)
            readers.collect_rejects(con, 1)
            parts.append(part)
            readers.refuse_bad_encoding(con)
            _warn_extra_fields(con, short)
    return len(parts)


def _csv_by_record(con, contract: TableContract, chunk: list[Delivery], n0: int) -> list[readers.Part]:
    """Files DuckDB's reader counted differently from their lines (a quoted line break, a quote left open), and
    those it cannot take (lone CR line endings), read record by record instead; returns their parts."""
    duck = [d for d in chunk if not d.by_record]
    if duck:
        counted = " union all ".join(
            [f"select _path, count(*) from _typed_{i} group by 1" for i in range(n0)]
            + ["select _path, count(*) from _rej group by 1"]
        )
        seen = dict(con.execute(f"select _path, sum(n) from ({counted}) t(_path, n) group by 1").fetchall())
        miscounted = [d for d in duck if seen.get(str(d.path), 0) != d.data_lines]
        if miscounted:
            paths = [str(d.path) for d in miscounted]
            for i in range(n0):
                con.execute(f"delete from _typed_{i} where _path in (select unnest(?))", [paths])
            con.execute("delete from _rej where _path in (select unnest(?))", [paths])
            for d in miscounted:
                d.by_record = True
    parts = []
    for n, d in enumerate([d for d in chunk if d.by_record], start=n0):
        part = readers.csv_record_part(con, contract, d, n)
        _type_part(con, contract, part, n)
        parts.append(part)
    return parts


def _warn_extra_fields(con, files: list[Delivery]) -> None:
    """Name, on each file, the JSON fields not in the contract that its records keep in `_extra`."""
    by_path = {str(d.path): d for d in files}
    for path, keys in con.execute(
        "select _path, list_sort(list_distinct(flatten(list(json_keys(_extra))))) from _typed_1 "
        "where _extra is not null group by 1"
    ).fetchall():
        warning = f"field(s) not in the contract kept in _extra: {', '.join(keys)}"
        if path in by_path and warning not in by_path[path].warnings:
            by_path[path].warnings.append(warning)


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
    # the fast path numbers records by position: files with blank lines or differing headers take the exact one,
    # and so do files read record by record
    uniform = len({tuple(d.header) for d in chunk}) == 1
    if fast and uniform and not any(d.blank_lines or d.by_record for d in chunk):
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
        status = "replaced" if d.source_file in current else "loaded"
        message = "; ".join(d.warnings + d.notes)
        if status == "replaced":
            message = "; ".join(
                filter(
                    None, [f"replaces the version landed earlier ({current[d.source_file][:12]})", message]
                )
            )
        rows.append(
            ledger.row(
                feed=contract.feed,
                table_name=contract.table,
                source_file=d.source_file,
                file_hash=d.file_hash,
                content_hash=d.content_hash,
                file_bytes=d.size,
                file_mtime_ns=d.mtime_ns,
                partition_day=d.day,
                status="loaded",
                rows_read=d.data_lines,
                rows_landed=int(landed),
                rows_quarantined=int(quarantined),
                message=message or None,
                loaded_at=now,
                is_current=True,
            )
        )
        outcomes.append(
            FileOutcome(
                d.source_file, status, d.data_lines, int(landed), int(quarantined), message, d.warnings, d.day
            )
        )
    ledger.append(con, rows)
    return outcomes
