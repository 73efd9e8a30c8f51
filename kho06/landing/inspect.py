"""First look at a delivered file, before any row is loaded.

A file that cannot be loaded as a whole (empty, cut short, not UTF-8, not a workbook, a mandatory column
missing) is refused here with a message that names the file and the problem; nothing of it is loaded.
What can be loaded with a remark (missing or doubled BOM, an extra column) is loaded with a warning.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from kho06.landing.contract import TableContract

BOM = "\ufeff"
_BLANK_LINE = re.compile(rb"^[ \t\r]*$", re.MULTILINE)
_ANY_BLANK_LINE = re.compile(rb"\n[ \t\r]*(?:\n|\Z)")
_XLSX_MAGIC = b"PK\x03\x04"


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
    header: list[str] = field(default_factory=list)
    """the header as delivered, normalised (BOM and spaces stripped, NFC)"""
    data_lines: int = 0
    """records counted independently of the parser: non-blank lines after the header"""
    physical_lines: int = 0
    blank_lines: list[int] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """informational remarks recorded in the ledger, not warnings (a day without records)"""
    problem: str | None = None


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


def inspect_file(path: Path, raw_dir: Path, contract: TableContract) -> Delivery:
    """Hash and check one file against its contract; `problem` is set when it must be refused."""
    rel = path.resolve().relative_to(raw_dir.resolve()).as_posix()
    mtime_ns = path.stat().st_mtime_ns
    raw = path.read_bytes()
    delivery = Delivery(
        path=path,
        source_file=rel,
        file_hash=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        mtime_ns=mtime_ns,
    )
    try:
        data = decompress(raw) if path.suffix == ".gz" else raw
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
    if not data.strip(BOM.encode() + b" \t\r\n"):
        if contract.fmt == "jsonl":  # a day without records: JSON Lines has no header to miss
            delivery.notes.append("no records (an empty day)")
            return
        raise DeliveryError("empty file: no header and no records")
    # UTF-8 validity is checked by DuckDB's reader as it loads (cheaper than decoding here); see readers.py
    boms = 0
    while data[boms * 3 : boms * 3 + 3] == BOM.encode():
        boms += 1
    if contract.expects_bom and boms == 0:
        delivery.warnings.append("no UTF-8 BOM (the contract asks for one); read as UTF-8")
    if boms > 1:
        delivery.warnings.append(f"{boms} BOMs at the start of the file (one expected)")
    body = data[boms * 3 :]
    delivery.physical_lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    blanks = []
    end = len(body) - 1 if body.endswith(b"\n") else len(body)
    if re.match(rb"[ \t\r]*(\n|\Z)", body) or _ANY_BLANK_LINE.search(body, 0, end):  # rare: then locate them
        blanks = [body.count(b"\n", 0, m.start()) + 1 for m in _BLANK_LINE.finditer(body)]
        blanks = [b for b in blanks if b <= delivery.physical_lines]
    delivery.blank_lines = blanks
    has_header = contract.fmt == "csv"
    delivery.data_lines = delivery.physical_lines - len(blanks) - (1 if has_header else 0)
    if not body.endswith(b"\n"):
        delivery.warnings.append("the last line has no line ending (the file may be cut short)")
    if has_header:
        _check_header(body, contract, delivery)


def _check_header(body: bytes, contract: TableContract, delivery: Delivery) -> None:
    try:
        first = body.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise DeliveryError(utf8_problem(body) or str(exc)) from exc
    header = [normalise_header(h) for h in next(csv.reader(io.StringIO(first)))]
    delivery.header = header
    expected = contract.source_names
    missing = [c for c in expected if c not in header]
    unexpected = [h for h in header if h not in expected]
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
