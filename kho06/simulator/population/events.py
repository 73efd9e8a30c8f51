"""Step 2: what happens to the households during the period: births, deaths, moves of whole households."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kho06.simulator.population.days import DAYS_PER_YEAR
from kho06.simulator.population.households import hamlets_in
from kho06.simulator.population.records import (
    CHILD,
    COUPLE,
    DAUGHTER_IN_LAW,
    GRANDCHILD,
    HEAD,
    SPOUSE,
    WITH_PARENTS,
    Households,
    Persons,
)
from kho06.simulator.sampling import weighted_sample


@dataclass(frozen=True)
class Period:
    start: int  # day numbers, inclusive
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start + 1

    @property
    def years(self) -> float:
        return self.days / 365.25

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.start + rng.integers(0, self.days, n)


@dataclass
class History:
    born: np.ndarray  # person index of each newborn (appended after the persons alive at cfg.start)
    died: np.ndarray  # person index of each death, with its day
    death_day: np.ndarray
    moved: np.ndarray  # household index of each move, with its day and destination
    move_day: np.ndarray
    dest_commune: np.ndarray
    dest_hamlet: np.ndarray
    corrected: np.ndarray  # person index of each correction, with its day and field
    correction_day: np.ndarray
    correction_field: np.ndarray


def births(rng: np.random.Generator, hh: Households, people: Persons, count: int, period: Period):
    """Mothers (one per household) and birth days: wives, female heads with a husband, daughters-in-law, 18–44."""
    kind = hh.kind[people.hh]
    partnered_head = (people.role == HEAD) & np.isin(kind, [COUPLE, WITH_PARENTS])
    eligible = (
        people.female
        & ((people.role == SPOUSE) | (people.role == DAUGHTER_IN_LAW) | partnered_head)
        & (hh.size[people.hh] < 9)
    )
    day = period.draw(rng, len(people.hh))
    age = (day - people.birth) / DAYS_PER_YEAR
    fertility = np.where(eligible & (age >= 18) & (age < 45), np.exp(-(((age - 28.0) / 7.0) ** 2)), 0.0)
    mother = weighted_sample(rng, fertility, count)
    if len(np.unique(people.hh[mother])) != count:
        raise RuntimeError("two births drawn in one household")
    return mother, day[mother]


def add_newborns(
    rng: np.random.Generator, hh: Households, people: Persons, mother: np.ndarray, day: np.ndarray
):
    """The persons with the newborns appended, and the newborns' person indexes."""
    n = len(mother)
    home = people.hh[mother]
    newborn = Persons(
        hh=home,
        slot=hh.size[home].astype(np.int16),
        role=np.where(people.role[mother] == DAUGHTER_IN_LAW, GRANDCHILD, CHILD).astype(np.int8),
        female=rng.random(n) < 0.47,
        birth=day,
        surname=hh.father_surname[home],
    )
    first = len(people.hh)
    merged = Persons(
        *(np.concatenate([getattr(people, f), getattr(newborn, f)]) for f in Persons.__dataclass_fields__)
    )
    return merged, np.arange(first, first + n)


def deaths(rng, people: Persons, initial: int, mothers: np.ndarray, count: int, period: Period):
    """Deaths among members who are not the head (Gompertz-weighted by age), none of the period's mothers."""
    age = (period.start - people.birth[:initial]) / DAYS_PER_YEAR + period.years / 2
    hazard = 0.0004 + np.exp(-10.2 + 0.095 * age) + np.where(age < 1, 0.002, 0.0)
    hazard[people.role[:initial] == HEAD] = 0.0
    hazard[mothers] = 0.0
    died = weighted_sample(rng, hazard, count)
    return died, period.draw(rng, count)


def moves(
    rng,
    hh: Households,
    weights: np.ndarray,
    hamlets: pl.DataFrame,
    district: np.ndarray,
    busy: np.ndarray,
    persons: int,
    period: Period,
):
    """Whole households (without a birth or death in the period) moving to another commune, half of them within
    their district, until `persons` persons have moved."""
    order = rng.permutation(np.flatnonzero(~busy))
    moved = np.sort(order[np.cumsum(hh.size[order]) <= persons])
    origin = hh.commune[moved]
    by_district = np.argsort(district, kind="stable")  # communes grouped by district
    rank = np.empty_like(by_district)
    rank[by_district] = np.arange(len(by_district))
    cum = np.cumsum(weights[by_district])
    d = district[by_district]
    lo_of = np.r_[0.0, cum][np.searchsorted(d, d, side="left")]  # weight before the commune's district
    hi_of = cum[np.searchsorted(d, d, side="right") - 1]
    same = rng.random(len(moved)) < 0.5
    lo = np.where(same, lo_of[rank[origin]], 0.0)
    hi = np.where(same, hi_of[rank[origin]], cum[-1])
    dest = origin.copy()
    clash = np.ones(len(moved), dtype=bool)
    while clash.any():
        u = lo[clash] + rng.random(clash.sum()) * (hi[clash] - lo[clash])
        dest[clash] = by_district[np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)]
        clash = dest == origin
    hamlet = hamlets_in(rng, hamlets, dest)
    return moved, period.draw(rng, len(moved)), dest, hamlet
