"""The members of each household at `cfg.start`: roles by position, ages consistent with the roles, sexes and
family surnames."""

from __future__ import annotations

import numpy as np

from kho06.simulator import names
from kho06.simulator.population.days import DAYS_PER_YEAR
from kho06.simulator.population.records import (
    CHILD,
    COUPLE,
    DAUGHTER_IN_LAW,
    GRANDCHILD,
    HEAD,
    LONE_PARENT,
    PARENT,
    SINGLE,
    SON,
    SPOUSE,
    WITH_GRANDCHILDREN,
    WITH_PARENTS,
    Persons,
)


def _gap(rng: np.random.Generator, parent_age: np.ndarray) -> np.ndarray:
    """Age of a parent at a child's birth: 19..min(parent age, 44), most often in the twenties."""
    top = np.minimum(np.maximum(parent_age, 19.0), 44.0)
    return 19.0 + (top - 19.0) * rng.triangular(0.0, 0.3, 1.0, len(parent_age))


def _head_ages(rng: np.random.Generator, kind: np.ndarray, size: np.ndarray):
    n = len(kind)
    elderly = rng.random(n) < 0.45
    young_couple = rng.random(n) < 0.30
    single = np.where(elderly, np.minimum(60 + rng.gamma(1.6, 8.0, n), 100), rng.uniform(20, 60, n))
    childless = np.where(young_couple, rng.uniform(21, 32, n), np.minimum(48 + rng.gamma(2.0, 8.0, n), 95))
    parents = np.minimum(23 + rng.gamma(2.2, 8.5, n), 85)
    age = np.select(
        [
            kind == SINGLE,
            (kind == COUPLE) & (size == 2),
            kind == COUPLE,
            kind == LONE_PARENT,
            kind == WITH_PARENTS,
        ],
        [single, childless, parents, np.minimum(28 + rng.gamma(3.0, 7.0, n), 92), rng.uniform(22, 50, n)],
        np.minimum(52 + rng.gamma(2.0, 6.5, n), 90),
    )
    female_p = np.select(
        [kind == SINGLE, kind == LONE_PARENT], [np.where(elderly, 0.68, 0.40), np.full(n, 0.75)], 0.15
    )
    return age, rng.random(n) < female_p


def members(rng: np.random.Generator, size: np.ndarray, kind: np.ndarray, start: int):
    """The members of each household (roles by position, ages consistent with the roles, family surnames), and
    the surname the household's children carry (their father's)."""
    n_hh = len(size)
    head_age, head_female = _head_ages(rng, kind, size)
    has_spouse = np.isin(kind, [COUPLE, WITH_PARENTS, WITH_GRANDCHILDREN])
    spouse_age = head_age + np.where(head_female, 1, -1) * rng.normal(3.0, 2.5, n_hh)
    spouse_age = np.maximum(spouse_age, np.where(kind == WITH_GRANDCHILDREN, 45.0, 19.0))
    young = np.where(has_spouse, np.minimum(head_age, spouse_age), head_age)  # the younger parent
    n_parents = np.where((kind == WITH_PARENTS) & (size >= 4) & (rng.random(n_hh) < 0.45), 2, 1)
    lone_parent_female = rng.random(n_hh) < 0.65
    mother_age = np.minimum(head_age + rng.uniform(20, 34, n_hh), 99)
    father_age = np.minimum(mother_age + rng.uniform(0, 6, n_hh), 100)
    son_age = young - rng.uniform(20.0, np.maximum(np.minimum(35.0, young - 21.0), 20.001))
    dil_age = np.maximum(son_age + rng.normal(-2.5, 2.0, n_hh), 19.0)

    head_surname = names.surnames(rng, n_hh)
    spouse_surname = names.surnames(rng, n_hh)
    absent_father_surname = names.surnames(rng, n_hh)
    father_surname = np.select(
        [has_spouse & head_female, ~has_spouse & head_female],
        [spouse_surname, absent_father_surname],
        head_surname,
    )

    idx = np.repeat(np.arange(n_hh), size)
    slot = np.arange(len(idx)) - np.repeat(np.cumsum(size) - size, size)
    k = kind[idx]
    role = np.select(
        [
            slot == 0,
            k == LONE_PARENT,
            slot == 1,
            k == COUPLE,
            (k == WITH_PARENTS) & (slot - 2 < n_parents[idx]),
            k == WITH_PARENTS,
            slot == 2,
            slot == 3,
        ],
        [HEAD, CHILD, SPOUSE, CHILD, PARENT, CHILD, SON, DAUGHTER_IN_LAW],
        GRANDCHILD,
    ).astype(np.int8)
    parent_female = np.where(n_parents[idx] == 2, slot == 3, lone_parent_female[idx])
    female = np.select(
        [role == HEAD, role == SPOUSE, role == PARENT, role == SON, role == DAUGHTER_IN_LAW],
        [head_female[idx], ~head_female[idx], parent_female, False, True],
        rng.random(len(idx)) < 0.485,
    )
    child_age = young[idx] - _gap(rng, young[idx])
    grand_parent = np.minimum(son_age, dil_age)[idx]
    age = np.select(
        [role == HEAD, role == SPOUSE, role == CHILD, role == PARENT, role == SON, role == DAUGHTER_IN_LAW],
        [
            head_age[idx],
            spouse_age[idx],
            child_age,
            np.where(parent_female, mother_age[idx], father_age[idx]),
            son_age[idx],
            dil_age[idx],
        ],
        grand_parent - _gap(rng, grand_parent),
    )
    age = np.clip(age, 0.0, 100.0)
    birth = start - np.maximum(1, np.round(age * DAYS_PER_YEAR)).astype(np.int64)
    own_surname = names.surnames(rng, len(idx))
    surname = np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == PARENT) & ~female,
            (role == PARENT) | (role == DAUGHTER_IN_LAW),
        ],
        [head_surname[idx], spouse_surname[idx], head_surname[idx], own_surname],
        father_surname[idx],
    )
    return Persons(idx, slot.astype(np.int16), role, female, birth, surname), father_surname
