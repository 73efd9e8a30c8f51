"""The day a daily file carries in its name, and the days a delivery may carry.

A daily file is named for its day (`YYYY-MM-DD`). The day must be a calendar date within the daily partitions:
not before their first day, and not after the last day that can have been delivered — today in the province
(Asia/Ho_Chi_Minh) plus one day of tolerance, the last daily partition (its `end_offset`). A name outside these
bounds is refused with a reason instead of crashing a run or stretching its range over years that never came.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

FIRST_DAY = date(2021, 1, 1)
TIMEZONE = "Asia/Ho_Chi_Minh"
TOLERANCE = timedelta(days=1)
_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class NamedDay:
    day: date | None
    """the day of the name when it is one the daily partitions hold"""
    problem: str | None = None
    """why the name's day is refused (not a calendar date, outside the partitions); None when `day` is set or
    the name carries no day at all"""

    @property
    def missing(self) -> bool:
        return self.day is None and self.problem is None


def last_deliverable_day(now: datetime | None = None) -> date:
    """Today in the province, plus the tolerance: the last daily partition."""
    now = now or datetime.now(ZoneInfo(TIMEZONE))
    return now.astimezone(ZoneInfo(TIMEZONE)).date() + TOLERANCE


def day_in_name(name: str, last_day: date | None = None) -> NamedDay:
    """The day a file name carries (`YYYY-MM-DD` anywhere in it), checked against the partitions' bounds."""
    found = {m.group(0): m for m in _DAY.finditer(name)}
    if not found:
        return NamedDay(None)
    if len(found) > 1:
        return NamedDay(
            None, f"the name holds more than one day ({', '.join(found)}): a daily file is for one day"
        )
    text, m = next(iter(found.items()))
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return NamedDay(None, f"the day in the name, {text}, is not a calendar date")
    if day < FIRST_DAY:
        return NamedDay(None, f"dated {day}, before the first day of the daily partitions ({FIRST_DAY})")
    last = last_day or last_deliverable_day()
    if day > last:
        return NamedDay(
            None,
            f"dated {day}, a day that has not come yet: the last day a delivery can carry is {last} "
            f"(today in {TIMEZONE} plus {TOLERANCE.days} day)",
        )
    return NamedDay(day)
