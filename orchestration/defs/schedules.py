"""The nightly run: land yesterday's daily files and any new snapshot deliveries."""

import dagster as dg

from orchestration.defs.landing.sensors import landing_daily_job, landing_snapshots_job

nightly_daily = dg.build_schedule_from_partitioned_job(
    landing_daily_job, name="nightly_landing_daily", hour_of_day=1, minute_of_hour=30,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
nightly_snapshots = dg.ScheduleDefinition(
    name="nightly_landing_snapshots", job=landing_snapshots_job, cron_schedule="15 1 * * *",
    execution_timezone="Asia/Ho_Chi_Minh", default_status=dg.DefaultScheduleStatus.RUNNING,
)
