"""The OCOP defect classes (docs/contracts/ocop.md): each touches `defect_count(rate, clean rows)` rows, no row
twice; altered rows keep their key, added rows follow the clean ones with keys of their own."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.geography import Geography
from kho06.simulator.ocop.defect_edits import (
    commune_not_in_province,
    duplicate_listings,
    expired,
    inconsistent_district_spelling,
    invalid_group,
    missing_mandatory_field,
    non_nfc_text,
    score_star_mismatch,
)
from kho06.simulator.ocop.layout import FEED, KEY_PREFIX
from kho06.simulator.ocop.targets import YEAR_TARGETS
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

DEFECT_CLASSES = {
    "score_star_mismatch": "đúng",
    "commune_not_in_province": "đúng",
    "invalid_group": "đúng",
    "missing_mandatory_field": "đủ",
    "duplicate_product": "sạch",
    "non_nfc_text": "sạch",
    "inconsistent_district_spelling": "sạch",
    "expired_still_listed": "sống",
}


IN_PLACE = (
    "score_star_mismatch",
    "commune_not_in_province",
    "invalid_group",
    "missing_mandatory_field",
    "non_nfc_text",
    "inconsistent_district_spelling",
)


def inject_defects(cfg: SimConfig, geo: Geography, clean: pl.DataFrame, truth: DefectLog) -> pl.DataFrame:
    """The clean list with defects altered in place and added rows appended; logs every defect in `truth`."""
    n = clean.height
    count = defect_count(cfg.defect_rate, n)
    if count == 0:
        return clean
    rows = _pick_rows(cfg.rng(FEED, "defects-pick"), clean, count)
    listed = clean
    for cls in IN_PLACE:
        listed, detail = _ALTER[cls](cfg.rng(FEED, f"defects-{cls}"), listed, rows[cls])
        truth.add(FEED, clean["key"][rows[cls]], cls, DEFECT_CLASSES[cls], detail)

    duplicates = duplicate_listings(
        cfg.rng(FEED, "defects-duplicate_product"), clean, rows["duplicate_product"]
    )
    added = _number_added(pl.concat([duplicates, expired(cfg, geo, clean, count)]))
    for cls in ("duplicate_product", "expired_still_listed"):
        part = added.filter(pl.col("_class") == cls)
        if part.height:
            truth.add(FEED, part["key"], cls, DEFECT_CLASSES[cls], part["_detail"])
    tail = added.with_columns(pl.int_range(n + 1, n + 1 + added.height, dtype=pl.Int64).alias("stt"))
    return pl.concat([listed, tail.select(listed.columns)])


def _pick_rows(rng: np.random.Generator, clean: pl.DataFrame, count: int) -> dict[str, np.ndarray]:
    """Row positions per class that works on clean rows (a duplicate's source included), no row twice."""
    n = clean.height
    eligible = {
        # A potential-5★ row keeps its score: its band (90+) is not the one the stars alone imply.
        "score_star_mismatch": clean["potential"].is_null().to_numpy(),
        # Both fields must change under NFD, whichever of them the defect picks.
        "non_nfc_text": (
            (clean["name"].str.normalize("NFD") != clean["name"])
            & (clean["producer"].str.normalize("NFD") != clean["producer"])
        ).to_numpy(),
    }
    taken = np.zeros(n, dtype=bool)
    rows = {}
    for cls in (*IN_PLACE, "duplicate_product"):
        blocked = taken | ~eligible.get(cls, np.ones(n, dtype=bool))
        (rows[cls],) = pick_disjoint(rng, n, [count], taken=blocked)
        taken[rows[cls]] = True
    return rows


_ALTER = {
    "score_star_mismatch": score_star_mismatch,
    "commune_not_in_province": commune_not_in_province,
    "invalid_group": invalid_group,
    "missing_mandatory_field": missing_mandatory_field,
    "non_nfc_text": non_nfc_text,
    "inconsistent_district_spelling": inconsistent_district_spelling,
}


def _number_added(added: pl.DataFrame) -> pl.DataFrame:
    """Keys for added rows: within their first-recognition year, numbered after every product of the list."""
    last = pl.DataFrame({"year": list(YEAR_TARGETS), "_last": list(YEAR_TARGETS.values())}).cast(pl.Int64)
    return (
        added.join(last, on="year", how="left", maintain_order="left")
        .with_columns(
            pl.format(
                "{}-{}-{}",
                pl.lit(KEY_PREFIX),
                "year",
                (pl.col("_last") + 1 + pl.int_range(pl.len()).over("year")).cast(pl.String).str.zfill(4),
            ).alias("key")
        )
        .drop("_last")
    )
