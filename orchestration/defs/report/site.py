"""The published report as a Dagster asset: `report/site`, the static site under `<warehouse>/report/`.

It reads the quality stage's results (`dq/runs`, `dq/check_results`, `dq/failed_records`, `dq/scores`), the load
ledger and the marts through a read-only connection, and is materialised after every run of the other jobs — also
when that run failed or a mart was held back, since that is what the report exists to show. The nightly job renders
it as one of its last steps; when a run fails before it, or a run of another job ends, two run-status sensors
start the `publish_report` job. A warehouse without `dq` tables gives a page that says so.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.report import build_site
from kho06.settings import get_settings

DQ_KEYS = [dg.AssetKey(["dq", name]) for name in ("check_results", "failed_records", "scores", "runs")]


@dg.asset(
    key=["report", "site"],
    deps=DQ_KEYS,
    group_name="report",
    kinds={"html", "duckdb"},
    description="The data-quality report the data office reads each morning: index.html for the latest run, "
    "one page per run, history.html (static, no request leaves the machine, no personal data).",
)
def report_site(duckdb: DuckDBResource) -> dg.MaterializeResult:
    built = build_site(Path(duckdb.database), get_settings().warehouse_dir / "report")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(built.index)),
            "size_bytes": built.bytes,
            "pages": built.pages,
            "pages_rendered": built.rendered,
            "build_seconds": round(built.seconds, 3),
            "dq_history": built.dq_history,
            "latest_run": built.latest_run or "",
        }
    )


publish_report_job = dg.define_asset_job(
    "publish_report",
    selection=dg.AssetSelection.assets(report_site),
    description="Render the data-quality report from what the warehouse holds now.",
)


def _after(context: dg.RunStatusSensorContext, succeeded: bool = False):
    """A report after every run that did not render its own: the report's own runs never, a nightly run only
    when it failed (it renders the report as one of its last steps)."""
    job = context.dagster_run.job_name
    if job == publish_report_job.name or (succeeded and job == "nightly"):
        return dg.SkipReason(f"the {job} run rendered the report itself")
    return dg.RunRequest(run_key=f"report-after-{context.dagster_run.run_id}")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    request_job=publish_report_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publish the report when a run that does not render it ends well.",
)
def report_after_success(context: dg.RunStatusSensorContext):
    return _after(context, succeeded=True)


@dg.run_failure_sensor(
    request_job=publish_report_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publish the report when a run fails: a failed night is what the report must show.",
)
def report_after_failure(context: dg.RunFailureSensorContext):
    return _after(context)
