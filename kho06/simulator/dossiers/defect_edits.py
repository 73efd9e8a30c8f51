"""How each dossier defect class is injected: the values it draws for its dossiers (with the truth detail of each)
and how it writes them into the rows of a month's frame."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator.dossiers.defect_plan import DefectPlan
from kho06.simulator.dossiers.layout import DATE_COLUMNS, day_path
from kho06.simulator.dossiers.pieces import STATES, Lookups
from kho06.simulator.dossiers.workdays import CLOSE_PM, SECONDS_PER_DAY, at
from kho06.simulator.truth import Injected

STUCK_DAYS = 180
MISSING_FIELDS = np.array(["MaTTHC", "NgayTiepNhan", "DonViXuLy"])
BAD_STATUSES = np.array([0, 11, 99])
ID_VARIANTS = np.array(["11 digits: leading zero lost", "9-digit CMND number", "unknown province prefix"])
ISO_LIKE = (r'^"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})"$', '"$1-$2-$3 $4:$5:$6"')

Values = dict[str, np.ndarray]


def _set(frame: pl.DataFrame, col: str, rows: np.ndarray, values) -> pl.DataFrame:
    return frame.with_columns(frame[col].scatter(rows, values))


def unknown_procedure_code(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    codes = "1." + pl.Series(rng.integers(13_000, 16_000, len(rows))).cast(pl.String).str.zfill(6)
    plan.write(rows, _write_code, code=codes.to_numpy())
    return Injected(plan.codes(rows), "MaTTHC " + codes + " is not in the catalogue")


def _write_code(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    return _set(sub, "MaTTHC", rows, v["code"])


def due_before_received(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    back = rng.integers(1, 31, len(rows))
    plan.write(rows, _write_due, due=at(plan.facts.day[rows] - back, np.full(len(rows), CLOSE_PM)))
    return Injected(plan.codes(rows), [f"NgayHenTra {d} days before NgayTiepNhan" for d in back.tolist()])


def _write_due(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    return _set(sub, "NgayHenTra", rows, look.stamps(v["due"]))


def status_out_of_list(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    status = BAD_STATUSES[rng.integers(0, len(BAD_STATUSES), len(rows))]
    plan.write(rows, _write_status, status=status)
    return Injected(plan.codes(rows), [f"TrangThaiHoSo {s}" for s in status.tolist()])


def _write_status(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    return _set(sub, "TrangThaiHoSo", rows, v["status"].astype(np.int8))


def invalid_applicant_id(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    k = len(rows)
    variant = rng.integers(0, 3, k)
    cmnd = "14" + pl.Series(rng.integers(0, 10_000_000, k)).cast(pl.String).str.zfill(7)
    unused = np.array(sorted({f"{i:03d}" for i in range(100)} - set(citizen_id_prefixes())))
    prefix = unused[rng.integers(0, len(unused), k)]
    plan.write(rows, _write_applicant_id, variant=variant, cmnd=cmnd.to_numpy(), prefix=prefix)
    return Injected(plan.codes(rows), [f"MaDoiTuong: {ID_VARIANTS[v]}" for v in variant.tolist()])


def _write_applicant_id(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
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


def missing_mandatory_field(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    which = rng.integers(0, len(MISSING_FIELDS), len(rows))
    plan.write(rows, _write_missing, which=which)
    return Injected(plan.codes(rows), [f"{MISSING_FIELDS[w]} missing" for w in which.tolist()])


def _write_missing(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    for w, col in enumerate(MISSING_FIELDS):
        if (v["which"] == w).any():
            sub = _set(sub, col, rows[v["which"] == w], "" if col == "DonViXuLy" else None)
    return sub


def completed_without_result_date(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    plan.write(rows, _write_no_result_date)
    return Injected(plan.codes(rows), "TrangThaiHoSo 10 without NgayTra")


def _write_no_result_date(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    return _set(sub, "NgayTra", rows, None)


def duplicate_sync(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    """The dossier's line sent again in the file of a day 1–14 days later (at most the period's last day)."""
    end = np.datetime64(plan.cfg.end)
    target = np.minimum(plan.facts.day[rows] + rng.integers(1, 15, len(rows)), end)
    plan.repeats = plan.write(rows, None, target=target)
    return Injected(plan.codes(rows), [f"repeated in {day_path(d)}" for d in target.tolist()])


def mixed_date_format(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    plan.write(rows, _write_iso_dates)
    return Injected(plan.codes(rows), "dates written as yyyy-MM-dd HH:mm:ss")


def _write_iso_dates(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    for col in DATE_COLUMNS:
        sub = _set(sub, col, rows, sub[col].gather(rows).str.replace(*ISO_LIKE))
    return sub


def non_nfc_text(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    plan.write(rows, _write_nfd)
    return Injected(plan.codes(rows), "ChuHoSo and TrichYeuHoSo in Unicode NFD")


def _write_nfd(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    for col in ("ChuHoSo", "TrichYeuHoSo"):
        sub = _set(sub, col, rows, sub[col].gather(rows).str.normalize("NFD"))
    return sub


def stuck_in_progress(rng: np.random.Generator, plan: DefectPlan, rows: np.ndarray) -> Injected:
    plan.write(rows, _write_stuck)
    dates = (plan.facts.t_done[rows] // SECONDS_PER_DAY).astype("datetime64[D]").astype(str)
    return Injected(
        plan.codes(rows), [f"TrangThaiHoSo 4, last progress {d}, due long past" for d in dates.tolist()]
    )


def _write_stuck(sub: pl.DataFrame, rows: np.ndarray, v: Values, look: Lookups) -> pl.DataFrame:
    sub = _set(sub, "step_time", rows, sub["NgayKetThucXuLy"].gather(rows))
    sub = _set(sub, "step_head", rows, look.officer_head.gather(sub["officer_two"].gather(rows)))
    sub = _set(sub, "step_tail", rows, look.step_tail.gather(sub["specialist"].gather(rows) * STATES + 4))
    for col in ("NgayKetThucXuLy", "NgayTra"):
        sub = _set(sub, col, rows, None)
    return _set(sub, "TrangThaiHoSo", rows, np.full(len(rows), 4, dtype=np.int8))
