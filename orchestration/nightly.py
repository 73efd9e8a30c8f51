"""What a run of the `nightly` job covers: its days, and whether the snapshot part is in it.

The snapshot landings and models are in a run when a snapshot delivery is new or changed (the load ledger does
not know it), when the warehouse has no ledger yet, or when the last run failed (it may have landed a snapshot
without building on it). Otherwise a night lands and builds only its days, then
checks, reports and publishes. The schedule, the raw-files sensor and `kho06 run` all ask here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import dagster as dg

from kho06.landing.pending import LedgerUnavailable, known_files, not_known
from kho06.settings import Settings
from orchestration.defs.jobs import nightly_job, selection_for
from orchestration.nightly_tags import RANGE_END, RANGE_START

LAST_RUN = "last_run.json"
"""`kho06 run`'s record of its last run, in the warehouse folder"""


def last_run_failed(warehouse_dir: Path, instance: dg.DagsterInstance) -> bool:
    """Whether the last run that wrote the warehouse failed: `kho06 run`'s record of it, or the last ended run
    of the nightly job in the instance."""
    try:
        if not json.loads((warehouse_dir / LAST_RUN).read_text()).get("success", False):
            return True
    except (OSError, ValueError):
        pass
    ended = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
    runs = instance.get_runs(dg.RunsFilter(job_name=nightly_job.name, statuses=ended), limit=1)
    return bool(runs) and runs[0].status != dg.DagsterRunStatus.SUCCESS


def snapshots_changed(settings: Settings, instance: dg.DagsterInstance) -> tuple[bool, list[str]]:
    """Whether a run must take the snapshot part, and why (in words, for the run's log)."""
    try:
        known = known_files(settings.duckdb_path)
    except LedgerUnavailable as busy:
        return True, [str(busy)]
    if known is None:
        return True, ["the warehouse has no load ledger yet"]
    waiting = [f for f in not_known(settings.raw_dir, known) if f.contract and not f.contract.daily]
    if waiting:
        return True, [f"{len(waiting)} new or changed snapshot file(s), e.g. {waiting[0].rel}"]
    if last_run_failed(settings.warehouse_dir, instance):
        return True, ["the last run failed: what it may not have built is built again"]
    return False, []


def asset_keys(snapshots: bool, days: bool, asset_graph) -> list[dg.AssetKey]:
    return sorted(selection_for(snapshots, days).resolve(asset_graph), key=str)


def day_tags(days: tuple[date, date]) -> dict[str, str]:
    return {RANGE_START: str(days[0]), RANGE_END: str(days[1])}


def partition_args(days: tuple[date, date] | None) -> tuple[str | None, dict[str, str]]:
    """(partition key, tags) of a run over `days`: one partition, a range run, or none (no daily part)."""
    if days is None:
        return None, {}
    if days[0] == days[1]:
        return str(days[0]), {}
    return None, day_tags(days)


def run_request(
    days: tuple[date, date] | None, snapshots: bool, asset_graph, run_key: str | None = None
) -> dg.RunRequest:
    """A run of the nightly job for `days` (one partition, a range run, or no daily part), with or without the
    snapshot part."""
    partition_key, tags = partition_args(days)
    return dg.RunRequest(
        run_key=run_key,
        job_name=nightly_job.name,
        partition_key=partition_key,
        tags=tags,
        asset_selection=asset_keys(snapshots, days is not None, asset_graph),
    )
