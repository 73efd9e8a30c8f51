"""The population's defect classes (docs/contracts/population.md): their bases, the records each touches (one
class per record at most) and the truth log."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.geography import Geography
from kho06.simulator.population.days import DAYS_PER_YEAR, day_number
from kho06.simulator.population.defect_edits import (
    STALE_YEARS,
    Edits,
    dead_still_active,
    decomposed_names,
    duplicate_events,
    duplicate_records,
    foreign_ethnic_codes,
    headless_households,
    impossible_births,
    invalid_ids,
    missing_fields,
    prefixed,
    shared_id_pairs,
    stale_updates,
)
from kho06.simulator.population.layout import ALIVE, FEED, HEAD_RELATION
from kho06.simulator.population.register import Register
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

# class -> (criterion, base: the clean records the class draws from and is counted against)
DEFECT_CLASSES = {
    "invalid_id_structure": ("đúng", "living"),
    "impossible_birth_date": ("đúng", "living"),
    "ethnic_code_out_of_list": ("đúng", "living"),
    "missing_mandatory_field": ("đủ", "living"),
    "household_without_head": ("đủ", "households"),
    "duplicate_record": ("sạch", "living"),
    "non_nfc_name": ("sạch", "living"),
    "shared_id": ("sạch", "living"),
    "duplicate_event": ("sạch", "events"),
    "dead_still_active": ("sống", "dead"),
    "stale_update": ("sống", "living"),
}


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[rows] = True
    return m


def inject_defects(cfg: SimConfig, reg: Register, geo: Geography, truth: DefectLog):
    """Every defect class on its own records; returns the snapshot and events to write."""
    snap = reg.snapshot
    n = len(snap)
    living = (snap["status"] == ALIVE).to_numpy()
    head = (snap["relation"] == HEAD_RELATION).to_numpy()
    bases = {
        "living": int(living.sum()),
        "households": reg.households,
        "dead": int((~living).sum()),
        "events": len(reg.events),
    }
    count = {c: defect_count(cfg.defect_rate, bases[base]) for c, (_, base) in DEFECT_CLASSES.items()}
    pick_rng = cfg.rng(FEED, "defects-pick")
    edits = Edits(snap)

    def log(defect_class: str, keys, detail) -> None:
        truth.add(FEED, keys, defect_class, DEFECT_CLASSES[defect_class][0], detail)

    target, owner = shared_id_pairs(pick_rng, snap, living & ~head, count["shared_id"])
    taken = _mask(n, np.concatenate([target, owner]))
    edits.set("pid", target, snap["pid"].gather(owner))
    log("shared_id", edits.rids(target), prefixed("ID of ", edits.rids(owner)))

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
    handlers = {
        "duplicate_record": duplicate_records,
        "invalid_id_structure": invalid_ids,
        "missing_mandatory_field": missing_fields,
        "household_without_head": headless_households,
        "impossible_birth_date": impossible_births,
        "ethnic_code_out_of_list": foreign_ethnic_codes,
        "non_nfc_name": decomposed_names,
        "stale_update": stale_updates,
        "dead_still_active": dead_still_active,
    }
    rows = {}
    for defect_class, ok in eligible.items():
        (rows[defect_class],) = pick_disjoint(pick_rng, n, [count[defect_class]], taken | ~ok)
        taken[rows[defect_class]] = True
    for defect_class, handler in handlers.items():
        rng = cfg.rng(FEED, f"defects-{defect_class}")
        log(defect_class, *handler(rng, edits, rows[defect_class], reg, geo))

    events, keys, detail = duplicate_events(pick_rng, reg.events, count["duplicate_event"])
    log("duplicate_event", keys, detail)
    return edits.apply(), events
