"""Steps 1 and 2 together: the households at `cfg.start` and everything that happens to them until `cfg.end`,
at the province's yearly rates."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import SimConfig
from kho06.simulator.population.days import day_number
from kho06.simulator.population.events import History, Period, add_newborns, births, deaths, moves
from kho06.simulator.population.households import build_households
from kho06.simulator.population.layout import FEED
from kho06.simulator.population.vocabularies import CORRECTED_FIELDS
from kho06.simulator.sampling import choice

LIVING_RESIDENTS = (
    2_100_000  # KPI population_records_digitised (registered residents, not the census population)
)
PERSONS_PER_HOUSEHOLD = 3.64  # about 577,600 households at scale 1
BIRTH_RATE = 0.015  # per resident per year
DEATH_RATE = 0.0065
MOVE_RATE = 0.02  # share of residents whose household moves to another commune, per year
CORRECTION_RATE = 0.01


def event_counts(cfg: SimConfig) -> tuple[int, int, int, int]:
    """Births, deaths, persons moving and corrections over the period, from the annual rates."""
    living = cfg.scaled(LIVING_RESIDENTS)
    years = len(cfg.days()) / 365.25
    births_, deaths_, movers, corrections = (
        round(rate * living * years) for rate in (BIRTH_RATE, DEATH_RATE, MOVE_RATE, CORRECTION_RATE)
    )
    return births_, deaths_, movers, corrections


def simulate_period(cfg: SimConfig, geo: Geography):
    """Households at cfg.start and everything that happens to them until cfg.end."""
    period = Period(day_number(cfg.start), day_number(cfg.end))
    living = cfg.scaled(LIVING_RESIDENTS)
    n_births, n_deaths, n_movers, n_corrections = event_counts(cfg)
    households = max(1, round(living / PERSONS_PER_HOUSEHOLD))
    initial = living - n_births + n_deaths

    hh, people, weights, hamlets = build_households(
        cfg.rng(FEED, "clean-households"), geo, households, initial, period.start
    )
    rng = cfg.rng(FEED, "clean-events")
    mother, birth_day = births(rng, hh, people, n_births, period)
    people, born = add_newborns(rng, hh, people, mother, birth_day)
    died, death_day = deaths(rng, people, initial, mother, n_deaths, period)
    busy = np.zeros(households, dtype=bool)
    busy[people.hh[mother]] = True
    busy[people.hh[died]] = True
    district = geo.communes["district_code"].cast(pl.Int32).to_numpy()
    moved, move_day, dest, dest_hamlet = moves(rng, hh, weights, hamlets, district, busy, n_movers, period)
    alive = np.ones(initial, dtype=bool)
    alive[died] = False
    corrected = np.sort(rng.choice(np.flatnonzero(alive), size=n_corrections, replace=False))
    field = choice(rng, CORRECTED_FIELDS, n_corrections)
    history = History(
        born,
        died,
        death_day,
        moved,
        move_day,
        dest,
        dest_hamlet,
        corrected,
        period.draw(rng, n_corrections),
        field,
    )
    return period, hh, people, hamlets, history
