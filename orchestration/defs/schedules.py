"""The nightly run: 01:00 in the province (Asia/Ho_Chi_Minh), for the previous day.

One run of the `nightly` job: the snapshot deliveries that changed, the previous day's daily files, the models,
the quality checks, the report, then the analysts' warehouse published. Its run key is the day, so a day is
scheduled once; the queue (dagster.yaml) runs it after any run already going.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import dagster as dg

from kho06.landing.days import TIMEZONE
from kho06.settings import get_settings
from orchestration import nightly
from orchestration.defs.jobs import nightly_job

CRON = "0 1 * * *"


@dg.schedule(
    job=nightly_job,
    cron_schedule=CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="01:00 Asia/Ho_Chi_Minh: land and build the previous day, check, report, publish.",
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    tick = context.scheduled_execution_time.astimezone(ZoneInfo(TIMEZONE))
    day = (tick - timedelta(days=1)).date()
    settings = get_settings()
    graph = context.repository_def.asset_graph
    snapshots, why = nightly.snapshots_changed(settings, context.instance)
    if why:
        context.log.info(f"the snapshot part runs: {'; '.join(why)}")
    return nightly.run_request((day, day), snapshots, graph, run_key=f"nightly-{day}")
