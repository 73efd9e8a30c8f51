"""First look at a delivered file, before any row is loaded.

A file that cannot be loaded as a whole (empty, cut short, not UTF-8, not a workbook, a mandatory column
missing) is refused here with a message that names the file and the problem; nothing of it is loaded.
What can be loaded with a remark (missing or doubled BOM, an extra column) is loaded with a warning.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kho06.landing.contract import TableContract

BOM = "\ufeff"
_BOM = BOM.encode()
_BLANK_LINE = re.compile(rb"^[ \t\r]*$", re.MULTILINE)
_ANY_BLANK_LINE = re.compile(rb"\n[ \t\r]*(?:\n|\Z)")
_LEADING_BLANK = re.compile(rb"[ \t\r]*(\n|\Z)")
_EMPTY = re.compile(rb"(?:\xef\xbb\xbf|[ \t\r\n])*\Z")
_FIRST_LINE = re.compile(rb"[^\r\n]*")
_XLSX_MAGIC = b"PK\x03\x04"
_VALUE_FOLLOWS = re.compile(r"\s(?:Input:|Object\s|Original Line|Value:|Row:)")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
IN_FLUX = "still being written (its size or time changed while it was read): it will be loaded on a later run"


class DeliveryError(Exception):
    """A file that cannot be loaded as a whole (`source_file` names it when found while loading a chunk)."""

    def __init__(self, message: str, source_file: str | None = None) -> None:
        super().__init__(message)
        self.source_file = source_file


@dataclass
class Delivery:
    path: Path
    source_file: str
    """path relative to the raw folder, as recorded in the ledger and the lineage columns"""
    file_hash: str
    size: int
    mtime_ns: int = 0
    day: date | None = None
    """the day in a daily file's name"""
    content_hash: str = ""
    """the hash of the content once decompressed, and for CSV as the contract writes it (with its BOM or
    without, LF line endings): the same records delivered again under another name, compression or export are
    recognised by it"""
    header: list[str] = field(default_factory=list)
    """the header as delivered, normalised (BOM and spaces stripped, NFC)"""
    data_lines: int = 0
    """records counted independently of the parser: non-blank lines after the header (for a CSV file read record
    by record, see csv_records.py, the records it holds)"""
    physical_lines: int = 0
    blank_lines: list[int] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """informational remarks recorded in the ledger, not warnings (a day without records)"""
    problem: str | None = None
    in_flux: bool = False
    """the file changed while it was read: not loaded now, tried again on a later run"""
    by_record: bool = False
    """CSV to be read record by record in Python (line endings DuckDB's reader cannot take, quoted line breaks,
    an unclosed quote) instead of by DuckDB's reader"""

    def changed_since_read(self) -> bool:
        """Whether the file's size or time differs from when it was read (a delivery still being copied)."""
        try:
            stat = self.path.stat()
        except OSError:
            return True
        return (stat.st_size, stat.st_mtime_ns) != (self.size, self.mtime_ns)


def safe_message(exc: BaseException) -> str:
    """An error's first line with every quoted part blanked: readers quote the values they stumble on (a whole
    JSON object, a CSV line), and a message must never carry a delivery's data."""
    first = _VALUE_FOLLOWS.split((str(exc).splitlines() or [""])[0], maxsplit=1)[0]
    return f"{type(exc).__name__}: {_QUOTED.sub('…', first)}".strip()


def normalise_header(name: str) -> str:
    return unicodedata.normalize("NFC", name.replace(BOM, "").strip())


def decompress(raw: bytes) -> bytes:
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as exc:
        raise DeliveryError(
            f"gzip stream is cut short or damaged ({exc}); the delivery is incomplete"
        ) from exc


def utf8_problem(data: bytes) -> str | None:
    """Where a file stops being UTF-8, and whether that line reads as Windows-1258 (legacy Vietnamese)."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        end = data.find(b"\n", exc.start)
        guess = ""
        try:
            data[start : end if end >= 0 else len(data)].decode("cp1258")
            guess = " The line reads as Windows-1258 (a legacy Vietnamese code page): re-export the file as UTF-8."
        except UnicodeDecodeError:
            pass
        return f"not UTF-8: byte 0x{data[exc.start]:02X} at line {line} cannot be decoded.{guess}"


def lone_carriage_returns(data: bytes, start: int = 0) -> bool:
    """Whether lines end in a lone CR somewhere (classic Mac OS, or a mix of line endings)."""
    return b"\r" in data and data.count(b"\r", start) != data.count(b"\r\n", start)


def inspect_file(path: Path, source_file: str, contract: TableContract) -> Delivery:
    """Hash and check one file against its contract; `problem` is set when it must be refused, `in_flux` when
    it changed while it was read."""
    before = path.stat()
    raw = path.read_bytes()
    after = path.stat()
    delivery = Delivery(
        path=path,
        source_file=source_file,
        file_hash=hashlib.sha256(raw).hexdigest(),
        size=before.st_size,
        mtime_ns=before.st_mtime_ns,
    )
    seen = (before.st_size, before.st_mtime_ns)
    if len(raw) != before.st_size or (after.st_size, after.st_mtime_ns) != seen:
        delivery.in_flux = True
        delivery.problem = IN_FLUX
        return delivery
    delivery.content_hash = delivery.file_hash
    try:
        data = raw
        if path.suffix == ".gz":
            data = decompress(raw)
            delivery.content_hash = hashlib.sha256(data).hexdigest()
        if contract.fmt == "xlsx":
            if not data.startswith(_XLSX_MAGIC):
                kind = "an empty file" if not data else "not a workbook (no zip signature)"
                raise DeliveryError(f"named .xlsx but {kind}; the contract requires an Excel .xlsx workbook")
            return delivery
        _inspect_text(data, contract, delivery)
    except DeliveryError as exc:
        delivery.problem = str(exc)
    return delivery


def _inspect_text(data: bytes, contract: TableContract, delivery: Delivery) -> None:
    if _EMPTY.match(data):
        if contract.fmt == "jsonl":  # a day without records: JSON Lines has no header to miss
            delivery.notes.append("no records (an empty day)")
            return
        raise DeliveryError("empty file: no header and no records")
    # UTF-8 validity is checked by DuckDB's reader as it loads (cheaper than decoding here); see readers.py
    boms = 0
    while data[boms * 3 : boms * 3 + 3] == _BOM:
        boms += 1
    if contract.expects_bom and boms == 0:
        delivery.warnings.append("no UTF-8 BOM (the contract asks for one); read as UTF-8")
    if boms > 1:
        delivery.warnings.append(f"{boms} BOMs at the start of the file (one expected)")
    start = boms * 3
    if contract.fmt != "jsonl":
        crs = b"\r" in data
        if crs and lone_carriage_returns(data, start):
            # lines end in CR alone (or in a mix): counted here as if they ended in LF, read record by record
            delivery.by_record = True
            delivery.warnings.append("lines end in CR or in a mix of line endings (the contract has LF)")
        if crs or boms != (1 if contract.expects_bom else 0):
            # the same records exported again may differ by their BOM or line endings only: the content is
            # hashed as the contract writes it (its BOM, LF endings); a file written so needs no second hash
            body = (
                data[start:].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                if crs
                else memoryview(data)[start:]
            )
            content = hashlib.sha256(_BOM if contract.expects_bom else b"")
            content.update(body)
            delivery.content_hash = content.hexdigest()
            if delivery.by_record:
                data, start = bytes(body), 0
    ends_in_newline = data.endswith(b"\n")
    delivery.physical_lines = data.count(b"\n", start) + (0 if ends_in_newline else 1)
    blanks = []
    end = len(data) - 1 if ends_in_newline else len(data)
    leading = _LEADING_BLANK.match(data, start)
    if leading or _ANY_BLANK_LINE.search(data, start, end):  # rare: then locate them
        found = {data.count(b"\n", start, m.start()) + 1 for m in _BLANK_LINE.finditer(data, start)}
        blanks = sorted(b for b in found | ({1} if leading else set()) if b <= delivery.physical_lines)
    delivery.blank_lines = blanks
    has_header = contract.fmt == "csv"
    delivery.data_lines = delivery.physical_lines - len(blanks) - (1 if has_header else 0)
    if not ends_in_newline:
        delivery.warnings.append("the last line has no line ending (the file may be cut short)")
    if has_header:
        _check_header(data, start, contract, delivery)


def _check_header(data: bytes, start: int, contract: TableContract, delivery: Delivery) -> None:
    match = _FIRST_LINE.match(data, start)
    line = match.group(0) if match else b""
    try:
        first = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeliveryError(utf8_problem(data[start:]) or str(exc)) from exc
    header = [normalise_header(h) for h in next(csv.reader([first]), [])]
    delivery.header = header
    expected = contract.source_names
    missing = [c for c in expected if c not in header]
    unexpected = [h for h in header if h not in expected]
    if len(missing) * 2 > len(expected):
        # not a header at all: its fields are data (perhaps personal), so none of them is quoted
        raise DeliveryError(
            f"no header row: line 1 holds {len(expected) - len(missing)} of the contract's {len(expected)} "
            f"column names (the file may have been exported without its header)"
        )
    if missing:
        hint = f"; found instead: {', '.join(repr(u) for u in unexpected)}" if unexpected else ""
        raise DeliveryError(f"missing column(s) {', '.join(repr(m) for m in missing)}{hint}")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise DeliveryError(f"column(s) named twice in the header: {', '.join(dupes)}")
    if unexpected:
        delivery.extra_columns = unexpected
        delivery.warnings.append(
            f"extra column(s) {', '.join(repr(u) for u in unexpected)} kept in _extra (not in the contract)"
        )
    if delivery.data_lines == 0:
        delivery.notes.append("header only: the file holds no records")
