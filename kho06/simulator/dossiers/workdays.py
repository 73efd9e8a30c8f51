"""Working days and office hours: public holidays, reception times, the day a step is done."""

from __future__ import annotations

import numpy as np

from kho06.reference.public_holidays import weekday_holidays

SECONDS_PER_DAY = 86_400
OPEN_AM, CLOSE_AM, OPEN_PM, CLOSE_PM = 27_000, 41_400, 48_600, 61_200  # 07:30, 11:30, 13:30, 17:00

HOLIDAYS = np.array(weekday_holidays(), dtype="datetime64[D]")
"""The public holidays on Monday to Friday (Tết, Giỗ Tổ, 30/4–1/5, 2/9, New Year, days off in lieu), from the
warehouse's reference (kho06.reference.public_holidays): offices are closed."""


def office_seconds(rng: np.random.Generator, n: int, morning_only: np.ndarray) -> np.ndarray:
    """Seconds after midnight within office hours (07:30–11:30, 13:30–17:00; mornings only when asked)."""
    s = rng.random(n) * np.where(morning_only, CLOSE_AM - OPEN_AM, CLOSE_PM - OPEN_PM + CLOSE_AM - OPEN_AM)
    s = s.astype(np.int64)
    return np.where(s < CLOSE_AM - OPEN_AM, OPEN_AM + s, OPEN_PM + s - (CLOSE_AM - OPEN_AM))


def later_same_day(rng: np.random.Generator, after: np.ndarray) -> np.ndarray:
    """A time of day strictly after `after` and not after 17:00 (or `after` + 1 s at the close)."""
    room = np.maximum(CLOSE_PM - after - 1, 0)
    return after + 1 + (rng.random(len(after)) * room).astype(np.int64)


def at(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds of a time of day on a day."""
    return days.astype(np.int64) * SECONDS_PER_DAY + seconds


def step_time(
    rng: np.random.Generator, day_from: np.ndarray, t_from: np.ndarray, offset: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The day `offset` working days after day_from (rolled forward) and a time after t_from on the same day."""
    day_to = np.busday_offset(day_from, offset, roll="forward", holidays=HOLIDAYS)
    tod = office_seconds(rng, len(day_to), np.zeros(len(day_to), dtype=bool))
    same = day_to == day_from
    tod = np.where(same & (tod <= t_from), later_same_day(rng, t_from), tod)
    return day_to, tod
