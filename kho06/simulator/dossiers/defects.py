"""The dossiers' defect classes (docs/contracts/dossiers.md): which clean dossiers each may touch, which it
touches, and the values it writes; every touched dossier is logged in the truth file."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl
from vietnamadminunits.database import query

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.facts import Facts
from kho06.simulator.dossiers.layout import FEED, day_path
from kho06.simulator.dossiers.workdays import CLOSE_PM, SECONDS_PER_DAY, at
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

STUCK_DAYS = 180
DEFECT_CLASSES = [
    ("unknown_procedure_code", "đúng"),
    ("due_before_received", "đúng"),
    ("status_out_of_list", "đúng"),
    ("invalid_applicant_id", "đúng"),
    ("missing_mandatory_field", "đủ"),
    ("completed_without_result_date", "đủ"),
    ("duplicate_sync", "sạch"),
    ("mixed_date_format", "sạch"),
    ("non_nfc_text", "sạch"),
    ("stuck_in_progress", "sống"),
]
MISSING_FIELDS = np.array(["MaTTHC", "NgayTiepNhan", "DonViXuLy"])
BAD_STATUSES = np.array([0, 11, 99])
ID_VARIANTS = np.array(["11 digits: leading zero lost", "9-digit CMND number", "unknown province prefix"])


@dataclass
class DefectPlan:
    """Rows (positions in the facts) touched by each class, with the values the class writes."""

    rows: dict[str, np.ndarray] = field(default_factory=dict)
    values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)


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


def dossier_codes(agency_code: pl.Series, day: np.ndarray, seq: np.ndarray) -> pl.Series:
    """MaHoSo: `<agency>-<yyMMdd>-<running number per agency and day, 4 digits>`."""
    frame = pl.DataFrame({"d": day.astype("datetime64[D]"), "s": seq})
    suffixes = frame.select(
        pl.concat_str(
            [pl.col("d").dt.strftime("%y%m%d"), pl.col("s").cast(pl.String).str.zfill(4)], separator="-"
        )
    ).to_series()
    return agency_code + "-" + suffixes


def plan_defects(cfg: SimConfig, f: Facts, agencies: pl.DataFrame, truth: DefectLog) -> DefectPlan:
    """Choose each class's rows (disjoint: one class per dossier at most) and its values; log them in truth."""
    rng = cfg.rng(FEED, "defects")
    n = len(f)
    bases = defect_bases(cfg, f)
    taken = np.zeros(n, dtype=bool)
    plan = DefectPlan()
    for cls, _criterion in DEFECT_CLASSES:
        count = defect_count(cfg.defect_rate, int(bases[cls].sum()))
        if count:
            (rows,) = pick_disjoint(rng, n, [count], taken=taken | ~bases[cls])
            taken[rows] = True
            plan.rows[cls] = rows
    values_rng = cfg.rng(FEED, "defects-values")
    for cls, criterion in DEFECT_CLASSES:
        if cls in plan.rows:
            rows = plan.rows[cls]
            plan.values[cls], detail = _defect_values(cls, values_rng, cfg, f, rows)
            codes = dossier_codes(agencies["MaDonVi"].gather(f.agency[rows]), f.day[rows], f.seq[rows])
            truth.add(FEED, codes, cls, criterion, detail)
    return plan


def _defect_values(cls: str, rng, cfg: SimConfig, f: Facts, rows: np.ndarray):
    """The values a class writes into its rows, and the truth detail of each row."""
    k = len(rows)
    if cls == "unknown_procedure_code":
        codes = "1." + pl.Series(rng.integers(13_000, 16_000, k)).cast(pl.String).str.zfill(6)
        return {"code": codes.to_numpy()}, ("MaTTHC " + codes + " is not in the catalogue")
    if cls == "due_before_received":
        back = rng.integers(1, 31, k)
        due = at(f.day[rows] - back, np.full(k, CLOSE_PM))
        return {"due": due}, [f"NgayHenTra {d} days before NgayTiepNhan" for d in back.tolist()]
    if cls == "status_out_of_list":
        status = BAD_STATUSES[rng.integers(0, len(BAD_STATUSES), k)]
        return {"status": status}, [f"TrangThaiHoSo {s}" for s in status.tolist()]
    if cls == "invalid_applicant_id":
        variant = rng.integers(0, 3, k)
        cmnd = "14" + pl.Series(rng.integers(0, 10_000_000, k)).cast(pl.String).str.zfill(7)
        unused = _unused_id_prefixes()
        prefix = unused[rng.integers(0, len(unused), k)]
        return (
            {"variant": variant, "cmnd": cmnd.to_numpy(), "prefix": prefix},
            [f"MaDoiTuong: {ID_VARIANTS[v]}" for v in variant.tolist()],
        )
    if cls == "missing_mandatory_field":
        which = rng.integers(0, len(MISSING_FIELDS), k)
        return {"which": which}, [f"{MISSING_FIELDS[w]} missing" for w in which.tolist()]
    if cls == "completed_without_result_date":
        return {}, "TrangThaiHoSo 10 without NgayTra"
    if cls == "duplicate_sync":
        target = np.minimum(f.day[rows] + rng.integers(1, 15, k), np.datetime64(cfg.end))
        return {"target": target}, [f"repeated in {day_path(d)}" for d in target.tolist()]
    if cls == "mixed_date_format":
        return {}, "dates written as yyyy-MM-dd HH:mm:ss"
    if cls == "non_nfc_text":
        return {}, "ChuHoSo and TrichYeuHoSo in Unicode NFD"
    if cls == "stuck_in_progress":
        last = f.t_done[rows] // SECONDS_PER_DAY
        dates = last.astype("datetime64[D]").astype(str)
        return {}, [f"TrangThaiHoSo 4, last progress {d}, due long past" for d in dates.tolist()]
    raise ValueError(cls)


@lru_cache(maxsize=1)
def province_id_prefixes() -> tuple[str, ...]:
    """The valid first three digits of a citizen ID: '0' + a province code of the 63 pre-2025 provinces."""
    return tuple(
        sorted("0" + r["provinceCode"] for r in query("select distinct provinceCode from admin_units_legacy"))
    )


def _unused_id_prefixes() -> np.ndarray:
    return np.array(sorted({f"{i:03d}" for i in range(100)} - set(province_id_prefixes())))
