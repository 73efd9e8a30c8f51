"""Notices new or changed files under the raw folder and asks for the runs that land them and build on them."""

import json
from pathlib import PurePosixPath

import dagster as dg

from kho06.landing.feeds import CONTRACTS, DAILY_CONTRACTS, SNAPSHOT_CONTRACTS
from kho06.settings import get_settings
from orchestration.defs.jobs import daily_feeds_job, snapshot_feeds_job


def _fingerprints() -> dict[str, str]:
    raw_dir = get_settings().raw_dir
    found = {}
    for contract in CONTRACTS:
        for path in contract.files(raw_dir):
            stat = path.stat()
            found[path.relative_to(raw_dir).as_posix()] = f"{stat.st_mtime_ns}:{stat.st_size}"
    return found


def run_requests(changed: list[str]) -> list[dg.RunRequest]:
    """One run for changed snapshot files, and one run per changed day (a range run when many days changed)."""
    requests = []
    snapshot_files = [f for f in changed if any(c.matches(f) for c in SNAPSHOT_CONTRACTS)]
    if snapshot_files:
        requests.append(dg.RunRequest(job_name=snapshot_feeds_job.name))
    days = sorted(
        {
            str(d)
            for f in changed
            for c in DAILY_CONTRACTS
            if c.matches(f) and (d := c.day_of(PurePosixPath(f)))
        }
    )
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
    now = _fingerprints()
    changed = sorted(f for f, fp in now.items() if before.get(f) != fp)
    context.update_cursor(json.dumps(now))
    if not changed:
        return dg.SkipReason("no new or changed files under raw/")
    context.log.info(
        f"{len(changed)} new or changed file(s): {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}"
    )
    return run_requests(changed)
