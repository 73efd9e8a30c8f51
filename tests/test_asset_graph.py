"""The Dagster code location, pinned: its assets, checks, jobs, schedules and sensors against `asset_graph.json`.

Each asset is listed with its group, kinds, partitioning and upstream assets, and its checks with whether they
block and their severity (as the dbt test declares it; a check written in Python sets its severity when it runs,
so only `blocking` is pinned for those). Each job is listed with the assets it selects, each schedule and sensor
with the jobs it starts.

When the graph changes on purpose (an asset added, a dependency moved), rewrite the snapshot and read the diff:

    KHO06_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_asset_graph.py

The file is sorted, indented JSON, so the diff shows only what changed (docs/testing.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dagster as dg

SNAPSHOT = Path(__file__).with_name("asset_graph.json")
UPDATE = os.environ.get("KHO06_UPDATE_SNAPSHOTS") == "1"


def _dbt_severities() -> dict[str, str]:
    """dbt test unique_id → its severity as configured (ERROR or WARN)."""
    from orchestration.defs.transform.dbt import project

    nodes = json.loads(project.manifest_path.read_text())["nodes"]
    return {uid: str(n["config"].get("severity", "ERROR")).upper() for uid, n in nodes.items()}


def _partitions(definition: dg.PartitionsDefinition | None) -> str | None:
    return None if definition is None else str(definition)


def _freshness(policy) -> dict[str, str]:
    """A time-window freshness policy as its two windows, in hours."""
    return {
        name: f"{window.to_timedelta().total_seconds() / 3600:g} h"
        for name, window in (("warn", policy.warn_window), ("fail", policy.fail_window))
        if window is not None
    }


def graph_snapshot(defs: dg.Definitions) -> dict[str, Any]:
    repo = defs.get_repository_def()
    graph = repo.asset_graph
    severities = _dbt_severities()
    checks: dict[dg.AssetKey, dict[str, dict[str, Any]]] = {}
    for assets_def in graph.assets_defs:
        for spec in assets_def.check_specs:
            unique_id = spec.metadata.get("dagster_dbt/unique_id")
            checks.setdefault(spec.asset_key, {})[spec.name] = {
                "blocking": spec.blocking,
                "severity": severities.get(unique_id) if unique_id else None,
                "source": "dbt" if unique_id else "python",
            }
    assets = {}
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "kinds": sorted(node.kinds),
            "partitions": _partitions(node.partitions_def),
            "materializable": node.is_materializable,
            "deps": sorted(p.to_user_string() for p in node.parent_keys),
            "checks": dict(sorted(checks.get(key, {}).items())),
            **({"freshness": _freshness(node.freshness_policy)} if node.freshness_policy else {}),
        }
    jobs = {
        job.name: {
            "partitions": _partitions(job.partitions_def),
            "assets": sorted(k.to_user_string() for k in job.asset_layer.selected_asset_keys),
        }
        for job in repo.get_all_jobs()
        if not job.name.startswith("__")
    }
    schedules = {
        s.name: {
            "job": s.job_name,
            "cron": s.cron_schedule,
            "timezone": s.execution_timezone,
            "default_status": s.default_status.value,
        }
        for s in repo.schedule_defs
    }
    sensors = {
        s.name: {
            "jobs": sorted(j.name for j in s.jobs),
            "minimum_interval_seconds": s.minimum_interval_seconds,
            "default_status": s.default_status.value,
        }
        for s in repo.sensor_defs
    }
    return {
        "assets": assets,
        "jobs": dict(sorted(jobs.items())),
        "schedules": dict(sorted(schedules.items())),
        "sensors": dict(sorted(sensors.items())),
    }


def as_text(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_the_asset_graph_is_as_pinned():
    from orchestration.definitions import defs

    now = as_text(graph_snapshot(defs()))
    if UPDATE:
        SNAPSHOT.write_text(now, encoding="utf-8")
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    found = json.loads(now)
    for part in ("assets", "jobs", "schedules", "sensors"):
        gone = sorted(set(pinned[part]) - set(found[part]))
        new = sorted(set(found[part]) - set(pinned[part]))
        changed = sorted(k for k in set(pinned[part]) & set(found[part]) if pinned[part][k] != found[part][k])
        assert not (gone or new or changed), (
            f"{part}: removed {gone}, added {new}, changed {changed}; if meant, rewrite the snapshot with "
            "KHO06_UPDATE_SNAPSHOTS=1 (see the docstring)"
        )
    assert pinned == found
