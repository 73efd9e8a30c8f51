"""A small real warehouse for the report, with a night that went wrong, and the quality results of several runs.

The feeds are simulated at scale 0.002, then three deliveries are spoiled the way they go wrong in practice: the
dossiers file of the last day is not delivered, the population events of the day before arrive in Windows-1258
(refused), and the last day's population events carry a row with an impossible date (quarantined). The feeds
are landed with the real contracts and the dbt models built over them; the `dq` history is then written by
`write_quality_results` (today a fixture of plausible results, `dq_fixture.py`; the quality stage replaces it).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "warehouse"))

from dq_fixture import write_quality_results  # the quality stage's results: swap for the real stage here
from small_build import SCALE, dbt, land_feeds, simulate, write_reference

from kho06.warehouse import PRODUCTION_BUILD_FLAGS

LAST_DAY = "2023-12-31"
REFUSED_DAY = "2023-12-30"


def spoil_deliveries(raw: Path) -> None:
    """The last day's dossiers are missing, the day before's events are refused, one event row is quarantined."""
    (raw / "dossiers" / "daily" / "2023" / f"{LAST_DAY}.jsonl").unlink()
    events = raw / "population" / "events" / "2023"
    refused = events / f"{REFUSED_DAY}.csv"
    lines = refused.read_text(encoding="utf-8-sig").splitlines()
    refused.write_bytes("\n".join(lines).encode("cp1258", errors="replace") + b"\n")
    good, impossible = lines[1].split(","), lines[2].split(",")
    good[0], impossible[0] = "BD-20231231-90001", "BD-20231231-90002"
    good[4], impossible[4] = "31/12/2023", "31/02/2023"
    last = events / f"{LAST_DAY}.csv"
    header, *rows = last.read_text(encoding="utf-8-sig").splitlines()
    last.write_text("\ufeff" + "\n".join([header, *rows, ",".join(good), ",".join(impossible)]) + "\n")


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory) -> dict:
    """{"tmp", "raw", "db"}: the warehouse described above, with its `dq` history."""
    wh = simulate(tmp_path_factory.mktemp("report_warehouse"))
    spoil_deliveries(wh["raw"])
    land_feeds(wh)
    write_reference(wh)
    with mock.patch.dict(os.environ, {"KHO06_KPI_COUNT_SCALE": str(SCALE)}):
        dbt(wh, "build", *PRODUCTION_BUILD_FLAGS)
    write_quality_results(wh["db"])
    return wh


@pytest.fixture
def warehouse_copy(report_warehouse, tmp_path) -> Path:
    """A copy of the report warehouse a test may change."""
    shutil.copy(report_warehouse["db"], tmp_path / "build.duckdb")
    return tmp_path / "build.duckdb"
