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

from kho06.landing import insert, ledger
from kho06.landing.contract import TableContract
from kho06.landing.file_inspection import (
    IN_FLUX,
    Delivery,
    DeliveryError,
    inspect_file,
    safe_message,
)
from kho06.landing.survey import RawFile, Survey, survey, with_contract
from kho06.landing.value_typing import q

log = logging.getLogger(__name__)
# a chunk holds well over one row group (122,880 rows) of any feed: DuckDB then writes its rows straight to the
# database file as it inserts them (compressed), instead of logging them and keeping them in memory until a
# checkpoint rewrites them all when the connection closes
CHUNK_BYTES = 512 * 1024 * 1024
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
        except (insert.NotClean, duckdb.Error):
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
    insert.register_files(con, chunk, 1 if contract.fmt == "csv" else 0)
    # the fast path numbers records by position: files with blank lines or differing headers take the exact one,
    # and so do files read record by record
    uniform = len({tuple(d.header) for d in chunk}) == 1
    if fast and uniform and not any(d.blank_lines or d.by_record for d in chunk):
        counts = insert.fast_insert(con, contract, chunk, now)
    else:
        counts = insert.exact_insert(con, contract, chunk, now)
    return _record_loads(con, contract, chunk, current, now, counts)


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
