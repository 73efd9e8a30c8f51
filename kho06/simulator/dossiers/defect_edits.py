"""The planned defects written into a month's lines: the touched rows are taken out with their source fields,
changed class by class and encoded again."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.dossiers.defects import MISSING_FIELDS, DefectPlan
from kho06.simulator.dossiers.layout import APPLICANT_COLUMNS, DATE_COLUMNS, PROC_FIELDS
from kho06.simulator.dossiers.pieces import STATES, Lookups, json_members

ISO_LIKE = (r'^"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})"$', '"$1-$2-$3 $4:$5:$6"')


def defective_rows(
    frame: pl.DataFrame, plan: DefectPlan, lo: int, hi: int, look: Lookups
) -> tuple[np.ndarray, pl.DataFrame]:
    """The month's rows touched by a planned defect (positions in the frame) and their pieces with the defects
    written in: the rows are taken out with their source fields, changed and re-encoded."""
    parts = {cls: (rows >= lo) & (rows < hi) for cls, rows in plan.rows.items()}
    touched = np.unique(
        np.concatenate([np.zeros(0, np.int64)] + [plan.rows[c][m] - lo for c, m in parts.items()])
    )
    sub = frame[touched]
    sub = pl.concat(
        [sub, look.cat[sub["proc"]], look.applicants[sub["who"]].drop("applicant_json")], how="horizontal"
    )
    for cls, sel in parts.items():
        if sel.any():
            rows = np.searchsorted(touched, plan.rows[cls][sel] - lo)
            sub = _apply(cls, sub, rows, {k: v[sel] for k, v in plan.values[cls].items()}, look)
    return touched, sub.with_columns(
        json_members(sub, PROC_FIELDS).alias("proc_json"),
        json_members(sub, APPLICANT_COLUMNS).alias("applicant_json"),
    )


def _set(frame: pl.DataFrame, col: str, rows: np.ndarray, values) -> pl.DataFrame:
    return frame.with_columns(frame[col].scatter(rows, values))


def _apply(cls: str, sub: pl.DataFrame, rows: np.ndarray, v: dict, look: Lookups) -> pl.DataFrame:
    """One class's change to its rows of the touched sub-frame."""
    if cls == "unknown_procedure_code":
        return _set(sub, "MaTTHC", rows, v["code"])
    if cls == "due_before_received":
        return _set(sub, "NgayHenTra", rows, look.stamps(v["due"]))
    if cls == "status_out_of_list":
        return _set(sub, "TrangThaiHoSo", rows, v["status"].astype(np.int8))
    if cls == "invalid_applicant_id":
        old = sub["MaDoiTuong"].gather(rows)
        variant = pl.Series(v["variant"])
        new = pl.select(
            pl.when(variant == 0)
            .then(old.str.slice(1))
            .when(variant == 1)
            .then(pl.Series(v["cmnd"]))
            .otherwise(pl.Series(v["prefix"]) + old.str.slice(3))
        ).to_series()
        return _set(sub, "MaDoiTuong", rows, new)
    if cls == "missing_mandatory_field":
        for w, col in enumerate(MISSING_FIELDS):
            if (v["which"] == w).any():
                sub = _set(sub, col, rows[v["which"] == w], "" if col == "DonViXuLy" else None)
        return sub
    if cls == "completed_without_result_date":
        return _set(sub, "NgayTra", rows, None)
    if cls == "mixed_date_format":
        for col in DATE_COLUMNS:
            sub = _set(sub, col, rows, sub[col].gather(rows).str.replace(*ISO_LIKE))
        return sub
    if cls == "non_nfc_text":
        for col in ("ChuHoSo", "TrichYeuHoSo"):
            sub = _set(sub, col, rows, sub[col].gather(rows).str.normalize("NFD"))
        return sub
    if cls == "stuck_in_progress":
        sub = _set(sub, "step_time", rows, sub["NgayKetThucXuLy"].gather(rows))
        sub = _set(sub, "step_head", rows, look.officer_head.gather(sub["officer_two"].gather(rows)))
        sub = _set(sub, "step_tail", rows, look.step_tail.gather(sub["specialist"].gather(rows) * STATES + 4))
        for col in ("NgayKetThucXuLy", "NgayTra"):
            sub = _set(sub, col, rows, None)
        return _set(sub, "TrangThaiHoSo", rows, np.full(len(rows), 4, dtype=np.int8))
    if cls == "duplicate_sync":
        return sub  # an added line, written by the day loop
    raise ValueError(cls)
