"""The population marts on a small simulated warehouse: the contract's indicators, the defect rules against the
truth file, the commune totals, the incremental window of fct_life_events, and no personal data in the marts.

One module-scoped warehouse in tmp_path: the population feed simulated at a small scale, landed with the landing
library, the reference tables written by their Dagster asset, then `dbt build` of the population marts (and what
they need) in a child process, with its own target and log folders.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from dagster_duckdb import DuckDBResource

from kho06.landing.feeds import population as population_feed
from kho06.landing.loader import land
from orchestration.defs.reference.admin_units import admin_units

SCALE = 0.002
LIVING = round(2_100_000 * SCALE)
ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
SELECTION = ["+path:models/marts/population", "+path:models/intermediate/population"]
POPULATION_MARTS = ["dim_household", "fct_residents", "fct_life_events", "fct_commune_population"]


def dbt(wh, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KHO06_DUCKDB_PATH": str(wh["db"])}
    env.pop("KHO06_ENV", None)  # the development pseudonym key
    cmd = [str(DBT), *args, "--target-path", str(wh["tmp"] / "target"), "--log-path", str(wh["tmp"] / "logs")]
    done = subprocess.run(
        cmd, check=False, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("population_wh")
    raw, db = tmp / "raw", tmp / "kho06.duckdb"
    simulate = [
        str(Path(sys.executable).with_name("kho06")),
        "simulate",
        "--out",
        str(raw),
        "--scale",
        str(SCALE),
    ]
    subprocess.run(
        [*simulate, "--seed", "6", "--feed", "population"], check=True, capture_output=True, timeout=120
    )
    with duckdb.connect(str(db)) as con:
        for contract in (population_feed.SNAPSHOT, population_feed.EVENTS):
            land(con, contract, raw)
    result = dg.materialize([admin_units], resources={"duckdb": DuckDBResource(database=str(db))})
    assert result.success
    wh = {"tmp": tmp, "raw": raw, "db": db}
    dbt(wh, "build", "--select", *SELECTION, "--indirect-selection", "cautious")
    return wh


def query(wh, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(wh["db"]), read_only=True) as con:
        return con.sql(sql).pl()


def truth(wh) -> set[tuple[str, str]]:
    frame = pl.read_csv(wh["raw"] / "_truth" / "defects.csv").filter(pl.col("feed") == "population")
    return set(zip(frame["record_key"], frame["defect_class"], strict=True))


def test_indicators_follow_the_contract(wh):
    figures = dict(
        query(wh, "select indicator_id, value from intermediate.int_population__kpi_figures").iter_rows()
    )
    assert figures == {"population_records_digitised": LIVING, "population_digitised_pct": 100.0}


def test_rules_find_exactly_the_injected_defects(wh):
    found = query(
        wh,
        "select record_id as k, quality_issue as c from marts.fct_residents where quality_issue is not null "
        "union all select event_id, 'duplicate_event' from marts.fct_life_events where is_duplicate_event",
    )
    assert set(zip(found["k"], found["c"], strict=True)) == truth(wh)


def test_counted_residents_and_households_add_up(wh):
    residents = query(
        wh,
        "select count(*) filter (where is_counted_resident) as counted, "
        "count(*) filter (where is_living and not is_duplicate_copy and not is_dead_still_active) as rule, "
        "count(*) filter (where admin_unit_key = -1 or household_key = -1 or snapshot_date_key = -1) as unknown "
        "from marts.fct_residents",
    ).row(0, named=True)
    assert residents == {"counted": LIVING, "rule": LIVING, "unknown": 0}
    communes = query(
        wh,
        "select sum(counted_residents) as r, sum(households) as h, count(*) as n from marts.fct_commune_population",
    ).row(0, named=True)
    assert communes["r"] == LIVING
    assert communes["h"] == round(LIVING / 3.64)  # the contract's clean households
    assert communes["n"] == 207 + 1  # every legacy commune valid on the as-of date, and the unknown unit


def test_incremental_window_reloads_only_its_days(wh):
    table = "marts.fct_life_events"
    before = query(wh, f"select * from {table} order by event_id")
    with duckdb.connect(str(wh["db"])) as con:  # lose March and April 2022, then reload March only
        con.execute(f"delete from {table} where event_date between '2022-03-01' and '2022-04-30'")
    dbt(
        wh,
        "run",
        "--select",
        "fct_life_events",
        "--vars",
        '{"min_date": "2022-03-01", "max_date": "2022-03-31"}',
    )
    after = query(wh, f"select * from {table} order by event_id")
    april = pl.col("event_date").is_between(pl.date(2022, 4, 1), pl.date(2022, 4, 30))
    march = pl.col("event_date").is_between(pl.date(2022, 3, 1), pl.date(2022, 3, 31))
    assert before.filter(april).height > 0 and before.filter(march).height > 0
    assert after.equals(before.filter(~april))


def test_no_personal_data_reaches_the_marts(wh):
    people = query(wh, "select citizen_id, head_citizen_id, full_name from landing.population_snapshot")
    events = query(wh, "select citizen_id, old_value, new_value from landing.population_events")
    secrets = {v for frame in (people, events) for col in frame.columns for v in frame[col].drop_nulls()}
    secrets -= {v for v in secrets if not (re.fullmatch(r"\d{9,12}", v) or " " in v.strip())}  # IDs and names
    assert len(secrets) > LIVING
    columns = query(
        wh,
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        f"where table_schema = 'marts' and table_name in ({', '.join(repr(t) for t in POPULATION_MARTS)}) "
        "or table_name = 'int_population__kpi_figures'",
    )
    banned = re.compile(r"citizen_id|full_name|phone|email|hamlet|address|^birth_date$")
    assert not [c for c in columns["column_name"] if banned.search(c)]
    for schema, table, column, data_type in columns.iter_rows():
        if data_type != "VARCHAR":
            continue
        values = set(query(wh, f'select distinct "{column}" as v from {schema}.{table}')["v"].drop_nulls())
        assert not values & secrets, f"{table}.{column} holds personal data"
        assert not [v for v in values if re.fullmatch(r"\d{9,12}", v)], f"{table}.{column} holds raw IDs"
