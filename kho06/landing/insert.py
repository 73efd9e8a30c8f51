"""How the records of a chunk of deliveries get into their landing table, inside the loader's transaction.

The fast path reads, types and inserts a chunk in one statement and raises NotClean unless every record landed;
the exact path types into temp tables first, so that each record that cannot land is quarantined with its line
(a CSV that DuckDB's reader counts differently from its lines is read record by record, a JSON Lines file with
a line off the contract's shape line by line).
"""

from __future__ import annotations

from kho06.landing import ledger, readers
from kho06.landing.contract import TableContract
from kho06.landing.file_inspection import Delivery, DeliveryError, lone_carriage_returns
from kho06.landing.value_typing import q, typing_sql


class NotClean(Exception):
    """The fast path found a file whose records did not all land: the chunk is loaded again, exactly."""


def register_files(con, chunk: list[Delivery], header_lines: int) -> None:
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


def fast_insert(con, contract: TableContract, chunk: list[Delivery], now) -> dict[str, tuple[int, int]]:
    """One pass: read, type and insert; raises NotClean unless every record of every file landed."""
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
            raise NotClean
    landed = dict(
        con.execute(
            f"select _source_file, count(*) from {table} where _loaded_at = ? and _source_file in (select unnest(?)) "
            "group by 1",
            [now, [d.source_file for d in chunk]],
        ).fetchall()
    )
    if any(landed.get(d.source_file, 0) != d.data_lines for d in chunk):
        raise NotClean
    return {d.source_file: (d.data_lines, 0) for d in chunk}


def exact_insert(con, contract: TableContract, chunk: list[Delivery], now) -> dict[str, tuple[int, int]]:
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
