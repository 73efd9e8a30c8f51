"""Vietnam's public holidays (Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, with the
days off in lieu and the swapped days), from the `holidays` package (`holidays.VN`, names in Vietnamese)."""

from __future__ import annotations

from datetime import date

import holidays
import polars as pl

FIRST_YEAR, LAST_YEAR = 2019, 2026
"""The years the feeds cover, and the table `reference.public_holidays` lists."""


def public_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> pl.DataFrame:
    """holiday_date, name: every public holiday of the years, weekends included, sorted by date."""
    days = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    return pl.DataFrame(
        sorted(days.items()), schema={"holiday_date": pl.Date, "name": pl.String}, orient="row"
    )


def weekday_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[date]:
    """The public holidays that fall on Monday to Friday: the working days no office opens."""
    frame = public_holidays(first_year, last_year)
    return [d for d in frame["holiday_date"].to_list() if d.weekday() < 5]
