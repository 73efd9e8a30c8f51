"""How a landing table is described: which files feed it, in what format, with which typed columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

Format = Literal["csv", "csv_noheader", "jsonl", "xlsx"]
TYPES = ("VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "DATE", "TIMESTAMP", "JSON")
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Column:
    """One column: its name in the delivery, its landing name and type.

    `formats` are strptime formats for DATE/TIMESTAMP: the first is the contract's, the others are variants
    that real deliveries use; a value in a variant is landed and flagged in `_format_variants`.
    """

    source: str
    name: str
    type: str = "VARCHAR"
    formats: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type}")
        if self.type in ("DATE", "TIMESTAMP") and not self.formats:
            raise ValueError(f"{self.name}: a {self.type} column needs its format")


@dataclass(frozen=True)
class TableContract:
    feed: str
    table: str
    fmt: Format
    pattern: str
    """glob under the raw folder, e.g. 'dossiers/daily/*/*.jsonl' (gzip copies '*.jsonl.gz' are matched too)"""
    columns: tuple[Column, ...]
    daily: bool = False
    """files carry their day (YYYY-MM-DD) in their name and load as daily partitions"""
    json_record_path: str = "data"
    """jsonl: the list in each line that holds the record (exactly one per line)"""
    header_marker: str = ""
    """xlsx: a header cell that identifies the header row below any title rows"""
    expects_bom: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def source_names(self) -> list[str]:
        return [c.source for c in self.columns]

    def files(self, raw_dir: Path) -> list[Path]:
        found = set(raw_dir.glob(self.pattern)) | set(raw_dir.glob(self.pattern + ".gz"))
        return sorted(p for p in found if p.is_file() and "_truth" not in p.parts)

    def matches(self, rel_path: str) -> bool:
        """Whether a path (relative to the raw folder) belongs to this table."""
        path = PurePosixPath(rel_path)
        return path.match(self.pattern) or path.match(self.pattern + ".gz")

    @staticmethod
    def day_of(path: Path | PurePosixPath) -> date | None:
        m = _DAY.search(path.name)
        return date.fromisoformat(m.group(1)) if m else None
