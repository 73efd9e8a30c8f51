"""The BTS defect classes (docs/contracts/bts.md): six on the cells (base: clean cells), three on the site register
(base: clean sites), each on records no other class touches."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.bts.defect_edits import (
    coordinates_outside,
    duplicate_sites,
    duplicates,
    invalid_network,
    missing_fields,
    nr_cells,
    patch,
    stale,
)
from kho06.simulator.bts.layout import FEED, INSPECTION_VALID_DAYS, as_of_day
from kho06.simulator.config import SimConfig
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint


def cell_defects(cfg: SimConfig, cells: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """Six cell-level classes; base = clean cells. In-place classes touch one spare cell of a station that has
    at least two cells, so every station keeps a valid cell; the other classes add rows."""
    rng = cfg.rng(FEED, "defects-cells")
    n = len(cells)
    k = defect_count(cfg.defect_rate, n)
    spare = cells["spare"].to_numpy()
    in_place = pick_disjoint(rng, n, [k, k, k], taken=~spare)
    used = np.zeros(n, dtype=bool)
    used[np.concatenate(in_place)] = True
    sources = pick_disjoint(rng, n, [k, k, k], taken=used)
    cells = coordinates_outside(rng, cells, in_place[0], truth)
    cells = invalid_network(rng, cells, in_place[1], truth)
    cells = missing_fields(rng, cells, in_place[2], truth)
    added = [
        duplicates(rng, cells, sources[0], truth),
        stale(rng, cells, sources[1], truth, as_of),
        nr_cells(rng, cells, sources[2], truth, as_of),
    ]
    return pl.concat([cells, *added], how="vertical_relaxed")


def register_defects(cfg: SimConfig, register: pl.DataFrame, truth: DefectLog, as_of: int) -> pl.DataFrame:
    """Three register classes; base = clean sites. Only sites permitted over five years before the end may carry
    an expired inspection, so the inspection can really be that old."""
    rng = cfg.rng(FEED, "defects-sites")
    n = len(register)
    k = defect_count(cfg.defect_rate, n)
    today = as_of_day(as_of)
    old = register["permit_date"].cast(pl.Int64).to_numpy() < today - 5 * 365 - 60
    expired = pick_disjoint(rng, n, [k], taken=~old)[0]
    taken = np.zeros(n, dtype=bool)
    taken[expired] = True
    no_permit, dup = pick_disjoint(rng, n, [k, k], taken=taken)
    ids = register["site_id"]

    inspected = today - rng.integers(INSPECTION_VALID_DAYS + 15, 5 * 365, k)
    truth.add(
        FEED,
        ids[expired],
        "inspection_expired",
        "sống",
        "inspected " + pl.Series(inspected.astype("datetime64[D]")).dt.strftime("%Y-%m-%d"),
    )
    register = patch(register, expired, inspected=inspected.astype("datetime64[D]"))

    truth.add(FEED, ids[no_permit], "site_missing_permit", "đủ", "permit number and date empty")
    register = patch(register, no_permit, permit_no=[None] * k, permit_date=[None] * k)

    return pl.concat([register, duplicate_sites(rng, register, dup, truth)], how="vertical")
