"""The OCOP defect classes (docs/contracts/ocop.md): each touches `defect_count(rate, clean rows)` rows, no row
twice; altered rows keep their key, added rows follow the clean ones with keys of their own.

A potential-5★ row keeps its score (its band, 90+, is not the one the stars alone imply), and NFD text is written
only where both fields change under NFD, whichever of them the class picks.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import SimConfig
from kho06.simulator.ocop.defect_edits import (
    OcopEdits,
    commune_not_in_province,
    duplicate_listings,
    expired,
    inconsistent_district_spelling,
    invalid_group,
    missing_mandatory_field,
    non_nfc_text,
    score_star_mismatch,
)
from kho06.simulator.ocop.layout import FEED
from kho06.simulator.truth import ADDED, IN_PLACE, DefectClass, DefectLog, defect_count, pick_disjoint

ROWS = "clean rows"
# in the order their rows are drawn; the last makes products of its own instead of drawing clean rows
CLASSES: tuple[DefectClass[OcopEdits], ...] = (
    DefectClass("score_star_mismatch", "đúng", ROWS, IN_PLACE, score_star_mismatch),
    DefectClass("commune_not_in_province", "đúng", ROWS, IN_PLACE, commune_not_in_province),
    DefectClass("invalid_group", "đúng", ROWS, IN_PLACE, invalid_group),
    DefectClass("missing_mandatory_field", "đủ", ROWS, IN_PLACE, missing_mandatory_field),
    DefectClass("non_nfc_text", "sạch", ROWS, IN_PLACE, non_nfc_text),
    DefectClass("inconsistent_district_spelling", "sạch", ROWS, IN_PLACE, inconsistent_district_spelling),
    DefectClass("duplicate_product", "sạch", ROWS, ADDED, duplicate_listings),
    DefectClass("expired_still_listed", "sống", ROWS, ADDED, expired),
)


def inject_defects(cfg: SimConfig, geo: Geography, clean: pl.DataFrame, truth: DefectLog) -> pl.DataFrame:
    """The clean list with defects altered in place and added rows appended; logs every defect in `truth`."""
    count = defect_count(cfg.defect_rate, clean.height)
    if count == 0:
        return clean
    rows = _pick_rows(cfg.rng(FEED, "defects-pick"), clean, count)
    edits = OcopEdits(cfg, geo, clean, count)
    for cls in CLASSES:
        picked = rows.get(cls.name, np.zeros(0, dtype=np.int64))
        truth.record(FEED, cls, cls.inject(cfg.rng(FEED, f"defects-{cls.name}"), edits, picked))
    return edits.listed()


def _pick_rows(rng: np.random.Generator, clean: pl.DataFrame, count: int) -> dict[str, np.ndarray]:
    """Row positions per class that works on clean rows (a duplicate's source included), no row twice."""
    n = clean.height
    eligible = {
        "score_star_mismatch": clean["potential"].is_null().to_numpy(),
        "non_nfc_text": (
            (clean["name"].str.normalize("NFD") != clean["name"])
            & (clean["producer"].str.normalize("NFD") != clean["producer"])
        ).to_numpy(),
    }
    taken = np.zeros(n, dtype=bool)
    rows = {}
    for cls in CLASSES[:-1]:
        blocked = taken | ~eligible.get(cls.name, np.ones(n, dtype=bool))
        (rows[cls.name],) = pick_disjoint(rng, n, [count], taken=blocked)
        taken[rows[cls.name]] = True
    return rows
