"""Run the `nightly` job in this process, in the persistent Dagster instance: `kho06 run`.

No daemon or webserver is needed, and the run is recorded where the UI shows it (orchestration.instance). The
job's own dependencies give the order — landing, reference tables, dbt, the quality stage, the report, the
analysts' warehouse. A full run covers every day present under raw/ (one range run); `day` runs one night. When
the run fails (a failure of the pipeline, not a data defect: those are results), the quality stage and the report
run after it, tagged as following a failed run, so the failure is recorded in dq.runs and shown in the report;
the published warehouse stays as it was.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Self
from unittest import mock

import dagster as dg

from orchestration.defs.quality.run_id import FAILED_TAG, RUN_TAG

QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
STEP_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
}
PLANNED_AS_RANGE = "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"
RECORDED_DAYS = 31
"""runs over fewer days than this are recorded in the persistent instance (orchestration.instance)"""


@dataclass
class StepTime:
    step: str
    started: float
    ended: float | None = None
    status: str = "running"

    @property
    def seconds(self) -> float:
        return (self.ended or time.time()) - self.started


@dataclass
class RunResult:
    success: bool
    failed_checks: list[str] = field(default_factory=list)
    days: tuple[date, date] | None = None
    snapshots: bool = True
    files: dict[str, int] = field(default_factory=dict)
    """this run's files by what became of them (loaded, replaced, unchanged, rejected, duplicate, deferred)"""
    steps: list[StepTime] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = ""
    errors: list[str] = field(default_factory=list)
    """the steps that failed, each with its error's first line"""


def days_present(raw_dir) -> tuple[date, date] | None:
    """The first and last day of the daily files under raw/ (a day the partitions cannot hold is refused by the
    landing, not counted here)."""
    from kho06.landing.survey import survey

    return survey(raw_dir).days()


def _import_meanwhile(module: str) -> None:
    """Import `module` in a background thread while the run's first steps work (the landing in DuckDB, dbt in its
    own process): Great Expectations, which the quality stage imports, takes seconds to import. An error is left
    to the step that imports the module itself, where it is reported as the step's failure."""

    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    threading.Thread(target=load, name=f"import {module}", daemon=True).start()


def _definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


class _StepWatch:
    """Follows a run's step events in the instance while it runs: each step's start and end, for the progress
    lines and the run's timings."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, on_step: Callable[[StepTime], None] | None):
        self.instance, self.run_id, self.on_step = instance, run_id, on_step
        self.steps: dict[str, StepTime] = {}
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.poll()

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self.poll()

    def poll(self) -> None:
        page = self.instance.get_records_for_run(self.run_id, cursor=self._cursor, of_type=STEP_EVENTS)
        self._cursor = page.cursor or self._cursor
        for record in page.records:
            entry = record.event_log_entry
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            key = event.step_key
            if event.event_type == dg.DagsterEventType.STEP_START:
                self.steps[key] = StepTime(key, entry.timestamp)
            else:
                step = self.steps.setdefault(key, StepTime(key, entry.timestamp))
                step.ended = entry.timestamp
                step.status = event.event_type_value.removeprefix("STEP_").lower()
            if self.on_step is not None:
                self.on_step(self.steps[key])


def _failed_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    return [
        f"{c.severity.value.lower()}: {c.asset_key.to_user_string()} {c.check_name}"
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not (c := e.asset_check_evaluation_data).passed
    ]


def _step_errors(result: dg.ExecuteInProcessResult) -> list[str]:
    errors = []
    for e in result.all_events:
        if e.event_type_value == "STEP_FAILURE" and e.step_failure_data is not None:
            error = e.step_failure_data.error
            message = (error.message if error else "failed").strip().splitlines()
            errors.append(f"{e.step_key}: {message[0] if message else 'failed'}")
    return errors


def _landed_files(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    """What became of the files this run looked at, from the landing assets' materialisations (a range run
    records one per day, each with the run's counts: one per asset is read)."""
    counts: dict[str, int] = {}
    seen: set[dg.AssetKey] = set()
    for e in result.all_events:
        if e.event_type_value != "ASSET_MATERIALIZATION":
            continue
        mat = e.event_specific_data.materialization  # type: ignore[union-attr]
        if mat.asset_key.path[0] != "landing" or "files" not in mat.metadata or mat.asset_key in seen:
            continue
        seen.add(mat.asset_key)
        files = mat.metadata["files"].value
        if not isinstance(files, dict):  # landing/not_deliveries: a count of files, not by status
            continue
        for status, n in files.items():
            counts[status] = counts.get(status, 0) + int(n)
    return counts


def run_all(
    raw_dir,
    days: tuple[date, date] | None = None,
    build_models: bool = True,
    on_step: Callable[[StepTime], None] | None = None,
    mode: str = "full",
) -> RunResult:
    """The nightly job over `days` (default: every day under raw/), in this process.

    `build_models=False` lands the feeds only (the landing and reference assets, no dbt).
    """
    from kho06.settings import get_settings
    from orchestration import nightly
    from orchestration.defs import jobs
    from orchestration.defs.quality.checks import quality_checks
    from orchestration.instance import instance as dagster_instance

    t0 = time.time()
    settings = get_settings()
    defs = _definitions()
    graph = defs.resolve_asset_graph()
    job = defs.resolve_job_def(jobs.nightly_job.name)
    days = days or days_present(raw_dir)
    recorded = days is None or (days[1] - days[0]).days < RECORDED_DAYS
    # a run over years of days is not recorded in the instance: its one event per day and asset would take
    # SQLite many minutes to write; nights and ranges of up to a month are
    persistent = dagster_instance()
    instance = persistent if recorded else dg.DagsterInstance.ephemeral()
    # an unrecorded range run plans each asset's days as one event, not one event per day and asset (some
    # 2,000 events, seconds of the run): Dagster's setting only stops it marking the days failed when the run
    # fails, in an instance that is thrown away
    planned = {} if recorded else {PLANNED_AS_RANGE: "true"}
    if build_models:
        snapshots, _why = nightly.snapshots_changed(settings, persistent)
        keys = nightly.asset_keys(snapshots, days is not None, graph)
    else:
        snapshots = True
        keys = sorted(jobs.landing_only.resolve(graph), key=str)
        if days is None:
            keys = [k for k in keys if not graph.get(k).is_partitioned]
    partition_key, tags = nightly.partition_args(days)
    run_tag = {RUN_TAG: str(uuid.uuid4())}
    run_id = str(uuid.uuid4())
    if not build_models:
        # the landing's own checks, not the quality rules' (they read the quality stage's results)
        rules = dg.AssetSelection.checks(*quality_checks).resolve_checks(graph)
        own = {k for k in graph.asset_check_keys if k.asset_key in set(keys)} - set(rules)
        job = job.get_subset(asset_selection=set(keys), asset_check_selection=own)
    if build_models:
        _import_meanwhile("kho06.quality.suites")
    with _StepWatch(instance, run_id, on_step) as watch, mock.patch.dict(os.environ, planned):
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            partition_key=partition_key,
            asset_selection=keys if build_models else None,
            tags={**tags, **run_tag},
            run_config=QUIET,
            raise_on_error=False,
        )
    results = [result]
    if build_models and not result.success:
        after_id = str(uuid.uuid4())
        with _StepWatch(instance, after_id, on_step) as after:
            results.append(
                job.execute_in_process(
                    instance=instance,
                    run_id=after_id,
                    asset_selection=sorted(jobs.after_failure.resolve(graph), key=str),
                    tags={**run_tag, FAILED_TAG: "true"},
                    run_config=QUIET,
                    raise_on_error=False,
                )
            )
        watch.steps.update(after.steps)
    out = RunResult(
        success=all(r.success for r in results),
        failed_checks=[c for r in results for c in _failed_checks(r)],
        days=days,
        snapshots=snapshots,
        files=_landed_files(result),
        steps=sorted(watch.steps.values(), key=lambda s: s.started),
        seconds=time.time() - t0,
        run_id=run_id,
        errors=[m for r in results for m in _step_errors(r)],
    )
    _write_last_run(settings.warehouse_dir / nightly.LAST_RUN, out, mode, recorded)
    return out


def _write_last_run(path: Path, result: RunResult, mode: str, recorded: bool) -> None:
    """The run's timings, for `kho06 bench pipeline` and whoever wants them."""
    path.write_text(
        json.dumps(
            {
                "mode": mode,
                "run_id": result.run_id,
                "recorded_in_dagster": recorded,
                "success": result.success,
                "seconds": round(result.seconds, 3),
                "days": [str(d) for d in result.days] if result.days else None,
                "snapshots": result.snapshots,
                "files": result.files,
                "steps": [
                    {
                        "step": s.step,
                        "status": s.status,
                        "started": s.started,
                        "ended": s.ended,
                        "seconds": round(s.seconds, 3),
                    }
                    for s in result.steps
                ],
            },
            indent=2,
        )
    )


def run_night(day: date | str, on_step: Callable[[StepTime], None] | None = None, raw_dir=None) -> RunResult:
    """The nightly job for one day, as the schedule starts it."""
    from kho06.settings import get_settings

    d = date.fromisoformat(str(day))
    return run_all(raw_dir or get_settings().raw_dir, days=(d, d), on_step=on_step, mode="day")
