"""Readers that stage delivered files as text rows in the temp table `_text`.

`_text` has one row per delivered record (or per line that could not be parsed): `_source_file`, `_file_hash`,
`_source_row` (the line in the file, or the sheet row), one text column per contract column, `_extra` (columns
not in the contract, as JSON), `_pre_reason` (why the line could not be parsed, else '') and `_raw_text`.
CSV and JSON Lines are read by DuckDB's CSV reader in one scan per chunk of files; workbooks by fastexcel.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import fastexcel
import polars as pl

from kho06.landing.contract import TableContract
from kho06.landing.inspect import Delivery, DeliveryError, decompress, normalise_header, utf8_problem
from kho06.landing.typing import q

_LINE_SEP = "\x1e"  # never present in valid JSON text: reads each line whole


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _register_files(con: duckdb.DuckDBPyConnection, chunk: list[Delivery], first_line: int, blanks: bool) -> None:
    con.execute(
        "create or replace temp table _files (_path varchar, _source_file varchar, _file_hash varchar, "
        "first_line bigint, last_line bigint)"
    )
    con.executemany(
        "insert into _files values (?, ?, ?, ?, ?)",
        [[str(d.path), d.source_file, d.file_hash, first_line, d.physical_lines] for d in chunk],
    )
    con.execute("create or replace temp table _blank (_path varchar, line bigint)")
    rows = [[str(d.path), n] for d in chunk for n in d.blank_lines] if blanks else []
    if rows:
        con.executemany("insert into _blank values (?, ?)", rows)


def _read_csv(paths: list[str], columns: list[str], header: bool) -> str:
    cols = "{" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in columns) + "}"
    quoting = "quote = '', escape = ''" if columns == ["line"] else "quote = '\"', escape = '\"'"
    delim = _LINE_SEP if columns == ["line"] else ","
    return (
        f"read_csv({_sql_list(paths)}, header = {str(header).lower()}, columns = {cols}, delim = '{delim}', "
        f"{quoting}, auto_detect = false, strict_mode = true, null_padding = false, filename = true, "
        "store_rejects = true, rejects_table = '_rej_errors', rejects_scan = '_rej_scans', "
        "max_line_size = 10000000)"
    )


def _stage_scan(con, source_sql: str, columns: list[str]) -> None:
    """Scan into `_scan` (with each row's ordinal in its file) and collect the rejected lines in `_rej`."""
    con.execute("drop table if exists _rej_errors; drop table if exists _rej_scans")
    cols = ", ".join(q(c) for c in columns)
    con.execute(
        f"create or replace temp table _scan as select filename as _path, row_number() over () as _g, {cols} "
        f"from {source_sql}"
    )
    con.execute(
        """create or replace temp table _rej as
        select s.file_path as _path, e.line,
               string_agg(e.error_type || ': ' || split_part(e.error_message, chr(10), 1), '; ') as msg,
               any_value(e.csv_line) as csv_line
        from _rej_errors e join _rej_scans s on e.scan_id = s.scan_id and e.file_id = s.file_id
        group by s.file_path, e.line"""
    )
    _refuse_bad_encoding(con)
    # the line of each parsed row: the k-th line of its file that is neither blank nor rejected
    con.execute(
        """create or replace temp table _map as
        with lines as (select _path, unnest(range(first_line, last_line + 1)) as line from _files),
        kept as (
            select l._path, l.line from lines l
            anti join _blank b on b._path = l._path and b.line = l.line
            anti join _rej r on r._path = l._path and r.line = l.line)
        select _path, line, row_number() over (partition by _path order by line) as k from kept"""
    )
    con.execute(
        "create or replace temp table _scan as select *, _g - min(_g) over (partition by _path) + 1 as _k from _scan"
    )


def _refuse_bad_encoding(con) -> None:
    """A file with bytes that are not UTF-8 is refused whole (DuckDB's reader found them while loading)."""
    bad = con.execute(
        "select distinct f._source_file, f._path from _rej r join _files f using (_path) "
        "where r.msg like 'INVALID ENCODING%' order by 1"
    ).fetchall()
    if bad:
        source_file, path = bad[0]
        data = Path(path).read_bytes()
        if path.endswith(".gz"):
            data = decompress(data)
        raise DeliveryError(utf8_problem(data) or "not UTF-8", source_file=source_file)


def _rejected_rows(columns: list[str]) -> str:
    nulls = ", ".join(f"null::varchar as {q(c)}" for c in columns)
    return (
        f"select f._source_file, f._file_hash, r.line as _source_row, {nulls}, null::json as _extra, "
        "'unreadable line: ' || r.msg as _pre_reason, r.csv_line as _raw_text "
        "from _rej r join _files f using (_path)"
    )


def stage_text(con: duckdb.DuckDBPyConnection, contract: TableContract, chunk: list[Delivery]) -> None:
    if contract.fmt == "jsonl":
        _stage_jsonl(con, contract, chunk)
        return
    header = contract.fmt == "csv"
    groups: dict[tuple[str, ...], list[Delivery]] = {}
    for d in chunk:
        groups.setdefault(tuple(d.header) if header else tuple(contract.source_names), []).append(d)
    parts = []
    for n, (cols, files) in enumerate(groups.items()):
        cols = list(cols)
        _register_files(con, files, 2 if header else 1, blanks=True)
        _stage_scan(con, _read_csv([str(d.path) for d in files], cols, header), cols)
        extra = [c for c in cols if c not in contract.source_names]
        extra_sql = f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in extra)}))" if extra else "null"
        raw = f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in cols)}))::varchar"
        wanted = ", ".join(q(c) for c in contract.source_names)
        con.execute(
            f"""create or replace temp table _text_{n} as
            select f._source_file, f._file_hash, m.line as _source_row, {wanted}, {extra_sql}::json as _extra,
                   '' as _pre_reason, {raw} as _raw_text
            from _scan s join _map m on m._path = s._path and m.k = s._k join _files f on f._path = s._path
            union all {_rejected_rows(contract.source_names)}"""
        )
        parts.append(f"select * from _text_{n}")
    con.execute(f"create or replace temp table _text as {' union all '.join(parts)}")


def _json_structure(contract: TableContract) -> tuple[str, list[str], list[str]]:
    envelope = [c for c in contract.columns if c.source.startswith("@")]
    record = [c for c in contract.columns if not c.source.startswith("@")]
    rec = {c.source: ("JSON" if c.type == "JSON" else "VARCHAR") for c in record}
    struct = {c.source[1:]: "VARCHAR" for c in envelope} | {contract.json_record_path: [rec]}
    return json.dumps(struct, ensure_ascii=False), [c.source for c in envelope], [c.source for c in record]


def _stage_jsonl(con, contract: TableContract, chunk: list[Delivery]) -> None:
    _register_files(con, chunk, 1, blanks=False)
    _stage_scan(con, _read_csv([str(d.path) for d in chunk], ["line"], header=False), ["line"])
    structure, envelope, record = _json_structure(contract)
    path = q(contract.json_record_path)
    env_cols = [f"j.{q(s[1:])} as {q(s)}" for s in envelope]
    rec_cols = [f"p._r.{q(s)} as {q(s)}" for s in record]
    structure_sql = structure.replace("'", "''")
    con.execute(
        f"""create or replace temp table _text as
        with parsed0 as (
            select s._path, m.line as _source_row, s.line,
                   try(json_transform(s.line, '{structure_sql}')) as j
            from _scan s join _map m on m._path = s._path and m.k = s._k
            where s.line is not null and trim(s.line) <> ''),
        parsed as (select *, j.{path}[1] as _r from parsed0)
        select f._source_file, f._file_hash, p._source_row, {', '.join(env_cols + rec_cols)}, null::json as _extra,
               case when j is null and not json_valid(p.line) then 'not valid JSON'
                    when j is null or j.{path} is null then 'JSON without a "{contract.json_record_path}" record list'
                    when len(j.{path}) <> 1 then 'expected one record in "{contract.json_record_path}", found '
                         || len(j.{path})
                    else '' end as _pre_reason,
               p.line as _raw_text
        from parsed p join _files f on f._path = p._path
        union all {_rejected_rows(envelope + record)}"""
    )


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(d: Delivery, contract: TableContract) -> pl.DataFrame:
    """The first sheet's records as text, located below the header row (found by its marker cell)."""
    data = d.path.read_bytes()
    if d.path.suffix == ".gz":
        data = decompress(data)
    try:
        sheet = fastexcel.read_excel(data).load_sheet(0, header_row=None, dtypes="string")
        grid = sheet.to_polars()
    except Exception as exc:
        raise DeliveryError(f"not a readable workbook: {exc}") from exc
    rows = [[_cell_text(v) for v in row] for row in grid.iter_rows()]
    marker = normalise_header(contract.header_marker)
    header_at = next(
        (i for i, row in enumerate(rows[:30]) if any(v and normalise_header(v) == marker for v in row)), None
    )
    if header_at is None:
        raise DeliveryError(f"no header row: no cell {contract.header_marker!r} in the first 30 rows")
    header = [normalise_header(v) if v else f"_col{j}" for j, v in enumerate(rows[header_at])]
    missing = [c for c in contract.source_names if c not in header]
    if missing:
        extra = [h for h in header if h not in contract.source_names and not h.startswith("_col")]
        hint = f"; found instead: {', '.join(map(repr, extra))}" if extra else ""
        raise DeliveryError(f"missing column(s) {', '.join(map(repr, missing))}{hint}")
    body = [(i + 1, r) for i, r in enumerate(rows) if i > header_at and any(v not in (None, "") for v in r)]
    d.data_lines = len(body)
    d.header = header
    frame = pl.DataFrame(
        {h: [r[j] for _, r in body] for j, h in enumerate(header) if not h.startswith("_col")} |
        {"_source_row": [n for n, _ in body]},
        schema={**{h: pl.String for h in header if not h.startswith("_col")}, "_source_row": pl.Int64},
    )
    return frame


def stage_xlsx(con: duckdb.DuckDBPyConnection, contract: TableContract, chunk: list[Delivery]) -> None:
    parts = []
    for n, d in enumerate(chunk):
        frame = read_workbook(d, contract)
        con.register(f"_frame_{n}", frame)
        cols = [c for c in frame.columns if c != "_source_row"]
        extra = [c for c in cols if c not in contract.source_names]
        extra_sql = f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in extra)}))" if extra else "null"
        raw = f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in cols)}))::varchar"
        wanted = ", ".join(q(c) for c in contract.source_names)
        con.execute(
            f"""create or replace temp table _text_{n} as
            select ? as _source_file, ? as _file_hash, _source_row, {wanted}, {extra_sql}::json as _extra,
                   '' as _pre_reason, {raw} as _raw_text from _frame_{n}""",
            [d.source_file, d.file_hash],
        )
        parts.append(f"select * from _text_{n}")
    con.execute(f"create or replace temp table _text as {' union all '.join(parts)}")
