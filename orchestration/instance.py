"""The Dagster instance every run records in: `$DAGSTER_HOME`, by default `<warehouse>/dagster/`.

`kho06 run`, `make ui` (the UI and the daemon) and the nightly schedule share it, so the UI shows every run,
whoever started it, and the sensor's cursor and the schedule's ticks survive a restart. The folder gets the
project's `dagster.yaml` (the run queue, run retries, telemetry off) when it has none.

`kho06 run` writes its events through `OpenSqliteEventLogStorage` (orchestration.event_log_storage): the same
SQLite files as Dagster's default event storage, written about three times faster. The UI and the daemon read
them with Dagster's own class; a run the daemon launches writes with it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.ref import InstanceRef

from kho06.settings import PROJECT_ROOT, get_settings

TEMPLATE = PROJECT_ROOT / "dagster.yaml"


def dagster_home() -> Path:
    """$DAGSTER_HOME if set (it must be absolute, as Dagster requires), else `<warehouse>/dagster`; created with
    the project's dagster.yaml when it has none."""
    home = Path(os.environ.get("DAGSTER_HOME") or get_settings().warehouse_dir / "dagster")
    if not home.is_absolute():
        raise ValueError(f"DAGSTER_HOME must be an absolute path, not {home}")
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(TEMPLATE, home / "dagster.yaml")
    return home


def instance() -> dg.DagsterInstance:
    """The persistent instance under `dagster_home()`, its events written with the databases kept open (unless
    its dagster.yaml names an event storage of its own)."""
    home = dagster_home()
    config = yaml.safe_load((home / "dagster.yaml").read_text()) or {}
    overrides = {}
    if not {"storage", "event_log_storage"} & set(config):
        overrides["event_log_storage"] = {
            "module": "orchestration.event_log_storage",
            "class": "OpenSqliteEventLogStorage",
            # where Dagster's default event storage keeps them
            "config": {"base_dir": str(home / "history" / "runs")},
        }
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))
