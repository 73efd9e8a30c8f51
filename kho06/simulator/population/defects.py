"""The population's defect classes (docs/contracts/population.md): their bases, the records each touches (one
class per record at most, the original of a duplicate or of a shared ID kept free too) and the truth log.

The classes that change or copy an ID never touch a head's row, so the head's ID stays the household's
`Số định danh chủ hộ`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import SimConfig
from kho06.simulator.population.days import DAYS_PER_YEAR, day_number
from kho06.simulator.population.defect_edits import (
    STALE_YEARS,
    RegisterEdits,
    dead_still_active,
    decomposed_names,
    duplicate_events,
    duplicate_records,
    foreign_ethnic_codes,
    headless_households,
    impossible_births,
    invalid_ids,
    missing_fields,
    shared_id_pairs,
    shared_ids,
    stale_updates,
)
from kho06.simulator.population.layout import ALIVE, FEED, HEAD_RELATION
from kho06.simulator.population.register import Register
from kho06.simulator.truth import ADDED, IN_PLACE, DefectClass, DefectLog, defect_count, pick_disjoint

# Bases (the contract's words): living and dead snapshot rows, households, event rows.
LIVING, HOUSEHOLDS, DEAD, EVENTS = "living", "households", "dead", "events"
# in the order their records are drawn: the pairs of shared IDs first, the duplicated events last
CLASSES: tuple[DefectClass[RegisterEdits], ...] = (
    DefectClass("shared_id", "sạch", LIVING, IN_PLACE, shared_ids),
    DefectClass("duplicate_record", "sạch", LIVING, ADDED, duplicate_records),
    DefectClass("invalid_id_structure", "đúng", LIVING, IN_PLACE, invalid_ids),
    DefectClass("missing_mandatory_field", "đủ", LIVING, IN_PLACE, missing_fields),
    DefectClass("household_without_head", "đủ", HOUSEHOLDS, IN_PLACE, headless_households),
    DefectClass("impossible_birth_date", "đúng", LIVING, IN_PLACE, impossible_births),
    DefectClass("ethnic_code_out_of_list", "đúng", LIVING, IN_PLACE, foreign_ethnic_codes),
    DefectClass("non_nfc_name", "sạch", LIVING, IN_PLACE, decomposed_names),
    DefectClass("stale_update", "sống", LIVING, IN_PLACE, stale_updates),
    DefectClass("dead_still_active", "sống", DEAD, IN_PLACE, dead_still_active),
    DefectClass("duplicate_event", "sạch", EVENTS, ADDED, duplicate_events),
)


def inject_defects(cfg: SimConfig, reg: Register, geo: Geography, truth: DefectLog):
    """Every defect class on its own records; returns the snapshot and events to write."""
    edits = RegisterEdits(reg, geo)
    rows = _pick_rows(cfg, edits)
    for cls in CLASSES:
        truth.record(FEED, cls, cls.inject(cfg.rng(FEED, f"defects-{cls.name}"), edits, rows[cls.name]))
    return edits.apply()


def _pick_rows(cfg: SimConfig, edits: RegisterEdits) -> dict[str, np.ndarray]:
    """The records of each class (positions in the snapshot; in the events for duplicate_event)."""
    reg = edits.reg
    snap = reg.snapshot
    n = len(snap)
    living = (snap["status"] == ALIVE).to_numpy()
    head = (snap["relation"] == HEAD_RELATION).to_numpy()
    bases = {
        LIVING: int(living.sum()),
        HOUSEHOLDS: reg.households,
        DEAD: int((~living).sum()),
        EVENTS: len(reg.events),
    }
    count = {c.name: defect_count(cfg.defect_rate, bases[c.base]) for c in CLASSES}
    rng = cfg.rng(FEED, "defects-pick")

    target, edits.id_owners = shared_id_pairs(rng, snap, living & ~head, count["shared_id"])
    taken = np.zeros(n, dtype=bool)
    taken[np.concatenate([target, edits.id_owners])] = True
    birth_days = snap["birth"].cast(pl.Int32).to_numpy()
    nfd_differs = (snap["name"].str.normalize("NFD") != snap["name"]).to_numpy()
    # old enough to have had an ID card (14) at the stale date, at most STALE_YEARS + 10 years back
    adult = birth_days <= day_number(cfg.end) - round((STALE_YEARS + 10 + 15) * DAYS_PER_YEAR)
    eligible = {
        "duplicate_record": living & ~head,
        "invalid_id_structure": living & ~head,
        "missing_mandatory_field": living & ~head,
        "household_without_head": head,
        "impossible_birth_date": living,
        "ethnic_code_out_of_list": living,
        "non_nfc_name": living & nfd_differs,
        "stale_update": living & adult,
        "dead_still_active": ~living,
    }
    rows = {"shared_id": target}
    for name, ok in eligible.items():
        (rows[name],) = pick_disjoint(rng, n, [count[name]], taken | ~ok)
        taken[rows[name]] = True
    (rows["duplicate_event"],) = pick_disjoint(rng, len(reg.events), [count["duplicate_event"]])
    return rows
