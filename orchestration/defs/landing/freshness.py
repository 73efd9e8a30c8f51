"""How fresh each landing table must be: the feed's delivery cadence (the seed `feed_deliveries`, the same list
the report and the `sống` rules read) as a Dagster freshness policy. A table is late (warn) once a cadence has
passed since it last landed, and failing once the cadence and its grace have."""

import csv
from datetime import timedelta
from functools import cache

import dagster as dg

from kho06.settings import PROJECT_ROOT

DELIVERIES = PROJECT_ROOT / "dbt_project" / "seeds" / "code_lists" / "feed_deliveries.csv"


@cache
def cadence_days() -> dict[str, int]:
    with DELIVERIES.open(encoding="utf-8") as f:
        return {row["table_name"]: int(row["cadence_days"]) for row in csv.DictReader(f)}


def policy(table: str) -> dg.FreshnessPolicy | None:
    days = cadence_days().get(table)
    if days is None:
        return None
    warn = timedelta(days=days, hours=1)  # a daily feed lands at 01:00 for the day before
    grace = timedelta(days=1) if days == 1 else timedelta(days=max(3, days // 10))
    return dg.FreshnessPolicy.time_window(fail_window=warn + grace, warn_window=warn)
