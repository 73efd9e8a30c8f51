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
