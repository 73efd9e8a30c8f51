"""A CSV file read record by record, for what DuckDB's reader cannot take or would miscount.

DuckDB's reader lands clean files at full speed. The loader turns to this reader for a file whose lines end in
CR alone or in a mix of endings, whose quoted fields hold line breaks, or that leaves a quote open — files where
counting lines is not counting records, or where one stray quote would swallow every record after it.

A record is one physical line, or several when a quoted field holds line breaks: the quotes balance over the
lines and the record has the header's number of fields. A quote that is never closed costs its own line only:
that line is set aside with its reason, and reading goes on at the next line. Blank lines are not records. Each
record keeps the number of the line it starts on.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

MAX_LINES_PER_RECORD = 1000
"""a quoted field spanning more lines than this is taken for a quote left open"""
_EOL = re.compile(r"\r\n|\r|\n")


@dataclass
class Record:
    line: int
    """the line the record starts on (1 = the file's first line)"""
    fields: list[str]
    problem: str | None = None
    """why the record cannot be read (its fields are then empty); None when it can"""
    text: str | None = None
    """the record's text as delivered, kept when it cannot be read"""


def _parse(text: str) -> list[str] | str:
    """The fields of one record, or what is wrong with its quoting."""
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as exc:
        return str(exc)


def _checked(line: int, text: str, n_fields: int) -> Record:
    fields = _parse(text)
    if isinstance(fields, str):
        return Record(line, [], f"INVALID QUOTING: {fields}", text)
    if len(fields) != n_fields:
        kind = "MISSING COLUMNS" if len(fields) < n_fields else "TOO MANY COLUMNS"
        return Record(line, [], f"{kind}: expected {n_fields} fields, found {len(fields)}", text)
    return Record(line, fields)


def read_records(text: str, n_fields: int, skip_lines: int = 0) -> list[Record]:
    """Every record of `text` after its first `skip_lines` lines (the header), each with its line number."""
    lines = _EOL.split(text)
    ends = _EOL.findall(text)
    if lines and lines[-1] == "" and len(ends) == len(lines) - 1 and ends:
        lines.pop()  # the text ends with a line ending: no line after it
    records: list[Record] = []
    i = skip_lines
    while i < len(lines):
        content = lines[i]
        if not content.strip(" \t"):
            i += 1
            continue
        quotes = content.count('"')
        if quotes % 2 == 0:
            records.append(_checked(i + 1, content, n_fields))
            i += 1
            continue
        alone = _parse(content)
        if isinstance(alone, list) and len(alone) == n_fields:
            # one quote inside an unquoted field (x"y): taken as is, as DuckDB's reader takes it
            records.append(Record(i + 1, alone))
            i += 1
            continue
        # a quoted field holding line breaks, or a quote left open: look for the line that closes it
        j = i
        while quotes % 2 and j + 1 < len(lines) and j - i < MAX_LINES_PER_RECORD:
            j += 1
            quotes += lines[j].count('"')
        if quotes % 2 == 0:
            joined = "".join(lines[k] + ends[k] for k in range(i, j)) + lines[j]
            record = _checked(i + 1, joined, n_fields)
            if record.problem is None:
                records.append(record)
                i = j + 1
                continue
        records.append(
            Record(
                i + 1,
                [],
                "UNTERMINATED QUOTE: a quoted field opened in this line is not closed (the line is set aside, "
                "the next line is read as the next record)",
                content,
            )
        )
        i += 1
    return records
