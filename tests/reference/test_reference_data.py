"""The warehouse's reference data (kho06.reference): the province codes, the public holidays, the tables the
reference asset writes, and the direction of the dependencies (the pipeline never imports the simulator)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource
from vietnamadminunits.database import query

from kho06.reference.province_codes import citizen_id_prefixes, province_codes
from kho06.reference.public_holidays import FIRST_YEAR, LAST_YEAR, public_holidays, weekday_holidays

ROOT = Path(__file__).resolve().parents[2]


def test_the_province_codes_are_the_63_legacy_provinces_of_the_package():
    frame = province_codes()
    from_package = {
        (r["provinceCode"].zfill(3), r["province"])
        for r in query("select distinct provinceCode, province from admin_units_legacy")
    }
    assert set(frame.iter_rows()) == from_package
    assert len(citizen_id_prefixes()) == 63 == len(set(citizen_id_prefixes()))
    assert all(re.fullmatch(r"0\d\d", code) for code in citizen_id_prefixes())
    assert "030" in citizen_id_prefixes() and "003" not in citizen_id_prefixes()


def test_the_dbt_project_reads_the_codes_instead_of_listing_them():
    """dbt reads the codes from reference.province_codes (the reference asset writes it from the data file):
    no model or macro lists them again."""
    sql = {p: p.read_text() for p in (ROOT / "dbt_project").rglob("*.sql") if "target" not in p.parts}
    listing = [
        p
        for p, text in sql.items()
        if len(set(re.findall(r"'(0\d\d)'", text)) & set(citizen_id_prefixes())) > 5
    ]
    assert listing == []
    assert any("stg_reference__province_codes" in text for text in sql.values())


@pytest.mark.parametrize("year", range(FIRST_YEAR, LAST_YEAR + 1))
def test_every_year_has_the_public_holidays_of_the_labour_code(year):
    days = {d: n for d, n in public_holidays().iter_rows() if d.year == year}
    names = " | ".join(days.values())
    assert date(year, 1, 1) in days and date(year, 4, 30) in days and date(year, 5, 1) in days
    assert date(year, 9, 2) in days
    assert "Tết Nguyên Đán" in names and "Giỗ Tổ Hùng Vương" in names
    assert sum("Tết Nguyên Đán" in n for n in days.values()) >= 4  # the lunar new year's days off


def test_the_holidays_are_unique_days_and_the_weekday_ones_exclude_weekends():
    frame = public_holidays()
    assert frame["holiday_date"].is_unique().all() and frame["name"].null_count() == 0
    assert frame["holiday_date"].is_sorted()
    weekdays = weekday_holidays()
    assert weekdays and all(d.weekday() < 5 for d in weekdays)
    assert len(weekdays) < len(frame)  # some holidays fall on a weekend


def test_the_reference_asset_writes_the_province_codes_and_the_holidays(tmp_path):
    from orchestration.defs.reference.admin_units import admin_units

    db = tmp_path / "ref.duckdb"
    assert dg.materialize([admin_units], resources={"duckdb": DuckDBResource(database=str(db))}).success
    with duckdb.connect(str(db), read_only=True) as con:
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type from information_schema.columns "
                "where table_schema = 'reference' and table_name in ('province_codes', 'public_holidays')"
            ).fetchall()
        )
        codes = [r[0] for r in con.execute("select province_code from reference.province_codes").fetchall()]
        holidays = con.execute(
            "select count(*), min(holiday_date), max(holiday_date) from reference.public_holidays"
        )
        n, first, last = holidays.fetchone()
    assert types == {
        "province_codes.province_code": "VARCHAR",
        "province_codes.province_name": "VARCHAR",
        "public_holidays.holiday_date": "DATE",
        "public_holidays.name": "VARCHAR",
    }
    assert sorted(codes) == list(citizen_id_prefixes())
    assert n == len(public_holidays()) and first.year == FIRST_YEAR and last.year == LAST_YEAR


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["orchestration", "kho06/warehouse", "kho06/reference", "kho06/landing"])
def test_the_pipeline_does_not_import_the_simulator(package):
    offending = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if m.startswith("kho06.simulator"))
        for path in (ROOT / package).rglob("*.py")
    }
    assert not {p: m for p, m in offending.items() if m}
