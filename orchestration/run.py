"""Materialise the whole pipeline in this process (no Dagster daemon or webserver needed): `kho06 run`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dagster as dg

from kho06.landing.feeds import CONTRACTS


@dataclass
class RunResult:
    success: bool
    failed_checks: list[str] = field(default_factory=list)
    days: tuple[date, date] | None = None


def _days_present(raw_dir) -> tuple[date, date] | None:
    days = [d for c in CONTRACTS if c.daily for f in c.files(raw_dir) if (d := c.day_of(f))]
    return (min(days), max(days)) if days else None


def run_all(raw_dir, days: tuple[date, date] | None = None) -> RunResult:
    """Land every snapshot, then every day present under raw/ (or `days`), in one range run."""
    from orchestration.definitions import defs as load_defs

    defs = load_defs()
    assets = list(defs.assets or [])
    resources = defs.resources or {}
    daily_keys = {dg.AssetKey(["landing", c.table]) for c in CONTRACTS if c.daily}
    snapshot_assets = [a for a in assets if isinstance(a, dg.AssetsDefinition) and not (set(a.keys) & daily_keys)]
    daily_assets = [a for a in assets if isinstance(a, dg.AssetsDefinition) and set(a.keys) & daily_keys]
    results = [dg.materialize(snapshot_assets, resources=resources, raise_on_error=False)]
    days = days or _days_present(raw_dir)
    if days and daily_assets:
        tags = {"dagster/asset_partition_range_start": str(days[0]), "dagster/asset_partition_range_end": str(days[1])}
        results.append(dg.materialize(daily_assets, resources=resources, tags=tags, raise_on_error=False))
    failed = [
        f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}"
        for r in results
        for e in r.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    ]
    return RunResult(all(r.success for r in results), failed, days)
