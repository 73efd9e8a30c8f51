"""Daily partitions, the in-process Dagster run, and the raw-files sensor, on population event files."""

from datetime import datetime

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


@pytest.fixture(autouse=True)
def at_midday(monkeypatch):
    """The sensor's clock at noon, outside its quiet half hour before the nightly run, whenever the tests run;
    a test of the quiet half hour sets its own clock."""
    from orchestration.defs.landing import sensors

    class AtNoon(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 2, 12, 0, tzinfo=tz)

    monkeypatch.setattr(sensors, "datetime", AtNoon)


@pytest.fixture(autouse=True)
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def _sensor_context(instance, cursor=None):
    from orchestration.definitions import defs

    return dg.build_sensor_context(
        cursor=cursor, repository_def=defs().get_repository_def(), instance=instance
    )


def test_sensor_requests_the_new_days_once_then_nothing_once_landed(pipeline, instance):
    raw, materialize, _count = pipeline
    from orchestration.defs.landing.sensors import raw_files_sensor

    context = _sensor_context(instance)
    first = raw_files_sensor(context)
    assert first.job_name == "nightly"
    assert first.tags["dagster/asset_partition_range_start"] == "2023-06-01"
    assert first.tags["dagster/asset_partition_range_end"] == "2023-06-03"
    assert len(context.cursor) <= 16  # a digest, not a list of every file
    # asked for once: the same files waiting for their run are not asked for again
    again = raw_files_sensor(_sensor_context(instance, cursor=context.cursor))
    assert isinstance(again, dg.SkipReason) and "already asked for" in again.skip_message
    materialize(tags={"dagster/asset_partition_range_start": "2023-06-01",
                      "dagster/asset_partition_range_end": "2023-06-03"})  # fmt: skip
    landed = raw_files_sensor(_sensor_context(instance, cursor=context.cursor))
    assert isinstance(landed, dg.SkipReason) and "load ledger" in landed.skip_message
    (raw / "population/events/2023/2023-06-04.csv").write_bytes(event_file("2023-06-04", 2))
    request = raw_files_sensor(_sensor_context(instance, cursor=context.cursor))
    assert request.partition_key == "2023-06-04" and request.job_name == "nightly"
    assert dg.AssetKey(["landing", "population_events"]) in request.asset_selection


def test_sensor_asks_for_nothing_for_files_that_are_not_deliveries(pipeline, instance):
    raw, materialize, _count = pipeline
    from orchestration.defs.landing.sensors import raw_files_sensor

    materialize(tags={"dagster/asset_partition_range_start": "2023-06-01",
                      "dagster/asset_partition_range_end": "2023-06-03"})  # fmt: skip
    (raw / "population/events/2023/2023-06-04.csv.part").write_bytes(event_file("2023-06-04", 2))
    (raw / "population/events/2023/2023-13-45.csv").write_bytes(event_file("2023-06-04", 2))
    assert isinstance(raw_files_sensor(_sensor_context(instance)), dg.SkipReason)


def test_sensor_starts_no_run_beside_a_nightly_run_or_just_before_it(pipeline, monkeypatch, instance):

    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.defs.landing import sensors

    with dg.instance_for_test() as busy_instance:
        busy_instance.add_run(
            DagsterRun(job_name="nightly", run_id="running-run", status=dg.DagsterRunStatus.STARTED)
        )
        busy = sensors.raw_files_sensor(_sensor_context(busy_instance))
        assert isinstance(busy, dg.SkipReason) and "queued or going" in busy.skip_message

    class AtHalfPastMidnight(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 2, 0, 45, tzinfo=tz)

    monkeypatch.setattr(sensors, "datetime", AtHalfPastMidnight)
    quiet = sensors.raw_files_sensor(_sensor_context(instance))
    assert isinstance(quiet, dg.SkipReason) and "01:00" in quiet.skip_message
