"""Step 3, who is who: citizen IDs, record numbers, relations to the head, the day each record was last updated."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.population.days import years_of
from kho06.simulator.population.events import History, Period
from kho06.simulator.population.records import CHILD, DAUGHTER_IN_LAW, GRANDCHILD, HEAD, SON, SPOUSE, Persons
from kho06.simulator.population.vocabularies import HOME_PREFIX, OTHER_PREFIX_SHARE, OTHER_PREFIXES
from kho06.simulator.sampling import choice


def citizen_ids(rng: np.random.Generator, people: Persons, newborn: np.ndarray) -> pl.Series:
    """12-digit IDs: prefix of the province of birth registration, century+sex digit, year, 6 random digits."""
    n = len(people.hh)
    other = rng.random(n) < OTHER_PREFIX_SHARE
    other[newborn] = False
    prefix = np.where(other, choice(rng, OTHER_PREFIXES, n), HOME_PREFIX).astype(np.int64)
    year = years_of(people.birth).astype(np.int64)
    digit4 = 2 * (year // 100 - 19) + people.female
    head = prefix * 1_000_000_000 + digit4 * 100_000_000 + (year % 100) * 1_000_000
    return pl.Series(unique_numbers(rng, head)).cast(pl.String).str.zfill(12)


def unique_numbers(rng: np.random.Generator, head: np.ndarray, taken: np.ndarray | None = None) -> np.ndarray:
    """head + 6 random digits, redrawn until no two are equal and none is in `taken`."""
    key = head + rng.integers(0, 1_000_000, len(head))
    taken = np.sort(taken) if taken is not None and len(taken) else None
    while True:
        order = np.argsort(key, kind="stable")
        ranked = key[order]
        clash = np.zeros(len(key), dtype=bool)
        clash[order[1:][ranked[1:] == ranked[:-1]]] = True  # every repeat after its first occurrence
        if taken is not None:
            clash |= taken[np.minimum(np.searchsorted(taken, key), len(taken) - 1)] == key
        if not clash.any():
            return key
        key[clash] = head[clash] + rng.integers(0, 1_000_000, clash.sum())


def update_days(rng: np.random.Generator, people: Persons, history: History, period: Period) -> np.ndarray:
    """Ngày cập nhật: the day of the record's last event, else a day from two years before the period to its end."""
    lo = np.maximum(people.birth, period.start - 730)
    drawn = lo + np.floor(rng.random(len(lo)) * (period.end - lo + 1)).astype(np.int64)
    none = np.iinfo(np.int64).min
    last = np.full(len(lo), none)
    last[history.born] = people.birth[history.born]
    last[history.died] = history.death_day
    move_day = np.full(people.hh.max() + 1, none)
    move_day[history.moved] = history.move_day
    last = np.maximum(last, move_day[people.hh])
    np.maximum.at(last, history.corrected, history.correction_day)
    return np.where(last != none, last, drawn)


def record_numbers(people: Persons, district: np.ndarray) -> np.ndarray:
    """Number of each record within its district of first registration (1, 2, ...), in household order."""
    by_record = np.lexsort((people.slot, people.hh, district))
    d = district[by_record]
    seq = np.empty(len(d), dtype=np.int64)
    seq[by_record] = np.arange(len(d)) - np.searchsorted(d, d, side="left") + 1
    return seq


def relations(people: Persons) -> np.ndarray:
    """Index into RELATIONS of each person's relation to the head."""
    role, female = people.role, people.female
    return np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == CHILD) | (role == SON),
            role == DAUGHTER_IN_LAW,
            role == GRANDCHILD,
        ],
        [0, np.where(female, 1, 2), 3, 4, 5],
        np.where(female, 7, 6),
    ).astype(np.int8)
