"""The day in a daily file's name is checked: not a calendar date, before the first daily partition, or after the
last day a delivery can carry — refused with the reason, never a crash, a failed partition run or a range of
years; the valid days beside it land."""

from datetime import date, timedelta

import duckdb
import pytest
from deliveries import dossier_day, dossier_path, event_csv, event_path

from kho06 import settings
from kho06.landing.days import FIRST_DAY, day_in_name, last_deliverable_day
from kho06.landing.feeds.dossiers import DOSSIERS
from kho06.landing.feeds.population import EVENTS

TOMORROW_BUT_ONE = (last_deliverable_day() + timedelta(days=1)).isoformat()
BAD = {
    dossier_path("2023-13-45"): "is not a calendar date",
    dossier_path("2023-02-30"): "is not a calendar date",
    dossier_path("2020-12-31"): "before the first day of the daily partitions (2021-01-01)",
    event_path("2099-01-01"): "a day that has not come yet",
    event_path(TOMORROW_BUT_ONE): "a day that has not come yet",
    "population/events/2023/2023-06-01_2023-06-02.csv": "more than one day",
}


def write_days(lander):
    lander.write(dossier_path("2023-06-01"), dossier_day("2023-06-01", 2))
    lander.write(event_path("2023-06-01"), event_csv("2023-06-01", 3))
    for rel in BAD:
        data = dossier_day("2023-06-02", 4) if rel.endswith(".jsonl") else event_csv("2023-06-02", 4)
        lander.write(rel, data)


def test_names_with_impossible_days_are_refused_and_the_valid_days_land(lander):
    write_days(lander)
    outcomes = lander.land_all()
    assert outcomes[dossier_path("2023-06-01")].status == "loaded" and lander.rows("dossiers") == 2
    assert outcomes[event_path("2023-06-01")].status == "loaded" and lander.rows("population_events") == 3
    for rel, words in BAD.items():
        assert outcomes[rel].status == "rejected" and words in outcomes[rel].message, rel
        row = lander.ledger_row(rel)
        assert (row["status"], row["table_name"], row["partition_day"]) == (
            "rejected",
            "dossiers" if rel.endswith(".jsonl") else "population_events",
            None,
        )
    assert lander.accounted()[dossier_path("2023-13-45")] == "rejected"


def test_a_refused_name_is_recorded_once_and_refused_in_every_partition_run(lander):
    write_days(lander)
    day = (date(2023, 6, 1), date(2023, 6, 1))
    for _ in range(2):
        outcomes = lander.land(DOSSIERS, days=day)
        assert outcomes[dossier_path("2023-13-45")].status == "rejected"
    rows = lander.db.execute(
        "select count(*) from landing.load_ledger where source_file = ?", [dossier_path("2023-13-45")]
    ).fetchone()[0]
    assert rows == 1
    assert lander.land(EVENTS)[event_path("2099-01-01")].status == "rejected"


@pytest.mark.parametrize(
    ("name", "day", "problem"),
    [
        ("2023-06-09.jsonl", date(2023, 6, 9), None),
        ("2023-06-09.jsonl.gz", date(2023, 6, 9), None),
        ("bao_cao.jsonl", None, None),
        ("2023-13-45.jsonl", None, "not a calendar date"),
        ("0000-01-01.csv", None, "not a calendar date"),
        (f"{FIRST_DAY - timedelta(days=1)}.csv", None, "before the first day"),
        ("9999-12-31.csv", None, "has not come yet"),
        ("20230609-2023-06-10.csv", date(2023, 6, 10), None),
    ],
)
def test_day_in_name(name, day, problem):
    named = day_in_name(name)
    assert named.day == day
    assert (named.problem is None) if problem is None else (problem in named.problem)


@pytest.fixture
def raw_settings(tmp_path, monkeypatch):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    monkeypatch.delenv("KHO06_DUCKDB_PATH", raising=False)
    return raw, settings.apply(raw, wh)


def test_the_landing_run_lands_the_valid_range_beside_impossible_days(raw_settings):
    from orchestration.run import days_present, run_all

    raw, s = raw_settings
    for day, n in (("2023-06-01", 3), ("2023-06-03", 2)):
        (raw / event_path(day)).parent.mkdir(parents=True, exist_ok=True)
        (raw / event_path(day)).write_bytes(event_csv(day, n))
    (raw / dossier_path("2023-06-02")).parent.mkdir(parents=True, exist_ok=True)
    (raw / dossier_path("2023-06-02")).write_bytes(dossier_day("2023-06-02", 4))
    for rel in BAD:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        (raw / rel).write_bytes(
            event_csv("2023-06-02", 1) if rel.endswith(".csv") else dossier_day("2023-06-02", 1)
        )
    assert days_present(raw) == (date(2023, 6, 1), date(2023, 6, 3))
    result = run_all(raw, build_models=False)
    assert result.success and result.days == (date(2023, 6, 1), date(2023, 6, 3)), result.errors
    with duckdb.connect(str(s.duckdb_path), read_only=True) as con:
        assert con.execute("select count(*) from landing.population_events").fetchone()[0] == 5
        assert con.execute("select count(*) from landing.dossiers").fetchone()[0] == 4
        refused = dict(
            con.execute(
                "select source_file, message from landing.load_ledger where status = 'rejected'"
            ).fetchall()
        )
    assert set(refused) == set(BAD)
    assert "warn: landing/dossiers no_refused_files" in result.failed_checks
