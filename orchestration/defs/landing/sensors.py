"""Notices new or changed files under the raw folder and asks for the runs that land them and build on them."""

import json

import dagster as dg

from kho06.landing.survey import RawFile, survey
from kho06.settings import get_settings
from orchestration.defs.jobs import daily_feeds_job, snapshot_feeds_job


def _deliveries() -> dict[str, RawFile]:
    """The deliveries under raw/ (what a landing would load; see kho06.landing.survey)."""
    found = survey(get_settings().raw_dir)
    return {f.rel: f for f in found.files if f.kind == "delivery"}


def run_requests(changed: list[RawFile]) -> list[dg.RunRequest]:
    """One run for changed snapshot files, and one run per changed day (a range run when many days changed)."""
    requests = []
    if any(not f.contract.daily for f in changed):
        requests.append(dg.RunRequest(job_name=snapshot_feeds_job.name))
    days = sorted({str(f.day) for f in changed if f.contract.daily and f.day})
    if len(days) == 1:
        requests.append(dg.RunRequest(job_name=daily_feeds_job.name, partition_key=days[0]))
    elif days:
        requests.append(
            dg.RunRequest(
                job_name=daily_feeds_job.name,
                tags={
                    "dagster/asset_partition_range_start": days[0],
                    "dagster/asset_partition_range_end": days[-1],
                },
            )
        )
    return requests


@dg.sensor(
    jobs=[daily_feeds_job, snapshot_feeds_job],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def raw_files_sensor(context: dg.SensorEvaluationContext):
    """Compare the files under raw/ with what the last evaluation saw; request runs for what changed."""
    before = json.loads(context.cursor) if context.cursor else {}
    deliveries = _deliveries()
    now = {rel: f"{f.mtime_ns}:{f.size}" for rel, f in deliveries.items()}
    changed = sorted(f for f, fp in now.items() if before.get(f) != fp)
    context.update_cursor(json.dumps(now))
    if not changed:
        return dg.SkipReason("no new or changed files under raw/")
    context.log.info(
        f"{len(changed)} new or changed file(s): {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}"
    )
    return run_requests([deliveries[f] for f in changed])
