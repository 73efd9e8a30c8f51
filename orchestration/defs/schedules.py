"""The nightly runs (Asia/Ho_Chi_Minh): snapshot deliveries at 01:15, then yesterday's daily files at 01:30."""

import dagster as dg

from orchestration.defs.jobs import daily_feeds_job, snapshot_feeds_job

nightly_daily = dg.build_schedule_from_partitioned_job(
    daily_feeds_job,
    name="nightly_daily_feeds",
    hour_of_day=1,
    minute_of_hour=30,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
nightly_snapshots = dg.ScheduleDefinition(
    name="nightly_snapshot_feeds",
    job=snapshot_feeds_job,
    cron_schedule="15 1 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
