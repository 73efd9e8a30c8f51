"""The population marts on a small simulated warehouse: the contract's indicators, the defect rules against the
truth file, the commune totals, the incremental run of fct_life_events, and no personal data in the marts.

One module-scoped warehouse in tmp_path: the population feed simulated at a small scale, landed with the landing
library, the reference tables written by their Dagster asset, then `dbt build` of the population marts (and what
they need) in a child process, with its own target and log folders.
"""

from __future__ import annotations

import re

import duckdb
import polars as pl
import pytest
from small_build import (
    SCALE,
    assert_no_personal_data,
    assert_rules_find_the_truth,
    build,
    dbt,
    query,
    truth_pairs,
)

LIVING = round(2_100_000 * SCALE)
SELECTION = ["+path:models/marts/population", "+path:models/intermediate/population"]
POPULATION_MARTS = ["dim_household", "fct_residents", "fct_life_events", "fct_commune_population"]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    return build(tmp_path_factory.mktemp("population_wh"), ["population"], SELECTION)


def truth(wh) -> set[tuple[str, str]]:
    return truth_pairs(wh, "population")


def test_indicators_follow_the_contract(wh):
    figures = dict(
        query(wh, "select indicator_id, value from intermediate.int_population_figures_computed").iter_rows()
    )
    assert figures == {"population_records_digitised": LIVING, "population_digitised_pct": 100.0}


def test_rules_find_exactly_the_injected_defects(wh):
    assert_rules_find_the_truth(wh, "population")


def test_mart_flags_name_the_rules(wh):
    """The marts' quality columns come from the rules: a resident's rules are listed, the copies flagged by
    population.duplicate_record are the duplicate copies, and no counted resident is a copy or dead."""
    flags = query(
        wh,
        "select count(*) filter (where is_duplicate_copy) as copies, "
        "count(*) filter (where quality_rules_failed like '%population.duplicate_record%') as by_rule, "
        "count(*) filter (where is_counted_resident and (is_duplicate_copy or is_dead_still_active)) as wrong "
        "from marts.fct_residents",
    ).row(0, named=True)
    copies = len([1 for _, c in truth(wh) if c == "duplicate_record"])
    assert flags == {"copies": copies, "by_rule": copies, "wrong": 0}


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


def test_incremental_run_reloads_the_events_its_run_checked(wh):
    """Lose March and April 2022 from the fact, then build the life-event checks and the fact for March: the fact
    gets back every March event and, of April's, those the run checked again (sharing an id, a fingerprint or a
    record with a March event) and those without an id; the rest of April stays lost."""
    table = "marts.fct_life_events"
    before = query(wh, f"select * from {table} order by event_id")
    with duckdb.connect(str(wh["db"])) as con:
        con.execute(f"delete from {table} where event_date between '2022-03-01' and '2022-04-30'")
    dbt(
        wh,
        "run",
        "--select",
        "chk_population__events",
        "fct_life_events",
        "--vars",
        '{"min_date": "2022-03-01", "max_date": "2022-03-31"}',
    )
    after = query(wh, f"select * from {table} order by event_id")
    checked = query(
        wh,
        "select distinct event_id from checks.chk_population__events where _checked_by_invocation = "
        "(select max(_checked_by_invocation) from checks.chk_population__events "
        "where file_date between '2022-03-01' and '2022-03-31')",
    )["event_id"]
    april = pl.col("event_date").is_between(pl.date(2022, 4, 1), pl.date(2022, 4, 30))
    march = pl.col("event_date").is_between(pl.date(2022, 3, 1), pl.date(2022, 3, 31))
    reloaded = pl.col("event_id").is_in(checked.drop_nulls().implode()) | pl.col("event_id").is_null()
    assert before.filter(april).height > before.filter(april & reloaded).height
    assert before.filter(march).height > 0 and before.filter(march & ~reloaded).height == 0
    assert after.equals(before.filter(~april | reloaded))


def test_rows_checked_under_other_rules_are_all_checked_again(wh):
    """An incremental run checks some life events again; once stored rows say they were judged by other rules
    (a rule edited since: their `_rules_checksum` differs), the next run checks every row again."""

    def runs_in_table() -> int:
        return query(
            wh, "select count(distinct _checked_by_invocation) as n from checks.chk_population__events"
        )["n"][0]

    def run_may() -> None:
        dbt(
            wh,
            "run",
            "--select",
            "chk_population__events",
            "--vars",
            '{"min_date": "2022-05-01", "max_date": "2022-05-31"}',
        )

    run_may()
    assert runs_in_table() > 1  # the rows of other months keep the run that checked them
    with duckdb.connect(str(wh["db"])) as con:
        con.execute(
            "update checks.chk_population__events set _rules_checksum = 'an earlier rule set' "
            "where file_date < '2022-01-01'"
        )
    run_may()
    assert runs_in_table() == 1
    checksums = query(wh, "select distinct _rules_checksum from checks.chk_population__events")
    assert checksums.height == 1 and checksums[0, 0] != "an earlier rule set"


def test_no_personal_data_reaches_the_marts(wh):
    people = query(wh, "select citizen_id, head_citizen_id, full_name from landing.population_snapshot")
    events = query(wh, "select citizen_id, old_value, new_value from landing.population_events")
    secrets = {v for frame in (people, events) for col in frame.columns for v in frame[col].drop_nulls()}
    secrets -= {v for v in secrets if not (re.fullmatch(r"\d{9,12}", v) or " " in v.strip())}  # IDs and names
    assert len(secrets) > LIVING
    assert_no_personal_data(
        wh,
        secrets,
        POPULATION_MARTS,
        "int_population_figures_computed",
        r"citizen_id|full_name|phone|email|hamlet|address|^birth_date$",
    )
