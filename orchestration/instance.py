"""The Dagster instance every run records in: `$DAGSTER_HOME`, by default `<warehouse>/dagster/`.

`kho06 run`, `make ui` (the UI and the daemon) and the nightly schedule share it, so the UI shows every run,
whoever started it, and the sensor's cursor and the schedule's ticks survive a restart. The folder gets the
project's `dagster.yaml` (the run queue, run retries, telemetry off) when it has none.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
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
    """The persistent instance under `dagster_home()`."""
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home())))
