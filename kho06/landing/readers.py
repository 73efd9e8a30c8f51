"""Readers: SQL relations over delivered files, one row per record (or per unreadable line), text columns named
as delivered plus `_path`, `_g` (the row's position in the scan), `_line` (its line or sheet row when the reader
knows it), `_extra` (columns not in the contract, as JSON), `_pre_reason` (why the record cannot land, else '')
and `_raw_text`.

CSV is read by DuckDB's CSV reader (record by record in Python, csv_records.py, for a file it cannot take or
miscounts), JSON Lines by DuckDB's JSON functions (with a line-by-line reading that says what is wrong with each
line, for a file whose lines are not all exactly the contract's shape), workbooks by fastexcel. Lines the CSV
reader rejects are collected in `_rej`.
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
from kho06.landing.csv_records import read_records
from kho06.landing.file_inspection import (
    BOM,
    Delivery,
    DeliveryError,
    decompress,
    normalise_header,
    safe_message,
    utf8_problem,
)
from kho06.landing.value_typing import q
from kho06.warehouse.sql import literal

_LINE_SEP = "\x1e"  # never present in valid JSON text: reads each line whole
_MAX_JSON_OBJECT = 16 * 1024 * 1024


@dataclass
class Part:
    """A relation over some files of a chunk, and the predicate that drops non-records after numbering."""

    sql: str
    keep: str = "true"


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join(literal(v) for v in values) + "]"


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
    for n, (header_names, files) in enumerate(groups.items(), start=n0):
        cols = list(header_names)
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


def read_bytes(d: Delivery) -> bytes:
    """A delivery's content, decompressed."""
    data = d.path.read_bytes()
    return decompress(data) if d.path.suffix == ".gz" else data


def read_text(d: Delivery) -> str:
    """A text delivery's content, decompressed, without its BOMs, as UTF-8 (refused if it is not)."""
    data = read_bytes(d)
    start = 0
    while data[start : start + 3] == BOM.encode():
        start += 3
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeliveryError(utf8_problem(data[start:]) or str(exc), source_file=d.source_file) from exc


def csv_record_part(con, contract: TableContract, d: Delivery, n: int) -> Part:
    """One CSV file read record by record in Python (see csv_records.py); `d.data_lines` becomes the number of
    records it holds (a record may span lines), so that rows read count records."""
    header = contract.fmt == "csv"
    cols = list(d.header) if header else contract.source_names
    records = read_records(read_text(d), len(cols), skip_lines=1 if header else 0)
    d.data_lines = len(records)
    frame = pl.DataFrame(
        {c: [r.fields[j] if r.fields else None for r in records] for j, c in enumerate(cols)}
        | {
            "_line": [r.line for r in records],
            "_pre_reason": ["unreadable line: " + r.problem if r.problem else "" for r in records],
            "_raw_text": [r.text for r in records],
        },
        schema={
            **{c: pl.String for c in cols},
            "_line": pl.Int64,
            "_pre_reason": pl.String,
            "_raw_text": pl.String,
        },
    )
    con.register(f"_records_{n}", frame)
    extra = [c for c in cols if c not in contract.source_names]
    extra_sql = f"to_json(struct_pack({', '.join(f'{q(c)} := {q(c)}' for c in extra)}))" if extra else "null"
    wanted = ", ".join(q(c) for c in contract.source_names)
    path = literal(str(d.path))
    return Part(
        _numbered(
            f"select {path} as _path, _line, {wanted}, {extra_sql}::json as _extra, _pre_reason, _raw_text "
            f"from _records_{n}"
        )
    )


def _json_columns(contract: TableContract) -> tuple[dict[str, str], list[str], list[str]]:
    """read_json's columns: the envelope's scalars (`@name` in the contract) and the record list."""
    envelope = [c for c in contract.columns if c.source.startswith("@")]
    record = [c for c in contract.columns if not c.source.startswith("@")]
    fields = ", ".join(f"{q(c.source)} {'JSON' if c.type == 'JSON' else 'VARCHAR'}" for c in record)
    cols = {c.source[1:]: "VARCHAR" for c in envelope} | {contract.json_record_path: f"STRUCT({fields})[]"}
    return cols, [c.source for c in envelope], [c.source for c in record]


def _record_checks(records: str, name: str, missing: str) -> str:
    """Why a line's record list cannot land: absent (`missing` is true) or not exactly one record."""
    return (
        f"case when {missing} then 'JSON without a \"{name}\" record list' "
        f"when len({records}) <> 1 then 'expected one record in \"{name}\", found ' || len({records}) "
        "else '' end"
    )


def _json_structure(contract: TableContract) -> tuple[str, list[str], list[str]]:
    """json_transform's structure (SQL-quoted), and the envelope's and the record's keys in contract order."""
    columns, _, record = _json_columns(contract)
    structure: dict[str, object] = {k: v for k, v in columns.items() if k != contract.json_record_path}
    structure[contract.json_record_path] = [
        {
            c.source: ("JSON" if c.type == "JSON" else "VARCHAR")
            for c in contract.columns
            if c.source in record
        }
    ]
    keys = [k for k in structure]
    return json.dumps(structure, ensure_ascii=False).replace("'", "''"), keys, record


def _key_paths(contract: TableContract) -> str:
    """json_keys' paths: the envelope and the (first) record."""
    return f"['$', '$.{contract.json_record_path}[0]']"


def jsonl_fast_part(contract: TableContract, files: list[Delivery]) -> Part:
    """Each line's JSON read whole and transformed to the contract's fields. A line lands on this path only if
    its keys are exactly the contract's, in its order (so no unknown, missing or repeated key), with no object
    or list where the contract has one text value; any other line is marked, and the loader reads its file again
    with `jsonl_line_part`, which says what is wrong with each line. Lines that are not JSON are NULL here."""
    structure, envelope_keys, record_keys = _json_structure(contract)
    _, envelope, record = _json_columns(contract)
    path = q(contract.json_record_path)
    cols = [f"j.{q(s[1:])} as {q(s)}" for s in envelope] + [f"j.{path}[1].{q(s)} as {q(s)}" for s in record]
    reader = (
        f"read_ndjson_objects({_sql_list([str(d.path) for d in files])}, filename = true, "
        f"ignore_errors = true, maximum_object_size = {_MAX_JSON_OBJECT})"
    )
    expected = f"[{_sql_list(envelope_keys)}, {_sql_list(record_keys)}]"
    # a text column holding an object or a list: its text starts with { or [ (a hint, told apart by the line path)
    nested = " or ".join(
        f"prefix({q(c.source)}, '{{') or prefix({q(c.source)}, '[')"
        for c in contract.columns
        if c.type == "VARCHAR"
    )
    checks = _record_checks("_list", contract.json_record_path, "_list is null")
    return Part(
        _numbered(
            f"""select * exclude (_keys, _list),
                   case when _keys is distinct from {expected} then 'keys differ from the contract'
                        when {nested or "false"} then 'an object or a list in a text field'
                        else {checks} end as _pre_reason
            from (select filename as _path, null::bigint as _line, {", ".join(cols)}, null::json as _extra,
                         json::varchar as _raw_text, j.{path} as _list, json_keys(json, {_key_paths(contract)}) as _keys
                  from (select *, json_transform(json, '{structure}') as j from {reader}))"""
        )
    )


def jsonl_line_part(con, contract: TableContract, files: list[Delivery], n: int) -> Part:
    """Line by line: every line is a row (a blank line too, dropped after numbering, so `_g` is the line).

    What the contract does not allow is told line by line, as the CSV path tells its equivalents: a line that
    is not JSON, an envelope without one record, a key repeated in an object, an object or a list where the
    contract has one value (each quarantined with its reason; values are never quoted); fields the contract
    does not know are kept in `_extra` (the loader warns, naming them)."""
    structure, envelope_keys, record_keys = _json_structure(contract)
    _, envelope, record = _json_columns(contract)
    path = q(contract.json_record_path)
    cols = [f"j.{q(s[1:])} as {q(s)}" for s in envelope] + [f"j.{path}[1].{q(s)} as {q(s)}" for s in record]
    scalars = [c for c in contract.columns if c.type != "JSON"]
    scalar_paths = [
        f"$.{c.source[1:]}" if c.source.startswith("@") else f"$.{contract.json_record_path}[0].{c.source}"
        for c in scalars
    ]
    record_path = f"$.{contract.json_record_path}[0]"

    def unknown(i: int, known: list[str]) -> str:
        return f"list_filter(_k[{i}], lambda x: not list_contains({_sql_list(known)}, x))"

    def repeated(i: int) -> str:
        return (
            f"list_distinct(list_filter(_k[{i}], lambda x: len(list_filter(_k[{i}], lambda y: y = x)) > 1))"
        )

    def value(prefix: str, base: str) -> str:
        # the unknown key's value as JSON: its path quotes the key ($."key", a quote in it escaped)
        key_path = f"'{base}.\"' || replace(x, '\"', '\\\"') || '\"'"
        return f"lambda x: {{'key': '{prefix}' || x, 'value': json_extract(line, {key_path})}}"

    extra = (
        f"to_json(map_from_entries(list_transform({unknown(1, envelope_keys)}, {value('@', '$')}) || "
        f"list_transform({unknown(2, record_keys)}, {value('', record_path)})))"
    )
    nested = (
        f"list_filter(list_transform(range(1, {len(scalars) + 1}), lambda i: case when _types[i] in ('OBJECT', 'ARRAY') "
        f"then {_sql_list([c.name for c in scalars])}[i] end), lambda x: x is not null)"
    )
    con.execute(f"drop table if exists _rej_errors_{n}; drop table if exists _rej_scans_{n}")
    reader = _read_csv([str(d.path) for d in files], ["line"], False, n)
    return Part(
        f"""select _g, _path, _g - min(_g) over (partition by _path) + 1 as _line, {", ".join(cols)},
                   case when j is not null and len({unknown(1, envelope_keys)}) + len({unknown(2, record_keys)}) > 0
                        then {extra} end::json as _extra,
                   case when j is null and not json_valid(line) then 'not valid JSON'
                        when len({repeated(1)}) > 0 then
                             'a key repeated in the envelope: ' || array_to_string({repeated(1)}, ', ')
                        when len({repeated(2)}) > 0 then
                             'a key repeated in the record: ' || array_to_string({repeated(2)}, ', ')
                        when len({nested}) > 0 then
                             array_to_string({nested}, ', ') || ': an object or a list where the contract has one value'
                        else {_record_checks(f"j.{path}", contract.json_record_path, f"j is null or j.{path} is null")}
                   end as _pre_reason,
                   line as _raw_text, line
            from (select *, try(json_keys(line, {_key_paths(contract)})) as _k,
                         try(json_type(line, {_sql_list(scalar_paths)})) as _types
                  from (select *, try(json_transform(line, '{structure}')) as j
                        from ({_numbered(f"select filename as _path, line from {reader}")})))""",
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
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the workbook reader may also panic (a BaseException) on a damaged file
        raise DeliveryError(f"not a readable workbook ({safe_message(exc)})") from exc
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
        path = literal(str(d.path))
        parts.append(
            Part(
                _numbered(
                    f"select {path} as _path, _line, {wanted}, {extra_sql}::json as _extra, '' as _pre_reason, "
                    f"null::varchar as _raw_text from _frame_{n}"
                )
            )
        )
    return parts
