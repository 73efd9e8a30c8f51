"""The nightly run: one schedule, 01:00 in the province, for the previous day, of the one job that lands, builds,
checks, reports and publishes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from kho06 import settings
from orchestration.definitions import defs
from orchestration.defs.schedules import nightly_schedule

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_one_schedule_at_one_in_the_morning_in_the_province():
    d = defs()
    schedules = list(d.schedules or [])
    assert [s.name for s in schedules] == ["nightly_schedule"]
    assert nightly_schedule.cron_schedule == "0 1 * * *"
    assert nightly_schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert nightly_schedule.job_name == "nightly"


def test_the_tick_runs_the_previous_day_in_the_province(tmp_path):
    settings.apply(tmp_path / "raw", tmp_path / "wh")
    (tmp_path / "raw").mkdir()
    repo = defs().get_repository_def()
    # 01:00 on 2 December in Hà Nội is 18:00 on 1 December UTC: the previous day is 1 December, not 30 November
    tick = datetime(2026, 12, 2, 1, 0, tzinfo=HCM)
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=tick, repository_def=repo
        )
        request = nightly_schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == "2026-12-01"
    assert request.run_key == "nightly-2026-12-01"
    selected = set(request.asset_selection)
    for key in (["landing", "dossiers"], ["dq", "scores"], ["report", "site"]):
        assert dg.AssetKey(key) in selected
    # no warehouse yet: the snapshot part is in the run
    assert dg.AssetKey(["landing", "population_snapshot"]) in selected


def test_the_job_ends_with_the_quality_stage_then_the_report():
    graph = defs().resolve_asset_graph()
    report = dg.AssetKey(["report", "site"])
    upstream = graph.upstream_key_iterator(report)
    assert dg.AssetKey(["dq", "check_results"]) in set(upstream)
    job = defs().resolve_job_def("nightly")
    assert report in job.asset_layer.selected_asset_keys
