"""The Dagster instance `dagster dev` starts from the repository root queues runs one at a time: every run writes
the one DuckDB file, which takes one writer."""

import os
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

ROOT = Path(__file__).resolve().parents[1]


def test_runs_wait_for_each_other(tmp_path):
    # as `dagster dev` builds it without DAGSTER_HOME: storage in a scratch folder, settings from the cwd
    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path), config_dir=os.fspath(ROOT)))
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1


def test_the_instance_lives_under_the_warehouse_retries_runs_and_sends_nothing(tmp_path, monkeypatch):
    from kho06 import settings
    from orchestration.instance import instance

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    settings.apply(None, tmp_path / "wh")
    with instance() as inst:
        assert Path(inst.root_directory) == tmp_path / "wh" / "dagster"
        assert inst.run_retries_enabled and inst.run_retries_max_retries == 2
        assert (tmp_path / "wh" / "dagster" / "dagster.yaml").exists()
    config = (ROOT / "dagster.yaml").read_text()
    assert "telemetry:\n  enabled: false" in config


def _job_with_checks(checks: int):
    @dg.asset(check_specs=[dg.AssetCheckSpec(f"rule_{i}", asset="fed") for i in range(checks)])
    def fed():
        yield dg.MaterializeResult()
        for i in range(checks):
            yield dg.AssetCheckResult(check_name=f"rule_{i}", passed=i % 2 == 0, asset_key="fed")

    return dg.Definitions(assets=[fed], jobs=[dg.define_asset_job("fed_job", [fed])]).resolve_job_def(
        "fed_job"
    )


def test_kho06_runs_write_events_that_dagsters_own_storage_reads(tmp_path, monkeypatch):
    from kho06 import settings
    from orchestration.event_log_storage import OPEN_DATABASES, OpenSqliteEventLogStorage
    from orchestration.instance import instance

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    settings.apply(None, tmp_path / "wh")
    job = _job_with_checks(5)
    with instance() as inst:
        storage = inst.event_log_storage
        assert isinstance(storage, OpenSqliteEventLogStorage)
        runs = [job.execute_in_process(instance=inst).run_id for _ in range(OPEN_DATABASES + 2)]
        assert len(storage._engines) <= OPEN_DATABASES  # the oldest runs' databases were closed
        written = {r: len(inst.all_logs(r)) for r in runs}
    # the UI and the daemon read the same files with Dagster's own class
    home = tmp_path / "wh" / "dagster"
    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as plain:
        assert type(plain.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert {r: len(plain.all_logs(r)) for r in runs} == written
        assert all(n > 15 for n in written.values())
        for i in range(5):
            record = plain.event_log_storage.get_latest_asset_check_execution_by_key(
                [dg.AssetCheckKey(dg.AssetKey("fed"), f"rule_{i}")]
            )[dg.AssetCheckKey(dg.AssetKey("fed"), f"rule_{i}")]
            assert record.run_id == runs[-1]
            assert record.status.value == ("SUCCEEDED" if i % 2 == 0 else "FAILED")
        latest = plain.get_latest_materialization_event(dg.AssetKey("fed"))
        assert latest is not None and latest.run_id == runs[-1]


def test_an_instance_that_names_its_event_storage_keeps_it(tmp_path, monkeypatch):
    from orchestration.instance import instance

    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "event_log_storage:\n  module: dagster._core.storage.event_log\n  class: SqliteEventLogStorage\n"
        f"  config:\n    base_dir: {tmp_path / 'events'}\n"
    )
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with instance() as inst:
        assert type(inst.event_log_storage).__name__ == "SqliteEventLogStorage"
