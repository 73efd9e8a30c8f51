"""Daily partitions, the in-process Dagster run, and the raw-files sensor, on population event files."""

import dagster as dg
import duckdb
import pytest

from kho06 import settings
from kho06.landing.feeds.population import EVENTS

HEADER = ",".join(EVENTS.source_names)


def event_file(day: str, n: int, kind="Khai sinh") -> bytes:
    ymd = day.replace("-", "")
    dmy = "/".join(reversed(day.split("-")))
    rows = [
        f"BD-{ymd}-{i:05d},{kind},DC01-288-{i:07d},030203000{i:03d},{dmy},10507,,,," for i in range(1, n + 1)
    ]
    return ("\ufeff" + HEADER + "\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture
def pipeline(tmp_path, monkeypatch):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    monkeypatch.delenv("KHO06_DUCKDB_PATH", raising=False)
    s = settings.apply(raw, wh)
    for day, n in (("2023-06-01", 3), ("2023-06-02", 4), ("2023-06-03", 5)):
        path = raw / "population" / "events" / "2023" / f"{day}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(event_file(day, n))
    from orchestration.definitions import defs

    d = defs()
    asset = next(
        a for a in d.assets if dg.AssetKey(["landing", "population_events"]) in getattr(a, "keys", ())
    )

    def materialize(**kw):
        result = dg.materialize([asset], resources=d.resources, **kw)
        assert result.success
        return result

    def count(sql):
        with duckdb.connect(str(s.duckdb_path)) as con:
            return con.execute(sql).fetchall()

    return raw, materialize, count


def test_one_partition_loads_only_its_day(pipeline):
    _raw, materialize, count = pipeline
    materialize(partition_key="2023-06-02")
    assert count("select effective_date::varchar, count(*) from landing.population_events group by 1") == [
        ("2023-06-02", 4)
    ]


def test_a_range_run_loads_the_range_in_one_run(pipeline):
    _raw, materialize, count = pipeline
    result = materialize(
        tags={
            "dagster/asset_partition_range_start": "2023-06-01",
            "dagster/asset_partition_range_end": "2023-06-03",
        }
    )
    assert count("select count(*) from landing.population_events") == [(12,)]
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"rows_conserved": True, "no_refused_files": True}


def test_a_changed_file_for_a_loaded_day_replaces_it(pipeline):
    raw, materialize, count = pipeline
    materialize(partition_key="2023-06-01")
    (raw / "population/events/2023/2023-06-01.csv").write_bytes(event_file("2023-06-01", 7))
    materialize(partition_key="2023-06-01")
    assert count("select count(*) from landing.population_events") == [(7,)]
    assert count("select status, is_current from landing.load_ledger order by loaded_at") == [
        ("loaded", False),
        ("loaded", True),
    ]


def test_refused_file_fails_the_check_and_names_the_file(pipeline):
    raw, materialize, _count = pipeline
    (raw / "population/events/2023/2023-06-02.csv").write_bytes(b"")
    result = materialize(partition_key="2023-06-02")
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "no_refused_files"]
    assert not check.passed
    assert "population/events/2023/2023-06-02.csv" in str(check.metadata["refused"].value)


def test_sensor_requests_the_new_day_then_nothing(pipeline):
    raw, _materialize, _count = pipeline
    from orchestration.defs.landing.sensors import raw_files_sensor

    context = dg.build_sensor_context()
    first = raw_files_sensor(context)
    assert [r.tags.get("dagster/asset_partition_range_start") for r in first] == ["2023-06-01"]
    assert first[0].tags["dagster/asset_partition_range_end"] == "2023-06-03"
    context = dg.build_sensor_context(cursor=context.cursor)
    assert isinstance(raw_files_sensor(context), dg.SkipReason)
    (raw / "population/events/2023/2023-06-04.csv").write_bytes(event_file("2023-06-04", 2))
    [request] = raw_files_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert request.partition_key == "2023-06-04" and request.job_name == "daily_feeds"


def test_sensor_asks_for_nothing_for_files_that_are_not_deliveries(pipeline):
    raw, _materialize, _count = pipeline
    from orchestration.defs.landing.sensors import raw_files_sensor

    context = dg.build_sensor_context()
    raw_files_sensor(context)
    (raw / "population/events/2023/2023-06-04.csv.part").write_bytes(event_file("2023-06-04", 2))
    (raw / "population/events/2023/2023-13-45.csv").write_bytes(event_file("2023-06-04", 2))
    assert isinstance(raw_files_sensor(dg.build_sensor_context(cursor=context.cursor)), dg.SkipReason)
