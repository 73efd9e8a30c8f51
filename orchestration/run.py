"""Materialise the whole pipeline in this process (no Dagster daemon or webserver needed): `kho06 run`.

Four runs in order: the snapshot landings and reference tables; the daily landings over the days present under
raw/ (one range run); the dbt models of the snapshots and reference tables; then the daily facts and the models
computed from them (one range run).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import dagster as dg

from kho06.landing.feeds import DAILY_CONTRACTS
from orchestration.defs.quality.run_id import FAILED_TAG, RUN_TAG

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class RunResult:
    success: bool
    failed_checks: list[str] = field(default_factory=list)
    days: tuple[date, date] | None = None


def days_present(raw_dir) -> tuple[date, date] | None:
    """The first and last day of the daily files under raw/ (a day the partitions cannot hold is refused by the
    landing, not counted here)."""
    from kho06.landing.survey import survey

    return survey(raw_dir).days()


def _stages(defs: dg.Definitions) -> list[tuple[list, bool]]:
    """The run order: (assets, takes the day range). Python landing and reference assets; daily landings;
    the dbt models of the snapshots and reference data; the daily facts and the models computed from them; the
    report (`report/site`), built also when an earlier stage failed; the published warehouse
    (`publish/warehouse`), only when no stage failed."""
    daily_keys = {dg.AssetKey(["landing", c.table]) for c in DAILY_CONTRACTS}
    by_name = {
        "first": [], "landing_daily": [], "dbt_models": [], "dbt_daily": [], "quality_stage": [], "report__site": [],
        "publish__warehouse": [],
    }  # fmt: skip
    for a in defs.assets or []:
        if not isinstance(a, dg.AssetsDefinition):
            continue
        if set(a.keys) & daily_keys:
            by_name["landing_daily"].append(a)
        elif a.node_def.name in by_name:
            by_name[a.node_def.name].append(a)
        else:
            by_name["first"].append(a)
    by_name["quality_stage"] += list(defs.asset_checks or [])
    return [(by_name[n], n in ("landing_daily", "dbt_daily")) for n in by_name]


def landing_definitions() -> dg.Definitions:
    """Only the landing and reference assets (no dbt to import): what an ingest-only run needs."""
    from orchestration.defs.landing import bts, dossiers, not_deliveries, ocop, population
    from orchestration.defs.reference import admin_units
    from orchestration.defs.resources import duckdb_resource

    assets = dg.load_assets_from_modules([population, dossiers, bts, ocop, not_deliveries, admin_units])
    return dg.Definitions(assets=assets, resources={"duckdb": duckdb_resource()})


def _all_definitions() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs()


def run_daily_feeds(day: date | str) -> dg.ExecuteInProcessResult:
    """The `daily_feeds` job for one day in this process, as the nightly schedule starts it."""
    job = _all_definitions().resolve_job_def("daily_feeds")
    return job.execute_in_process(
        partition_key=str(day),
        instance=dg.DagsterInstance.ephemeral(),
        run_config=QUIET,
        raise_on_error=False,
    )


def run_all(
    raw_dir, days: tuple[date, date] | None = None, after_landing=None, build_models: bool = True
) -> RunResult:
    """Land every snapshot, then the days present under raw/ (or `days`), then build the models.

    `after_landing(connection)` is called once the landing is done, before dbt opens the warehouse.
    """
    defs = _all_definitions() if build_models else landing_definitions()
    resources = defs.resources or {}
    days = days or days_present(raw_dir)
    results = []
    run_tag = {RUN_TAG: str(uuid.uuid4())}
    stages = _stages(defs)
    for n, (assets, ranged) in enumerate(stages):
        if n == 2:  # landing done: before dbt opens the warehouse
            if after_landing is not None:
                from orchestration.defs.resources import duckdb_resource

                with duckdb_resource().get_connection() as con:
                    after_landing(con)
            if not build_models:
                break
        # the quality stage and the report run whatever happened before them: they record and show it. A stage
        # that failed (a failure of the pipeline, not a data defect: those are results) stops the models and the
        # publish, which runs last: analysts keep the last warehouse published
        always = n in (len(stages) - 3, len(stages) - 2)
        if n >= 2 and not always and not all(r.success for r in results):
            continue
        if not assets or (ranged and not days):
            continue
        tags = {**run_tag, **({RANGE_START: str(days[0]), RANGE_END: str(days[1])} if ranged else {})}
        if always and not all(r.success for r in results):
            tags[FAILED_TAG] = "true"
        results.append(
            dg.materialize(assets, resources=resources, tags=tags, run_config=QUIET, raise_on_error=False)
        )
    failed = [
        f"{c.severity.value.lower()}: {c.asset_key.to_user_string()} {c.check_name}"
        for r in results
        for e in r.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not (c := e.asset_check_evaluation_data).passed
    ]
    return RunResult(all(r.success for r in results), failed, days)
