"""The nightly path gives the warehouse a full build would give: the last two days of the daily feeds are held
back, everything else is landed and built, then each held day is landed and built as the nightly run builds it
(`dbt build --select tag:daily+` with the day's window); the daily facts and everything computed from them must
then equal a full rebuild. The last day repeats dossiers received earlier (duplicate_sync), so the run must
update dossiers outside its own day.
"""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from small_build import dbt, land_feeds, query, simulate, write_reference

from kho06.landing.feeds import CONTRACTS
from kho06.warehouse import PRODUCTION_BUILD_FLAGS

COMPARED = [
    "intermediate.int_dossier_lines",
    "marts.fct_dossiers",
    "marts.fct_life_events",
    "marts.scorecard_766_district_month",
    "marts.kpi_article_figures",
]


def snapshot(wh: dict) -> dict[str, pl.DataFrame]:
    return {t: query(wh, f"select * from {t} order by all") for t in COMPARED}


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nightly_wh")
    wh = simulate(tmp)
    raw, held = wh["raw"], tmp / "held"
    daily = [c for c in CONTRACTS if c.daily]
    last_days = sorted({c.day_of(f) for c in daily for f in c.files(raw)})[-2:]
    moved = []
    for contract in daily:
        for f in contract.files(raw):
            if contract.day_of(f) in last_days:
                target = held / f.relative_to(raw)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(f, target)
                moved.append(target)
    land_feeds(wh)
    write_reference(wh)
    dbt(wh, "build", *PRODUCTION_BUILD_FLAGS)
    for day in last_days:
        for f in moved:
            if str(day) in f.name:
                shutil.move(f, raw / f.relative_to(held))
        land_feeds(wh)
        window = json.dumps({"min_date": str(day), "max_date": str(day)})
        dbt(wh, "build", "--select", "tag:daily+", "--vars", window, *PRODUCTION_BUILD_FLAGS)
    return wh, last_days


def test_the_held_days_repeat_earlier_dossiers(nightly):
    wh, days = nightly
    repeats = query(
        wh,
        "select count(*) as n from intermediate.int_dossier_lines "
        f"where received_file_date = '{days[-1]}' and line_rank > 1",
    )["n"][0]
    assert repeats > 0  # the case the nightly run must carry to dossiers of earlier days


def test_the_nightly_runs_give_what_a_full_build_gives(nightly):
    wh, _ = nightly
    after_nightly = snapshot(wh)
    dbt(wh, "build", "--select", "tag:daily+", "--full-refresh", *PRODUCTION_BUILD_FLAGS)
    full = snapshot(wh)
    for table in COMPARED:
        assert after_nightly[table].height > 0, table
        assert after_nightly[table].equals(full[table]), table


def test_the_daily_job_lands_the_day_before_dbt_builds_it():
    """The daily models read the landing tables through staging views the job does not build: the job must
    still order the day's landings before dbt."""
    from orchestration.definitions import defs

    job = defs().resolve_job_def("daily_feeds")
    upstream = {o.node_name for o in job.graph.dependency_structure.all_upstream_outputs_from_node("dbt_daily")}
    assert {"landing__dossiers", "landing__population_events"} <= upstream
