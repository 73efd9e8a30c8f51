"""Readers: SQL relations over delivered files, one row per record (or per unreadable line), text columns named
as delivered plus `_path`, `_g` (the row's position in the scan), `_line` (its line or sheet row when the reader
knows it), `_extra` (columns not in the contract, as JSON), `_pre_reason` (why the record cannot land, else '')
and `_raw_text`.

CSV is read by DuckDB's CSV reader, JSON Lines by DuckDB's JSON reader (with a line-by-line fallback for a file
whose records do not all parse), workbooks by fastexcel. Lines the CSV reader rejects are collected in `_rej`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import fastexcel
import polars as pl

from kho06.landing.contract import TableContract
from kho06.landing.inspect import Delivery, DeliveryError, decompress, normalise_header, utf8_problem
from kho06.landing.typing import q

_LINE_SEP = "\x1e"  # never present in valid JSON text: reads each line whole
_MAX_JSON_OBJECT = 16 * 1024 * 1024


@dataclass
class Part:
    """A relation over some files of a chunk, and the predicate that drops non-records after numbering."""

    sql: str
    keep: str = "true"


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _numbered(sql: str) -> str:
    # row_number() over () streams in the reader's order: files in list order, rows in file order
    return f"select row_number() over () as _g, * from ({sql})"


def collect_rejects(con, n: int) -> None:
    """Add the lines the CSV reader of part n rejected to `_rej`."""
    con.execute(
        f"""insert into _rej
        select s.file_path, e.line,
               string_agg(e.error_type || ': ' || split_part(e.error_message, chr(10), 1), '; '),
               any_value(e.csv_line)
        from _rej_errors_{n} e join _rej_scans_{n} s on e.scan_id = s.scan_id and e.file_id = s.file_id
        group by s.file_path, e.line"""
    )


def _read_csv(paths: list[str], columns: list[str], header: bool, n: int) -> str:
    cols = "{" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in columns) + "}"
    quoting = "quote = '', escape = ''" if columns == ["line"] else "quote = '\"', escape = '\"'"
    delim = _LINE_SEP if columns == ["line"] else ","
    return (
        f"read_csv({_sql_list(paths)}, header = {str(header).lower()}, columns = {cols}, delim = '{delim}', "
        f"{quoting}, auto_detect = false, strict_mode = true, null_padding = false, filename = true, "
        f"store_rejects = true, rejects_table = '_rej_errors_{n}', rejects_scan = '_rej_scans_{n}', "
        "max_line_size = 10000000)"
    )


def csv_parts(con, contract: TableContract, chunk: list[Delivery], n0: int) -> list[Part]:
    """One relation per distinct header (files with an extra column keep it in `_extra`)."""
    header = contract.fmt == "csv"
    groups: dict[tuple[str, ...], list[Delivery]] = {}
    for d in chunk:
        groups.setdefault(tuple(d.header) if header else tuple(contract.source_names), []).append(d)
    parts = []
    for n, (cols, files) in enumerate(groups.items(), start=n0):
        cols = list(cols)
        extra = [c for c in cols if c not in contract.source_names]
        extra_sql = (
            f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in extra)}))" if extra else "null"
        )
        wanted = ", ".join(q(c) for c in contract.source_names)
        con.execute(f"drop table if exists _rej_errors_{n}; drop table if exists _rej_scans_{n}")
        reader = _read_csv([str(d.path) for d in files], cols, header, n)
        parts.append(
            Part(
                _numbered(
                    f"select filename as _path, null::bigint as _line, {wanted}, {extra_sql}::json as _extra, "
                    f"'' as _pre_reason, null::varchar as _raw_text from {reader}"
                )
            )
        )
    return parts


def _json_columns(contract: TableContract) -> tuple[str, list[str], list[str]]:
    """read_json's columns: the envelope's scalars (`@name` in the contract) and the record list."""
    envelope = [c for c in contract.columns if c.source.startswith("@")]
    record = [c for c in contract.columns if not c.source.startswith("@")]
    fields = ", ".join(f"{q(c.source)} {'JSON' if c.type == 'JSON' else 'VARCHAR'}" for c in record)
    cols = {c.source[1:]: "VARCHAR" for c in envelope} | {contract.json_record_path: f"STRUCT({fields})[]"}
    return cols, [c.source for c in envelope], [c.source for c in record]


def _struct_literal(cols: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{k}': '{v.replace(chr(39), chr(39) * 2)}'" for k, v in cols.items()) + "}"


def _record_checks(records: str, name: str, missing: str) -> str:
    """Why a line's record list cannot land: absent (`missing` is true) or not exactly one record."""
    return (
        f"case when {missing} then 'JSON without a \"{name}\" record list' "
        f"when len({records}) <> 1 then 'expected one record in \"{name}\", found ' || len({records}) "
        "else '' end"
    )


def jsonl_fast_part(contract: TableContract, files: list[Delivery]) -> Part:
    """DuckDB's JSON reader over whole files; lines that do not parse are skipped by it, so the loader checks
    every file's count against its lines and re-reads a file that falls short with `jsonl_line_part`."""
    columns, envelope, record = _json_columns(contract)
    path = q(contract.json_record_path)
    cols = [f"{q(s[1:])} as {q(s)}" for s in envelope] + [f"_r.{q(s)} as {q(s)}" for s in record]
    reader = (
        f"read_json({_sql_list([str(d.path) for d in files])}, format = 'newline_delimited', "
        f"columns = {_struct_literal(columns)}, ignore_errors = true, filename = true, "
        f"maximum_object_size = {_MAX_JSON_OBJECT})"
    )
    return Part(
        _numbered(
            f"select filename as _path, null::bigint as _line, {', '.join(cols)}, null::json as _extra, "
            f"{_record_checks(path, contract.json_record_path, f'{path} is null')} as _pre_reason, "
            "null::varchar as _raw_text "
            f"from (select *, {path}[1] as _r from {reader})"
        )
    )


def jsonl_line_part(con, contract: TableContract, files: list[Delivery], n: int) -> Part:
    """Line by line: every line is a row (a blank line too, dropped after numbering, so `_g` is the line)."""
    structure, envelope, record = _json_columns(contract)
    structure[contract.json_record_path] = [
        {
            c.source: ("JSON" if c.type == "JSON" else "VARCHAR")
            for c in contract.columns
            if c.source in record
        }
    ]
    structure_sql = json.dumps(structure, ensure_ascii=False).replace("'", "''")
    path = q(contract.json_record_path)
    cols = [f"j.{q(s[1:])} as {q(s)}" for s in envelope] + [f"j.{path}[1].{q(s)} as {q(s)}" for s in record]
    con.execute(f"drop table if exists _rej_errors_{n}; drop table if exists _rej_scans_{n}")
    reader = _read_csv([str(d.path) for d in files], ["line"], False, n)
    return Part(
        f"""select _g, _path, _g - min(_g) over (partition by _path) + 1 as _line, {", ".join(cols)},
                   null::json as _extra,
                   case when j is null and not json_valid(line) then 'not valid JSON'
                        else {_record_checks(f"j.{path}", contract.json_record_path, f"j is null or j.{path} is null")}
                   end as _pre_reason,
                   line as _raw_text, line
            from (select *, try(json_transform(line, '{structure_sql}')) as j
                  from ({_numbered(f"select filename as _path, line from {reader}")}))""",
        keep="line is not null and trim(line) <> ''",
    )


def refuse_bad_encoding(con) -> None:
    """A file with bytes that are not UTF-8 is refused whole (DuckDB's CSV reader found them while loading)."""
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
        grid = fastexcel.read_excel(data).load_sheet(0, header_row=None, dtypes="string").to_polars()
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
    named = [(j, h) for j, h in enumerate(header) if not h.startswith("_col")]
    return pl.DataFrame(
        {h: [r[j] for _, r in body] for j, h in named} | {"_line": [n for n, _ in body]},
        schema={**{h: pl.String for _, h in named}, "_line": pl.Int64},
    )


def xlsx_parts(con: duckdb.DuckDBPyConnection, contract: TableContract, chunk: list[Delivery]) -> list[Part]:
    parts = []
    for n, d in enumerate(chunk):
        frame = read_workbook(d, contract)
        con.register(f"_frame_{n}", frame)
        cols = [c for c in frame.columns if c != "_line"]
        extra = [c for c in cols if c not in contract.source_names]
        extra_sql = (
            f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in extra)}))" if extra else "null"
        )
        wanted = ", ".join(q(c) for c in contract.source_names)
        path = str(d.path).replace("'", "''")
        parts.append(
            Part(
                _numbered(
                    f"select '{path}' as _path, _line, {wanted}, {extra_sql}::json as _extra, '' as _pre_reason, "
                    f"null::varchar as _raw_text from _frame_{n}"
                )
            )
        )
    return parts
