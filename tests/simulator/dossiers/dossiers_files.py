"""Reading the dossiers files back as a consumer would (docs/contracts/dossiers.md), and the contract's rules
written over them."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator.dossiers import defect_edits, layout

SCALE = 0.002


ENVELOPE_KEYS = ["session", "madonvi", "service", "isUpdating", "data"]


RECORD_KEYS = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "KenhThucHien",
    "ChuHoSo",
    "LoaiDoiTuong",
    "MaDoiTuong",
    "SoDienThoai",
    "Email",
    "TrichYeuHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "DonViXuLy",
    "HinhThuc",
    "SoHoaHoSo",
    "SoHoaKetQua",
    "DanhGiaHaiLong",
    "DanhSachLePhi",
    "QuaTrinhXuLy",
]


STEP_KEYS = ["NguoiXuLy", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy", "TrangThai"]


FEE_KEYS = ["TenPhiLePhi", "MucThu", "HinhThucThu"]


STAMP = re.compile(r"^\d{14}$")


TARGETS = {"sat_2022": 89.1, "sat_2023": 92.4, "growth_2023": 38.0}


_PARSED: dict[Path, pl.DataFrame] = {}


def lines_of(out: Path) -> pl.DataFrame:
    """Every line of the daily files: file day, position, raw text and the record's fields (parsed once)."""
    if out in _PARSED:
        return _PARSED[out]
    rows = []
    for path in sorted((out / "dossiers" / "daily").glob("*/*.jsonl")):
        for pos, text in enumerate(path.read_bytes().decode("utf-8").splitlines()):
            call = json.loads(text)
            record = call["data"][0]
            step = record["QuaTrinhXuLy"][-1]
            fees = record["DanhSachLePhi"]
            rows.append(
                {
                    "file": path.stem,
                    "pos": pos,
                    "line": text,
                    "session": call["session"],
                    **{k: record[k] for k in RECORD_KEYS[:-2]},
                    "fee_how": fees[0]["HinhThucThu"] if fees else None,
                    "step_time": step["ThoiDiemXuLy"],
                    "step_state": step["TrangThai"],
                }
            )
    frame = pl.DataFrame(rows, infer_schema_length=None).sort("file", "pos")
    _PARSED[out] = frame
    return frame


def distinct(out: Path) -> pl.DataFrame:
    """D of the contract: one line per MaHoSo, from the earliest file; Y = the year of that file."""
    return (
        lines_of(out)
        .unique("MaHoSo", keep="first", maintain_order=True)
        .with_columns(pl.col("file").str.slice(0, 4).cast(pl.Int64).alias("Y"))
    )


def catalogue(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / "dossiers" / layout.CATALOGUE_FILE, infer_schema_length=0).with_columns(
        pl.col("MucDo", "CongDVCQG", "ThietYeuDA06", "ThoiHanGiaiQuyet", "CoPhiLePhi", "PhiLePhi").cast(
            pl.Int64
        )
    )


def file_digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------------------------------------
# Calibration, determinism, independence from the defect rate
# ---------------------------------------------------------------------------------------------------------


def figures(out: Path) -> dict[str, float]:
    """The calibrated figures computed over the files exactly as the contract states."""
    d = distinct(out)
    rated = d.filter(pl.col("DanhGiaHaiLong").is_not_null())
    sat = rated.group_by("Y").agg((pl.col("DanhGiaHaiLong") <= 2).mean() * 100, pl.len().alias("n"))
    digitised = d.filter((pl.col("SoHoaHoSo") == 1) & (pl.col("SoHoaKetQua") == 1)).group_by("Y").len()
    s = dict(zip(digitised["Y"], digitised["len"], strict=True))
    pct = dict(zip(sat["Y"], sat["DanhGiaHaiLong"], strict=True))
    assert sat["n"].min() >= 500, "enough ratings for a 0.1-point figure"
    return {
        "sat_2022": pct[2022],
        "sat_2023": pct[2023],
        "growth_2023": (s[2023] / s[2022] - 1) * 100,
        "digitised_2022": s[2022],
        "digitised_2023": s[2023],
    }


# ---------------------------------------------------------------------------------------------------------
# Defects
# ---------------------------------------------------------------------------------------------------------


def bases(clean_run) -> dict[str, int]:
    """The size of each class's base, counted on the clean feed as the contract states."""
    cfg, _, _ = clean_run
    d = lines_of(cfg.out)
    cutoff = (np.datetime64(cfg.end) + 1 - defect_edits.STUCK_DAYS).astype(date).strftime("%Y%m%d") + "000000"
    return {
        "unknown_procedure_code": len(d),
        "status_out_of_list": len(d),
        "missing_mandatory_field": len(d),
        "mixed_date_format": len(d),
        "non_nfc_text": len(d),
        "due_before_received": d["NgayHenTra"].is_not_null().sum(),
        "invalid_applicant_id": (d["LoaiDoiTuong"] == 1).sum(),
        "completed_without_result_date": (d["TrangThaiHoSo"] == 10).sum(),
        "duplicate_sync": (d["file"] < cfg.end.isoformat()).sum(),
        "stuck_in_progress": d.filter(
            (pl.col("TrangThaiHoSo") == 10)
            & pl.col("DanhGiaHaiLong").is_null()
            & (pl.col("SoHoaKetQua") == 0)
            & (pl.col("NgayHenTra") < cutoff)
            & (pl.col("NgayKetThucXuLy") < cutoff)
        ).height,
    }


def detect(out: Path, end: date) -> dict[str, set[str]]:
    """What a consumer's checks find in the files, class by class (the contract's 'how to detect')."""
    d = lines_of(out)
    known = set(catalogue(out)["MaTTHC"])
    cutoff = (np.datetime64(end) + 1 - defect_edits.STUCK_DAYS).astype(date).strftime("%Y%m%d") + "000000"
    stamps = [pl.col(c).str.contains(STAMP.pattern) for c in ("NgayTiepNhan", "NgayHenTra")]
    citizen_id = pl.col("MaDoiTuong")
    not_nfc = [
        pl.col(c).map_elements(lambda t: not unicodedata.is_normalized("NFC", t), return_dtype=pl.Boolean)
        for c in ("ChuHoSo", "TrichYeuHoSo")
    ]
    rules = {
        "unknown_procedure_code": pl.col("MaTTHC").is_not_null() & ~pl.col("MaTTHC").is_in(known),
        "due_before_received": stamps[0] & stamps[1] & (pl.col("NgayHenTra") < pl.col("NgayTiepNhan")),
        "status_out_of_list": ~pl.col("TrangThaiHoSo").is_between(1, 10),
        "invalid_applicant_id": (pl.col("LoaiDoiTuong") == 1)
        & (~citizen_id.str.contains(r"^\d{12}$") | ~citizen_id.str.slice(0, 3).is_in(citizen_id_prefixes())),
        "missing_mandatory_field": pl.col("MaTTHC").is_null()
        | pl.col("NgayTiepNhan").is_null()
        | (pl.col("DonViXuLy") == ""),
        "completed_without_result_date": (pl.col("TrangThaiHoSo") == 10) & pl.col("NgayTra").is_null(),
        "mixed_date_format": pl.any_horizontal(
            pl.col(c).is_not_null() & ~pl.col(c).str.contains(STAMP.pattern) for c in layout.DATE_COLUMNS
        ),
        "non_nfc_text": not_nfc[0] | not_nfc[1],
        "stuck_in_progress": (pl.col("TrangThaiHoSo") == 4)
        & (pl.col("step_time") < cutoff)
        & (pl.col("NgayHenTra") < cutoff),
    }
    found = {cls: set(d.filter(rule)["MaHoSo"]) for cls, rule in rules.items()}
    found["duplicate_sync"] = set(d.filter(pl.len().over("MaHoSo") > 1)["MaHoSo"])
    return found
