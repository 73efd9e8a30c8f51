"""The one job that builds the warehouse: `nightly`, for one day or a range of days.

It lands the snapshot deliveries that changed and the daily files of its days, refreshes the reference tables,
builds the dbt models (the snapshot models only when a snapshot changed, see `selection_for`), runs the quality
stage and every rule's check, renders the report and publishes the analysts' warehouse — in that order, which is
the assets' own dependencies. The nightly schedule, the raw-files sensor and `kho06 run` all run it.
"""

import dagster as dg

from kho06.landing.feeds import DAILY_CONTRACTS, SNAPSHOT_CONTRACTS
from orchestration.defs.landing.not_deliveries import KEY as NOT_DELIVERIES
from orchestration.defs.quality.checks import quality_checks
from orchestration.defs.transform import dbt

daily_landing = dg.AssetSelection.assets(*[dg.AssetKey(["landing", c.table]) for c in DAILY_CONTRACTS])
snapshot_landing = dg.AssetSelection.assets(*[dg.AssetKey(["landing", c.table]) for c in SNAPSHOT_CONTRACTS])
daily_models = dg.AssetSelection.assets(*[a for a in dbt.assets if a.node_def.name == "dbt_daily"])
snapshot_models = dg.AssetSelection.assets(*[a for a in dbt.assets if a.node_def.name == "dbt_models"])
snapshot_part = (
    snapshot_landing | dg.AssetSelection.assets(NOT_DELIVERIES) | dg.AssetSelection.groups("reference")
) | snapshot_models
quality = dg.AssetSelection.groups("quality") | dg.AssetSelection.checks(*quality_checks)
# the last stages: what every run ends with; after a failed run, the quality stage and the report record it (the
# published warehouse stays as it was)
after_failure = quality | dg.AssetSelection.groups("report")
ending = after_failure | dg.AssetSelection.groups("publish")
landing_only = (
    snapshot_landing
    | daily_landing
    | dg.AssetSelection.assets(NOT_DELIVERIES)
    | (dg.AssetSelection.groups("reference") - snapshot_models)
)

RETRIES = {"dagster/max_retries": "2", "dagster/retry_strategy": "FROM_FAILURE"}

nightly_job = dg.define_asset_job(
    "nightly",
    selection=snapshot_part | daily_landing | daily_models | ending,
    tags=RETRIES,
    description="Land what was delivered (the snapshots that changed, the daily files of the run's days), build "
    "the models, check every quality rule, render the report and publish the analysts' warehouse.",
)


def selection_for(snapshots: bool, days: bool) -> dg.AssetSelection:
    """A run's assets: without a changed snapshot the snapshot landings and models are left out (nothing in them
    would change, and they are most of a full build's time); without days, the daily part."""
    selection = ending
    if snapshots:
        selection = selection | snapshot_part
    if days:
        selection = selection | daily_landing | daily_models
    return selection
