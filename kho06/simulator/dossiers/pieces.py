"""The JSON pieces a dossier's line is spliced from, encoded once per run: procedure, applicant, officer,
progress step, fee, flags, the day's envelope."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.datafiles import csv_rows
from kho06.simulator.dossiers.applicants import build_applicants
from kho06.simulator.dossiers.catalogue import subject
from kho06.simulator.dossiers.layout import (
    APPLICANT_COLUMNS,
    CAP_NAMES,
    FEED,
    PROC_FIELDS,
    PROVINCE_SYSTEM,
    SERVICE,
)
from kho06.simulator.dossiers.procedures import FIELDS
from kho06.simulator.dossiers.stamps import Stamps
from kho06.simulator.names import full_names

STEP_TEXT = {int(r["status"]): r["text"] for r in csv_rows("kho06.simulator.dossiers", "progress_steps.csv")}
ONE_STOP_DESK = "Bộ phận Một cửa"
SPECIALIST_DESK = "Bộ phận chuyên môn"
# Desks of the progress steps: the one-stop desk, specialists (province, district), specialists of a commune.
DESKS = [ONE_STOP_DESK, SPECIALIST_DESK, "Công chức chuyên môn"]
STATES = 16  # step tails are indexed desk * STATES + status


def json_members(frame: pl.DataFrame, columns: list[str]) -> pl.Series:
    """`"k":v,...` for the columns of each row: a JSON object's members, to splice into a record."""
    struct = pl.struct(
        [pl.col(c).cast(pl.Int64) if frame.schema[c].is_integer() else pl.col(c) for c in columns]
    )
    return frame.select(struct.struct.json_encode().str.strip_prefix("{").str.strip_suffix("}")).to_series()


@dataclass(frozen=True)
class Lookups:
    """Pre-encoded JSON pieces the month frames gather from (same encoder as for defect rows)."""

    cat: pl.DataFrame  # PROC_FIELDS of each procedure
    proc_json: pl.Series  # JSON members of PROC_FIELDS, per procedure
    subject: pl.Series  # TrichYeuHoSo, per procedure
    fee_json: (
        pl.Series
    )  # the DanhSachLePhi entry per procedure * 2 + paid online; last entry "" (no fee list)
    agency_code: pl.Series
    agency_cap: np.ndarray
    applicants: pl.DataFrame  # APPLICANT_COLUMNS and applicant_json, people first
    n_people: int
    officer_head: pl.Series  # '{"NguoiXuLy":"<name>","ThoiDiemXuLy":' per officer
    step_tail: pl.Series  # ',"PhongBanXuLy":..,"NoiDungXuLy":..,"TrangThai":n}' per desk * STATES + status
    flags_json: (
        pl.Series
    )  # ',"HinhThuc":..,"SoHoaHoSo":..,"SoHoaKetQua":..,"DanhGiaHaiLong":..' per flag_code
    day_label: pl.Series  # yyMMdd per day of the period
    prefixes: pl.Series  # the envelope up to `"data":[`, per day of the period
    stamps: Stamps


def flag_code(form: np.ndarray, so_hs: np.ndarray, so_kq: np.ndarray, rating: np.ndarray) -> np.ndarray:
    return ((form.astype(np.int64) * 2 + so_hs) * 2 + so_kq) * 5 + np.maximum(rating, 0)


def _flags_table() -> pl.Series:
    return pl.Series(
        [
            f',"HinhThuc":{form},"SoHoaHoSo":{so_hs},"SoHoaKetQua":{so_kq},'
            f'"DanhGiaHaiLong":{rating if rating else "null"}'
            for form in range(3)
            for so_hs in range(2)
            for so_kq in range(2)
            for rating in range(5)
        ]
    )


def _step_tails() -> pl.Series:
    frame = pl.DataFrame(
        {
            "PhongBanXuLy": [desk for desk in DESKS for _ in range(STATES)],
            "NoiDungXuLy": [STEP_TEXT.get(state, "") for _ in DESKS for state in range(STATES)],
            "TrangThai": [state for _ in DESKS for state in range(STATES)],
        }
    )
    return "," + json_members(frame, ["PhongBanXuLy", "NoiDungXuLy", "TrangThai"]) + "}"


def _fee_table(cat: pl.DataFrame, fee_names: list[str]) -> pl.Series:
    frame = pl.DataFrame(
        {
            "TenPhiLePhi": [name for name in fee_names for _ in range(2)],
            "MucThu": np.repeat(cat["PhiLePhi"].to_numpy(), 2),
            "HinhThucThu": ["Trực tiếp", "Trực tuyến"] * len(cat),
        }
    )
    entries = "{" + json_members(frame, ["TenPhiLePhi", "MucThu", "HinhThucThu"]) + "}"
    return pl.concat([entries, pl.Series([""])])


def envelope_prefix(session: str) -> str:
    """A sync call up to its data list: `{"session":..,"madonvi":..,"service":..,"isUpdating":false,"data":[`."""
    return (
        f'{{"session":"{session}","madonvi":"{PROVINCE_SYSTEM}","service":"{SERVICE}",'
        f'"isUpdating":false,"data":['
    )


def _officers(cfg: SimConfig) -> pl.Series:
    rng = cfg.rng(FEED, "clean-officers")
    return full_names(rng, rng.random(600) < 0.55)


def _prefixes(cfg: SimConfig) -> pl.Series:
    """The envelope prefix of each day: one session token per day of syncing."""
    rng = cfg.rng(FEED, "clean-sessions")
    tokens = rng.integers(0, np.iinfo(np.int64).max, size=(len(cfg.days()), 2), dtype=np.int64)
    return pl.Series([envelope_prefix(f"{a:016x}{b:016x}") for a, b in tokens.tolist()])


def lookups(cfg: SimConfig, cat: pl.DataFrame, published: pl.DataFrame, agencies: pl.DataFrame) -> Lookups:
    applicants = build_applicants(cfg)
    officers = _officers(cfg).to_frame("NguoiXuLy")
    return Lookups(
        cat=published.select(PROC_FIELDS),
        proc_json=json_members(published, PROC_FIELDS),
        subject=pl.Series([subject(n) for n in published["TenTTHC"]]),
        fee_json=_fee_table(published, [FIELDS[i].fee_name for i in cat["field"]]),
        agency_code=agencies["MaDonVi"],
        agency_cap=agencies["CapDonVi"].replace_strict(list(CAP_NAMES), [0, 1, 2]).to_numpy(),
        applicants=applicants.with_columns(
            json_members(applicants, APPLICANT_COLUMNS).alias("applicant_json")
        ),
        n_people=int((applicants["LoaiDoiTuong"] == 1).sum()),
        officer_head="{" + json_members(officers, ["NguoiXuLy"]) + ',"ThoiDiemXuLy":',
        step_tail=_step_tails(),
        flags_json=_flags_table(),
        day_label=pl.Series(cfg.days()).dt.strftime("%y%m%d"),
        prefixes=_prefixes(cfg),
        stamps=Stamps.around(cfg),
    )
