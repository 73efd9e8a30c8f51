"""The 63 legacy province codes (before the 2025 reorganisation), three digits each (Hải Dương 030): the valid
first three digits of a citizen ID. Kept in `data/province_codes.csv` (from the `vietnamadminunits` package's
legacy units)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

import polars as pl


@cache
def _rows() -> tuple[tuple[str, str], ...]:
    text = (resources.files("kho06.reference") / "data" / "province_codes.csv").read_text(encoding="utf-8")
    return tuple((r["province_code"], r["province_name"]) for r in csv.DictReader(io.StringIO(text)))


def citizen_id_prefixes() -> tuple[str, ...]:
    """The 63 codes, sorted: a citizen ID whose first three digits are not one of them is invalid."""
    return tuple(sorted(code for code, _ in _rows()))


def province_codes() -> pl.DataFrame:
    """province_code (3 digits), province_name: the table `reference.province_codes`."""
    return pl.DataFrame(list(_rows()), schema=["province_code", "province_name"], orient="row")
