"""Notices deliveries under raw/ that the load ledger does not know and asks for one run of the nightly job.

The cursor is small: a digest of the deliveries last asked for, so a file waiting for its run is asked for once.
The sensor asks for nothing while a run of the nightly job is queued or going (that run lands what is there; the
build database is being written) nor in the half hour before the nightly run, which will take the files.
"""

import hashlib
from datetime import datetime, time
from zoneinfo import ZoneInfo

import dagster as dg

from kho06.landing.days import TIMEZONE
from kho06.landing.pending import LedgerUnavailable, pending
from kho06.landing.survey import RawFile
from kho06.settings import get_settings
from orchestration import nightly
from orchestration.defs.jobs import nightly_job

QUIET_BEFORE_NIGHTLY = (time(0, 30), time(1, 0))
BUSY = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.STARTED]  # fmt: skip


def digest(files: list[RawFile]) -> str:
    text = "\n".join(sorted(f"{f.rel}:{f.size}:{f.mtime_ns}" for f in files))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _nightly_busy(instance: dg.DagsterInstance) -> bool:
    runs = instance.get_runs(dg.RunsFilter(job_name=nightly_job.name, statuses=BUSY), limit=1)
    return bool(runs)


@dg.sensor(job=nightly_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_files_sensor(context: dg.SensorEvaluationContext):
    """Ask for a run when deliveries under raw/ are not in the load ledger."""
    now = datetime.now(ZoneInfo(TIMEZONE)).time()
    if QUIET_BEFORE_NIGHTLY[0] <= now < QUIET_BEFORE_NIGHTLY[1]:
        return dg.SkipReason("the nightly run starts at 01:00 and will land what is there")
    if _nightly_busy(context.instance):
        return dg.SkipReason("a run of the nightly job is queued or going: it lands what is there")
    settings = get_settings()
    try:
        waiting = pending(settings.raw_dir, settings.duckdb_path)
    except LedgerUnavailable as busy:
        return dg.SkipReason(str(busy))
    if not waiting:
        return dg.SkipReason("every delivery under raw/ is in the load ledger")
    fingerprint = digest(waiting)
    if fingerprint == context.cursor:
        return dg.SkipReason(f"{len(waiting)} delivery(ies) already asked for, waiting for their run")
    days = sorted({f.day for f in waiting if f.contract is not None and f.contract.daily and f.day})
    graph = context.repository_def.asset_graph
    snapshots, _why = nightly.snapshots_changed(settings, context.instance)
    context.update_cursor(fingerprint)
    names = ", ".join(f.rel for f in waiting[:5]) + (" ..." if len(waiting) > 5 else "")
    context.log.info(f"{len(waiting)} new or changed delivery(ies): {names}")
    return nightly.run_request((days[0], days[-1]) if days else None, snapshots, graph)
