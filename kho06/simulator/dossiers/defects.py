"""The dossiers' defect classes (docs/contracts/dossiers.md): which clean dossiers each may touch (its base), which
it touches (one class per dossier at most) and the truth log. The classes are planned over the facts; the month
loop writes them into the lines (`defect_edits.defective_rows`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.defect_edits import (
    STUCK_DAYS,
    DefectPlan,
    completed_without_result_date,
    due_before_received,
    duplicate_sync,
    invalid_applicant_id,
    missing_mandatory_field,
    mixed_date_format,
    non_nfc_text,
    status_out_of_list,
    stuck_in_progress,
    unknown_procedure_code,
)
from kho06.simulator.dossiers.facts import Facts
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.dossiers.workdays import at
from kho06.simulator.truth import ADDED, IN_PLACE, DefectClass, DefectLog, defect_count, pick_disjoint

# in the order their dossiers are drawn; bases in the contract's words
CLASSES: tuple[DefectClass[DefectPlan], ...] = (
    DefectClass("unknown_procedure_code", "đúng", "all", IN_PLACE, unknown_procedure_code),
    DefectClass("due_before_received", "đúng", "with NgayHenTra (status ≠ 3)", IN_PLACE, due_before_received),
    DefectClass("status_out_of_list", "đúng", "all", IN_PLACE, status_out_of_list),
    DefectClass("invalid_applicant_id", "đúng", "LoaiDoiTuong = 1", IN_PLACE, invalid_applicant_id),
    DefectClass("missing_mandatory_field", "đủ", "all", IN_PLACE, missing_mandatory_field),
    DefectClass("completed_without_result_date", "đủ", "status 10", IN_PLACE, completed_without_result_date),
    DefectClass("duplicate_sync", "sạch", "received before the period's last day", ADDED, duplicate_sync),
    DefectClass("mixed_date_format", "sạch", "all", IN_PLACE, mixed_date_format),
    DefectClass("non_nfc_text", "sạch", "all", IN_PLACE, non_nfc_text),
    DefectClass(
        "stuck_in_progress",
        "sống",
        "status 10, not rated, SoHoaKetQua = 0, NgayHenTra and NgayKetThucXuLy before (end + 1 day − 180 days) 00:00",
        IN_PLACE,
        stuck_in_progress,
    ),
)


def defect_bases(cfg: SimConfig, f: Facts) -> dict[str, np.ndarray]:
    """For each class, the clean dossiers it may touch (its base)."""
    n = len(f)
    cutoff = at(np.array([np.datetime64(cfg.end) + 1 - STUCK_DAYS]), np.array([0]))[0]
    everyone = np.ones(n, dtype=bool)
    return {
        "unknown_procedure_code": everyone,
        "due_before_received": f.due >= 0,
        "status_out_of_list": everyone,
        "invalid_applicant_id": f.kind == 1,
        "missing_mandatory_field": everyone,
        "completed_without_result_date": f.status == 10,
        "duplicate_sync": f.day < np.datetime64(cfg.end),
        "mixed_date_format": everyone,
        "non_nfc_text": everyone,
        "stuck_in_progress": (f.status == 10)
        & (f.rating < 0)
        & (f.so_kq == 0)
        & (f.due < cutoff)
        & (f.t_done < cutoff),
    }


def plan_defects(cfg: SimConfig, f: Facts, agencies: pl.DataFrame, truth: DefectLog) -> DefectPlan:
    """Choose each class's dossiers (disjoint: one class per dossier at most) and what it writes; log them."""
    rng = cfg.rng(FEED, "defects")
    n = len(f)
    bases = defect_bases(cfg, f)
    taken = np.zeros(n, dtype=bool)
    rows = {}
    for cls in CLASSES:
        count = defect_count(cfg.defect_rate, int(bases[cls.name].sum()))
        if count:
            (rows[cls.name],) = pick_disjoint(rng, n, [count], taken=taken | ~bases[cls.name])
            taken[rows[cls.name]] = True
    plan = DefectPlan(cfg, f, agencies)
    values_rng = cfg.rng(FEED, "defects-values")
    for cls in CLASSES:
        if cls.name in rows:
            truth.record(FEED, cls, cls.inject(values_rng, plan, rows[cls.name]))
    return plan
