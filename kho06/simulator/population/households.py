"""Step 1: the households at `cfg.start`: size (1–9), kind, commune and thôn/xóm, ethnicity, religion, members."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator import names
from kho06.simulator.population.members import members
from kho06.simulator.population.records import (
    COUPLE,
    LONE_PARENT,
    SINGLE,
    WITH_GRANDCHILDREN,
    WITH_PARENTS,
    Households,
)
from kho06.simulator.population.vocabularies import KINH_SHARE, MINORITIES, RELIGIONS
from kho06.simulator.sampling import apportion, choice_index

# Household sizes 1..9: a census-like shape (most households of 3–5), tilted to the wanted mean.
_SIZE_SHAPE = np.array([10.5, 18.0, 21.0, 27.0, 13.0, 6.5, 2.5, 1.0, 0.5])


def household_sizes(rng: np.random.Generator, households: int, persons: int) -> np.ndarray:
    """Sizes 1..9 of `households` households holding exactly `persons` persons, census-shaped."""
    if not households <= persons <= 9 * households:
        raise ValueError(f"{persons} persons do not fit {households} households of 1–9")
    sizes = np.arange(1, 10)
    lo, hi = -3.0, 3.0
    for _ in range(60):  # exponential tilt of the census shape so its mean is persons / households
        theta = (lo + hi) / 2
        p = _SIZE_SHAPE * np.exp(theta * sizes)
        lo, hi = (theta, hi) if p @ sizes / p.sum() < persons / households else (lo, theta)
    out = np.repeat(sizes, apportion(households, p))
    rng.shuffle(out)
    diff = persons - int(out.sum())
    step = 1 if diff > 0 else -1
    room = np.flatnonzero(out < 9) if diff > 0 else np.flatnonzero(out > 1)
    out[rng.choice(room, size=abs(diff), replace=False)] += step
    return out


def _household_kinds(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    u = rng.random(len(size))
    small = np.select([u < 0.70, u < 1.0], [COUPLE, LONE_PARENT])
    three = np.select([u < 0.72, u < 0.82], [COUPLE, LONE_PARENT], WITH_PARENTS)
    mid = np.select([u < 0.60, u < 0.65, u < 0.82], [COUPLE, LONE_PARENT, WITH_PARENTS], WITH_GRANDCHILDREN)
    big = np.select([u < 0.40, u < 0.43, u < 0.68], [COUPLE, LONE_PARENT, WITH_PARENTS], WITH_GRANDCHILDREN)
    return np.select([size == 1, size == 2, size == 3, size <= 5], [SINGLE, small, three, mid], big).astype(
        np.int8
    )


def commune_weights(rng: np.random.Generator, geo: Geography) -> np.ndarray:
    """Relative population of each commune: wards and towns are denser than rural communes, with spread."""
    kind = geo.communes["commune_type"].to_numpy()
    base = np.select([kind == "Phường", kind == "Thị trấn"], [1.5, 1.3], 1.0)
    return base * rng.lognormal(0.0, 0.3, len(kind))


def hamlet_table(rng: np.random.Generator, n_communes: int) -> pl.DataFrame:
    """5–20 thôn/xóm per commune, names unique within the commune: columns commune, hamlet (row = hamlet id)."""
    wanted = rng.integers(5, 21, n_communes)
    draws = 80
    table = (
        pl.DataFrame(
            {
                "commune": np.repeat(np.arange(n_communes), draws),
                "hamlet": names.hamlet_names(rng, n_communes * draws),
            }
        )
        .unique(maintain_order=True)
        .with_columns(rank=pl.int_range(pl.len()).over("commune"))
        .join(
            pl.DataFrame({"commune": np.arange(n_communes), "wanted": wanted}),
            on="commune",
            maintain_order="left",
        )
        .filter(pl.col("rank") < pl.col("wanted"))
        .drop("rank", "wanted")
    )
    if len(table) != wanted.sum():
        raise RuntimeError("not enough distinct thôn/xóm names drawn")
    return table


def hamlets_in(rng: np.random.Generator, hamlets: pl.DataFrame, commune: np.ndarray) -> np.ndarray:
    """A random thôn/xóm (row of the hamlet table) of each given commune."""
    counts = hamlets.group_by("commune", maintain_order=True).len()["len"].to_numpy()
    first = (np.cumsum(counts) - counts)[commune]
    return (first + np.floor(rng.random(len(commune)) * counts[commune])).astype(np.int64)


def build_households(rng: np.random.Generator, geo: Geography, households: int, persons: int, start: int):
    """Households and their members at cfg.start, the communes' weights and the hamlet table."""
    size = household_sizes(rng, households, persons)
    kind = _household_kinds(rng, size)
    weights = commune_weights(rng, geo)
    hamlets = hamlet_table(rng, len(weights))
    minimum = 1 if households >= len(weights) else 0  # every commune gets a household when there are enough
    commune = np.repeat(np.arange(len(weights)), apportion(households, weights, minimum=minimum))
    hamlet = hamlets_in(rng, hamlets, commune)
    kinh = rng.random(households) < KINH_SHARE
    ethnic = np.where(kinh, 0, 1 + choice_index(rng, MINORITIES, households))
    religion = choice_index(rng, RELIGIONS, households)
    people, father_surname = members(rng, size, kind, start)
    return Households(size, kind, commune, hamlet, ethnic, religion, father_surname), people, weights, hamlets
