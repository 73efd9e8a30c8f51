"""How a landing table is described: which files feed it, in what format, with which typed columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

Format = Literal["csv", "csv_noheader", "jsonl", "xlsx"]
TYPES = ("VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "DATE", "TIMESTAMP", "JSON")


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
    personal: bool = False
    """personal data (a name, an ID, a birth date, a phone, an e-mail): messages never quote its values"""

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
        """This table's deliveries under raw_dir (see `kho06.landing.survey`: no link, no temporary or hidden
        file, and for a daily table only files named for a valid day)."""
        from kho06.landing.survey import survey, with_contract

        return [f.path for f in survey(raw_dir, with_contract(self)).deliveries(self)]

    @staticmethod
    def day_of(path: Path | PurePosixPath) -> date | None:
        """The day in a daily file's name; None when it holds none or one the partitions cannot hold."""
        from kho06.landing.days import day_in_name

        return day_in_name(path.name).day
