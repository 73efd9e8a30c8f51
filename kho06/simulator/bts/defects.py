"""The BTS defect classes (docs/contracts/bts.md): six on the cells (base: clean cells), three on the site register
(base: clean sites), each on records no other class touches.

In-place cell classes touch only a spare cell (the last of a station with at least two), so every station keeps
a valid cell; the added cell classes copy other clean cells. Only sites permitted over five years before the end
may carry an expired inspection, so the inspection can really be that old.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.bts.defect_edits import (
    BtsEdits,
    coordinates_outside,
    duplicate_sites,
    duplicates,
    expired_inspection,
    invalid_network,
    missing_fields,
    missing_permit,
    nr_cells,
    stale,
)
from kho06.simulator.bts.layout import FEED, as_of_day
from kho06.simulator.config import SimConfig
from kho06.simulator.truth import ADDED, IN_PLACE, DefectClass, DefectLog, defect_count, pick_disjoint

CELLS, SITES = "clean cells", "clean sites"
# in the order they are injected (they draw from one random stream per file)
CELL_CLASSES: tuple[DefectClass[BtsEdits], ...] = (
    DefectClass("coordinates_outside_province", "đúng", CELLS, IN_PLACE, coordinates_outside),
    DefectClass("invalid_network_code", "đúng", CELLS, IN_PLACE, invalid_network),
    DefectClass("missing_cell_fields", "đủ", CELLS, IN_PLACE, missing_fields),
    DefectClass("duplicate_cell", "sạch", CELLS, ADDED, duplicates),
    DefectClass("stale_cell", "sống", CELLS, ADDED, stale),
    DefectClass("radio_not_in_service", "đúng", CELLS, ADDED, nr_cells),
)
SITE_CLASSES: tuple[DefectClass[BtsEdits], ...] = (
    DefectClass("inspection_expired", "sống", SITES, IN_PLACE, expired_inspection),
    DefectClass("site_missing_permit", "đủ", SITES, IN_PLACE, missing_permit),
    DefectClass("site_duplicate_address", "sạch", SITES, ADDED, duplicate_sites),
)
CLASSES = CELL_CLASSES + SITE_CLASSES


def _inject(
    rng: np.random.Generator,
    edits: BtsEdits,
    classes: tuple[DefectClass[BtsEdits], ...],
    rows: list[np.ndarray],
    truth: DefectLog,
) -> None:
    for cls, pos in zip(classes, rows, strict=True):
        truth.record(FEED, cls, cls.inject(rng, edits, pos))


def cell_defects(cfg: SimConfig, cells: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """The cells with the cell classes injected: spare cells altered, copies of other cells added."""
    rng = cfg.rng(FEED, "defects-cells")
    n = len(cells)
    k = defect_count(cfg.defect_rate, n)
    in_place = [c for c in CELL_CLASSES if c.kind == IN_PLACE]
    altered = pick_disjoint(rng, n, [k] * len(in_place), taken=~cells["spare"].to_numpy())
    used = np.zeros(n, dtype=bool)
    used[np.concatenate(altered)] = True
    sources = pick_disjoint(rng, n, [k] * (len(CELL_CLASSES) - len(in_place)), taken=used)
    edits = BtsEdits(cells, as_of=as_of)
    _inject(rng, edits, CELL_CLASSES, [*altered, *sources], truth)
    return edits.result(how="vertical_relaxed")


def register_defects(cfg: SimConfig, register: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """The register with the site classes injected; the expired inspections only on long-permitted sites."""
    rng = cfg.rng(FEED, "defects-sites")
    n = len(register)
    k = defect_count(cfg.defect_rate, n)
    old = register["permit_date"].cast(pl.Int64).to_numpy() < as_of_day(as_of) - 5 * 365 - 60
    (expired,) = pick_disjoint(rng, n, [k], taken=~old)
    taken = np.zeros(n, dtype=bool)
    taken[expired] = True
    others = pick_disjoint(rng, n, [k] * (len(SITE_CLASSES) - 1), taken=taken)
    edits = BtsEdits(register, as_of=as_of)
    _inject(rng, edits, SITE_CLASSES, [expired, *others], truth)
    return edits.result()
