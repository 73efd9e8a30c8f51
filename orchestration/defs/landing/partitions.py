"""Daily partitions for the feeds that arrive one file per day (dossiers, population events)."""

from datetime import date, timedelta

import dagster as dg

FIRST_DAY = "2021-01-01"
TIMEZONE = "Asia/Ho_Chi_Minh"

daily = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, timezone=TIMEZONE, end_offset=1)


def day_range(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """The inclusive range of days a (possibly multi-partition) run covers."""
    window = context.partition_time_window
    return window.start.date(), (window.end - timedelta(days=1)).date()
