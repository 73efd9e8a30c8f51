"""Daily partitions for the feeds that arrive one file per day (dossiers, population events)."""

from datetime import date, timedelta

import dagster as dg

from kho06.landing.days import FIRST_DAY, TIMEZONE, TOLERANCE

# the last partition is tomorrow: the last day a delivery may carry (kho06.landing.days)
daily = dg.DailyPartitionsDefinition(
    start_date=FIRST_DAY.isoformat(), timezone=TIMEZONE, end_offset=TOLERANCE.days
)


def day_range(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """The inclusive range of days a (possibly multi-partition) run covers."""
    window = context.partition_time_window
    return window.start.date(), (window.end - timedelta(days=1)).date()
