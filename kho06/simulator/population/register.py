"""Step 3: the clean register as typed frames: the snapshot at `cfg.end` and the period's events, derived from the
same person table so they agree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator import names
from kho06.simulator.config import SimConfig
from kho06.simulator.population.days import dates
from kho06.simulator.population.event_records import Identity, clean_events
from kho06.simulator.population.events import Period
from kho06.simulator.population.identities import citizen_ids, record_numbers, relations, update_days
from kho06.simulator.population.layout import (
    ETHNIC,
    FEED,
    RELATION,
    RELATIONS,
    RELIGION,
    SEX,
    STATUS,
    enum_of,
)
from kho06.simulator.population.period import simulate_period
from kho06.simulator.population.vocabularies import ETHNIC_CODES, RELIGIONS


@dataclass
class Register:
    snapshot: pl.DataFrame
    """typed, one row per person in file order: rid_district, seq, district, commune, hamlet, hh, name, birth,
    sex, pid, ethnic, religion, relation, head_pid, status, updated"""
    events: pl.DataFrame
    """typed, sorted and numbered within each day: eid, day, type, rid, pid, commune_code, other_code, field, old,
    new"""
    period: Period
    hamlets: pl.DataFrame  # commune (row of geo.communes), hamlet name; row = hamlet number
    households: int
    districts: pl.Enum


def clean_register(cfg: SimConfig, geo: Geography) -> Register:
    """The clean snapshot and the clean events, as typed frames."""
    period, hh, people, hamlets, history = simulate_period(cfg, geo)
    rng = cfg.rng(FEED, "clean-identities")
    n = len(people.hh)
    name = names.full_names(rng, people.female, people.surname).str.to_uppercase()
    pid = citizen_ids(rng, people, history.born)
    updated = update_days(rng, people, history, period)

    codes = geo.districts["district_code"]
    districts = pl.Enum(codes)
    district_of = geo.communes["district_code"].replace_strict(codes, pl.Series(range(len(codes)))).to_numpy()
    first_district = district_of[hh.commune[people.hh]]
    seq = record_numbers(people, first_district)

    end_commune, end_hamlet = hh.commune.copy(), hh.hamlet.copy()
    end_commune[history.moved], end_hamlet[history.moved] = history.dest_commune, history.dest_hamlet
    head_of = np.empty(len(hh.size), dtype=np.int64)
    head_of[people.hh[people.slot == 0]] = np.flatnonzero(people.slot == 0)
    dead = np.zeros(n, dtype=bool)
    dead[history.died] = True

    order = np.lexsort((people.slot, people.hh, end_commune[people.hh]))  # file order
    home = people.hh[order]
    snapshot = pl.DataFrame(
        {
            "rid_district": enum_of(codes, districts, first_district[order]),
            "seq": seq[order].astype(np.int32),
            "district": enum_of(codes, districts, district_of[end_commune[home]]),
            "commune": end_commune[home].astype(np.int32),
            "hamlet": end_hamlet[home].astype(np.int32),
            "hh": home.astype(np.int32),
            "name": name.gather(order),
            "birth": dates(people.birth[order]),
            "sex": enum_of(SEX.categories, SEX, people.female[order].astype(np.int8)),
            "pid": pid.gather(order),
            "ethnic": enum_of(ETHNIC_CODES, ETHNIC, hh.ethnic[home]),
            "religion": enum_of(RELIGIONS, RELIGION, hh.religion[home]),
            "relation": enum_of(RELATIONS, RELATION, relations(people)[order]),
            "head_pid": pid.gather(head_of[home]),
            "status": enum_of(STATUS.categories, STATUS, dead[order].astype(np.int8)),
            "updated": dates(updated[order]),
        }
    )
    identity = Identity(people, hh, name, pid, first_district, seq, districts)
    events = clean_events(cfg, identity, history, geo)
    return Register(snapshot, events, period, hamlets, len(hh.size), districts)
