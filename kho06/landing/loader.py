"""Land delivered files in DuckDB: every row is landed or quarantined, every file loaded once.

For each file: inspect it (refuse it whole with a clear message if it cannot be loaded), skip it when the
same content is already landed, and otherwise load it in one transaction with its ledger row, replacing an
earlier version of the same file. Files are loaded in chunks so that memory stays bounded at any scale.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from kho06.landing import ledger
from kho06.landing.contract import TableContract
from kho06.landing.inspect import Delivery, DeliveryError, inspect_file
from kho06.landing.readers import stage_text, stage_xlsx
from kho06.landing.typing import q, select_typed

log = logging.getLogger(__name__)
CHUNK_BYTES = 256 * 1024 * 1024
LINEAGE = "_extra json, _format_variants varchar, _source_file varchar, _source_row bigint, " \
          "_file_hash varchar, _loaded_at timestamp"


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

    for path in files:
        day = contract.day_of(path) if contract.daily else None
        rel = path.resolve().relative_to(raw_dir.resolve()).as_posix()
        stat = path.stat()
        if rel in versions and versions[rel][1:] == (stat.st_size, stat.st_mtime_ns):
            done(FileOutcome(rel, "unchanged", message="already landed (same size and time)", partition_day=day))
            continue
        d = inspect_file(path, raw_dir, contract)
        if current.get(d.source_file) == d.file_hash:
            done(FileOutcome(d.source_file, "unchanged", message="already landed", partition_day=day))
            continue
        if (d.source_file, d.file_hash) in refused:
            done(FileOutcome(d.source_file, "rejected", message="refused earlier; unchanged since", partition_day=day))
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

    for chunk in _chunks(pending):
        for outcome in _load_chunk(con, contract, chunk, current, now):
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
        [str(uuid.uuid4()), contract.feed, contract.table, d.source_file, d.file_hash, d.size, d.mtime_ns, day, status,
         d.problem, now],
    )


def _load_chunk(con, contract, chunk: list[Delivery], current: dict[str, str], now) -> list[FileOutcome]:
    """Load a chunk in one transaction; if the chunk fails as a whole, retry its files one by one."""
    try:
        con.execute("begin transaction")
        outcomes = _load_files(con, contract, chunk, current, now)
        con.execute("commit")
        return outcomes
    except (duckdb.Error, DeliveryError) as exc:
        con.execute("rollback")
        if len(chunk) > 1:
            return [o for d in chunk for o in _load_chunk(con, contract, [d], current, now)]
        d = chunk[0]
        d.problem = str(exc) if isinstance(exc, DeliveryError) else f"could not be read: {str(exc).splitlines()[0]}"
        log.error("%s: %s", d.source_file, d.problem)
        day = contract.day_of(d.path) if contract.daily else None
        _record_refusal(con, contract, d, day, now, "rejected")
        return [FileOutcome(d.source_file, "rejected", message=d.problem, partition_day=day)]


def _load_files(con, contract: TableContract, chunk: list[Delivery], current, now) -> list[FileOutcome]:
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
    if contract.fmt == "xlsx":
        stage_xlsx(con, contract, chunk)
    else:
        stage_text(con, contract, chunk)
    # _text: (_source_file, _file_hash, _source_row, <source columns as text>, _extra, _pre_reason, _raw_text)
    select, reason, variants = select_typed(contract.columns)
    con.execute(
        f"""create or replace temp table _typed as
        select {select},
            _extra, {variants} as _format_variants, _source_file, _source_row, _file_hash,
            concat_ws('; ', nullif(_pre_reason, ''), nullif({reason}, '')) as _reason, _raw_text
        from _text"""
    )
    names = ", ".join(q(c.name) for c in contract.columns)
    con.execute(
        f"insert into {table} select {names}, _extra, _format_variants, _source_file, _source_row, _file_hash, ? "
        "from _typed where _reason = ''",
        [now],
    )
    con.execute(
        f"insert into {ledger.SCHEMA}.quarantine select ?, _source_file, _file_hash, _source_row, _raw_text, "
        "_reason, ? from _typed where _reason <> ''",
        [contract.table, now],
    )
    counts = {
        f: (landed, quarantined)
        for f, landed, quarantined in con.execute(
            "select _source_file, count(*) filter (where _reason = ''), count(*) filter (where _reason <> '') "
            "from _typed group by all"
        ).fetchall()
    }
    outcomes = []
    for d in chunk:
        landed, quarantined = counts.get(d.source_file, (0, 0))
        day = contract.day_of(d.path) if contract.daily else None
        status = "replaced" if d.source_file in current else "loaded"
        message = "; ".join(d.warnings + d.notes)
        if status == "replaced":
            message = "; ".join(filter(None, [f"replaces the version landed earlier ({current[d.source_file][:12]})",
                                              message]))
        con.execute(
            f"insert into {ledger.SCHEMA}.load_ledger values (?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?, true)",
            [str(uuid.uuid4()), contract.feed, contract.table, d.source_file, d.file_hash, d.size, d.mtime_ns, day,
             d.data_lines, landed, quarantined, message or None, now],
        )
        outcomes.append(FileOutcome(d.source_file, status, d.data_lines, landed, quarantined, message,
                                    d.warnings, day))
    con.execute("drop table if exists _typed; drop table if exists _text")
    return outcomes
