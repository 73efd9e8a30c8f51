"""Materialise the whole pipeline in this process (no Dagster daemon or webserver needed): `kho06 run`.

Three runs in order: the snapshot landings and reference tables; the daily landings over the days present
under raw/ (one range run); then the dbt models and everything downstream.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dagster as dg

from kho06.landing.feeds import CONTRACTS

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class RunResult:
    success: bool
    failed_checks: list[str] = field(default_factory=list)
    days: tuple[date, date] | None = None


def days_present(raw_dir) -> tuple[date, date] | None:
    days = [d for c in CONTRACTS if c.daily for f in c.files(raw_dir) if (d := c.day_of(f))]
    return (min(days), max(days)) if days else None


def _stages(defs: dg.Definitions) -> tuple[list, list, list]:
    """(Python landing and reference assets, daily landing assets, dbt assets)."""
    daily_keys = {dg.AssetKey(["landing", c.table]) for c in CONTRACTS if c.daily}
    first, daily, rest = [], [], []
    for a in defs.assets or []:
        if not isinstance(a, dg.AssetsDefinition):
            continue
        if set(a.keys) & daily_keys:
            daily.append(a)
        elif any("dbt" in spec.kinds for spec in a.specs):
            rest.append(a)
        else:
            first.append(a)
    return first, daily, rest


def run_all(
    raw_dir, days: tuple[date, date] | None = None, after_landing=None, build_models: bool = True
) -> RunResult:
    """Land every snapshot, then the days present under raw/ (or `days`), then build the models.

    `after_landing(connection)` is called once the landing is done, before dbt opens the warehouse.
    """
    from orchestration.definitions import defs as load_defs

    defs = load_defs()
    resources = defs.resources or {}
    first, daily, rest = _stages(defs)
    results = [dg.materialize(first, resources=resources, run_config=QUIET, raise_on_error=False)]
    days = days or days_present(raw_dir)
    if days and daily:
        tags = {RANGE_START: str(days[0]), RANGE_END: str(days[1])}
        results.append(dg.materialize(daily, resources=resources, tags=tags, run_config=QUIET, raise_on_error=False))
    if after_landing is not None:
        from orchestration.defs.resources import duckdb_resource

        with duckdb_resource().get_connection() as con:
            after_landing(con)
    if build_models and rest and all(r.success for r in results):
        results.append(dg.materialize(rest, resources=resources, run_config=QUIET, raise_on_error=False))
    failed = [
        f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}"
        for r in results
        for e in r.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    ]
    return RunResult(all(r.success for r in results), failed, days)
