"""The two jobs the schedules and the raw-files sensor start: each lands its feeds and builds what depends on them.

- `daily_feeds` (daily-partitioned): the daily landings (population events, dossiers) and the dbt daily facts with
  the models computed from them, for one day or a range of days in one run.
- `snapshot_feeds`: the snapshot landings, the record of the files under raw/ that are not deliveries, the
  reference tables and the other dbt models.

Both end with the quality stage, then `publish/warehouse`: the file analysts open, replaced by the new build.
"""

import dagster as dg

from kho06.landing.feeds import DAILY_CONTRACTS, SNAPSHOT_CONTRACTS
from orchestration.defs.landing.not_deliveries import KEY as NOT_DELIVERIES
from orchestration.defs.landing.partitions import daily
from orchestration.defs.quality.checks import quality_checks
from orchestration.defs.transform import dbt

daily_landing = dg.AssetSelection.assets(*[dg.AssetKey(["landing", c.table]) for c in DAILY_CONTRACTS])
snapshot_landing = dg.AssetSelection.assets(*[dg.AssetKey(["landing", c.table]) for c in SNAPSHOT_CONTRACTS])
daily_models = [a for a in dbt.assets if a.partitions_def is not None]
snapshot_models = [a for a in dbt.assets if a.partitions_def is None]
# every run ends with the quality stage and the checks of every rule
quality = dg.AssetSelection.groups("quality") | dg.AssetSelection.checks(*quality_checks)
# and publishes the warehouse analysts read, last (it depends on the quality stage)
published = dg.AssetSelection.groups("publish")

daily_feeds_job = dg.define_asset_job(
    "daily_feeds",
    selection=daily_landing | dg.AssetSelection.assets(*daily_models) | quality | published,
    partitions_def=daily,
    description="Land the daily files of a day (or a range of days) and build the daily facts and the marts "
    "computed from them.",
)
snapshot_feeds_job = dg.define_asset_job(
    "snapshot_feeds",
    selection=snapshot_landing
    | dg.AssetSelection.assets(NOT_DELIVERIES)
    | dg.AssetSelection.groups("reference")
    | dg.AssetSelection.assets(*snapshot_models)
    | quality
    | published,
    description="Land the snapshot deliveries, record the files under raw/ that are not deliveries, refresh the "
    "reference tables and build the models that do not depend on the daily feeds.",
)
