"""What the dossiers feed writes (docs/contracts/dossiers.md): its files, the sync call's envelope, the published
columns."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

FEED = "dossiers"
CATALOGUE_FILE = "catalogue/thu_tuc_hanh_chinh.csv"
AGENCY_FILE = "catalogue/don_vi_xu_ly.csv"
PROVINCE_SYSTEM = "000.00.00.H23"  # `madonvi` of every sync call: the province's one-stop system
SERVICE = "DongBoHoSoMC"

CAP_NAMES = ("Tỉnh", "Huyện", "Xã")  # handling levels (CapThucHien), indexed 0, 1, 2
CATALOGUE_COLUMNS = [
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "CapThucHien",
    "MucDo",
    "CongDVCQG",
    "ThietYeuDA06",
    "ThoiHanGiaiQuyet",
    "CoPhiLePhi",
    "PhiLePhi",
]
PROC_FIELDS = ["MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc"]
APPLICANT_COLUMNS = ["ChuHoSo", "LoaiDoiTuong", "MaDoiTuong", "SoDienThoai", "Email"]
DATE_COLUMNS = ["NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"]


def day_path(day) -> str:
    """The daily file of a day, relative to the feed's folder."""
    d = day if isinstance(day, date) else np.datetime64(day, "D").astype(date)
    return f"daily/{d.year}/{d.isoformat()}.jsonl"


def dossier_codes(agency_code: pl.Series, day: np.ndarray, seq: np.ndarray) -> pl.Series:
    """MaHoSo: `<agency>-<yyMMdd>-<running number per agency and day, 4 digits>`."""
    frame = pl.DataFrame({"d": day.astype("datetime64[D]"), "s": seq})
    suffixes = frame.select(
        pl.concat_str(
            [pl.col("d").dt.strftime("%y%m%d"), pl.col("s").cast(pl.String).str.zfill(4)], separator="-"
        )
    ).to_series()
    return agency_code + "-" + suffixes
