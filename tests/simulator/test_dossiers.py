"""The dossiers feed, read back as a consumer would (docs/contracts/dossiers.md)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator import dossiers
from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers import applicants, defect_edits, layout, volume, workdays
from kho06.simulator.dossiers import defects as dossier_defects
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import CRITERIA, DefectLog, defect_count

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


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(dossiers, scale=SCALE, defect_rate=0.0)


@pytest.fixture(scope="module")
def dirty(simulate_feed):
    return simulate_feed(dossiers, scale=SCALE)


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
# Catalogue and agencies
# ---------------------------------------------------------------------------------------------------------


def test_catalogue_has_the_published_figures(clean):
    cfg, _, _ = clean
    raw = (cfg.out / "dossiers" / layout.CATALOGUE_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the catalogue is UTF-8 with BOM"
    cat = catalogue(cfg.out)
    assert cat.columns == layout.CATALOGUE_COLUMNS
    assert len(cat) == 1899
    assert cat["MaTTHC"].n_unique() == 1899 and cat["TenTTHC"].n_unique() == 1899
    assert cat["MaTTHC"].str.contains(r"^[12]\.\d{6}$").all()
    assert (cat["MucDo"] == 4).sum() == 573
    assert (cat["CongDVCQG"] == 1).sum() == 618
    essential = cat.filter(pl.col("ThietYeuDA06") == 1)
    assert len(essential) == 25 and (essential["MucDo"] == 4).sum() == 23
    assert {
        "Đăng ký khai sinh",
        "Đăng ký thường trú",
        "Cấp lại giấy phép lái xe",
        "Cấp Phiếu lý lịch tư pháp",
        "Đăng ký kết hôn",
        "Thông báo lưu trú",
    } <= set(essential["TenTTHC"])
    assert set(cat["MucDo"]) == {2, 3, 4} and set(cat["CapThucHien"]) == {"Tỉnh", "Huyện", "Xã"}
    assert 25 <= cat["TenLinhVuc"].n_unique() <= 40
    assert cat.select(pl.col("MaLinhVuc").n_unique()).item() == cat["TenLinhVuc"].n_unique()
    assert ((cat["CoPhiLePhi"] == 1) == (cat["PhiLePhi"] > 0)).all()
    assert (cat["ThoiHanGiaiQuyet"] >= 1).all()
    assert all(unicodedata.is_normalized("NFC", n) for n in cat["TenTTHC"])


def test_agency_register_attributes_every_dossier(clean, geo):
    cfg, _, _ = clean
    agencies = pl.read_csv(cfg.out / "dossiers" / layout.AGENCY_FILE, infer_schema_length=0)
    assert agencies["MaDonVi"].n_unique() == len(agencies)
    assert agencies["MaDonVi"].str.contains(r"^000\.\d{2}\.\d{2}\.H23$").all()
    local = agencies.filter(pl.col("CapDonVi") != "Tỉnh")
    assert set(local["MaHuyen"]) == set(geo.districts["district_code"])
    assert set(local.filter(pl.col("CapDonVi") == "Xã")["MaXa"]) == set(geo.communes["commune_code"])
    # the district part of a local code is the same for the district and all its communes
    part = local.select(pl.col("MaDonVi").str.slice(7, 2).alias("dd"), "MaHuyen").unique()
    assert part["dd"].n_unique() == part["MaHuyen"].n_unique() == len(part) == 12
    records = lines_of(cfg.out)
    attributed = records.join(agencies, left_on="DonViXuLy", right_on="MaDonVi", how="left")
    assert attributed["CapDonVi"].null_count() == 0
    assert attributed.filter(pl.col("CapDonVi") != "Tỉnh")["MaHuyen"].null_count() == 0
    assert attributed["MaHuyen"].drop_nulls().n_unique() == 12


# ---------------------------------------------------------------------------------------------------------
# Daily files
# ---------------------------------------------------------------------------------------------------------


def test_every_day_has_a_file_of_sync_calls(clean):
    cfg, result, _ = clean
    daily = cfg.out / "dossiers" / "daily"
    expected = {f"{d.year}/{d.isoformat()}.jsonl" for d in cfg.days().astype(date).tolist()}
    assert {str(p.relative_to(daily)) for p in daily.rglob("*.jsonl")} == expected
    n_lines = 0
    for path in daily.rglob("*.jsonl"):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw == b"" or raw.endswith(b"\n")
        assert b"\\u" not in raw, "Vietnamese text is written as UTF-8, not escaped"
        for text in raw.decode("utf-8").splitlines():
            call = json.loads(text)
            n_lines += 1
            assert list(call) == ENVELOPE_KEYS
            assert call["madonvi"] == layout.PROVINCE_SYSTEM and call["service"] == "DongBoHoSoMC"
            assert call["isUpdating"] is False and re.fullmatch(r"[0-9a-f]{32}", call["session"])
            assert len(call["data"]) == 1 and list(call["data"][0]) == RECORD_KEYS
            steps, fees = call["data"][0]["QuaTrinhXuLy"], call["data"][0]["DanhSachLePhi"]
            assert len(steps) == 1 and list(steps[0]) == STEP_KEYS
            assert len(fees) <= 1 and all(list(fee) == FEE_KEYS for fee in fees)
    assert n_lines == result.records - 1899 - pl.read_csv(cfg.out / "dossiers" / layout.AGENCY_FILE).height
    assert result.files == len(expected) + 2
    assert lines_of(cfg.out).group_by("file").agg(pl.col("session").n_unique())["session"].max() == 1


def test_clean_records_follow_the_formats(clean):
    cfg, _, _ = clean
    d = lines_of(cfg.out)
    assert d["MaHoSo"].n_unique() == len(d)
    assert (d["MaHoSo"].str.slice(0, 13) == d["DonViXuLy"]).all()
    assert (d["MaHoSo"].str.slice(14, 6) == d["file"].str.replace_all("-", "").str.slice(2)).all()
    for col in [*layout.DATE_COLUMNS, "step_time"]:
        assert d[col].drop_nulls().str.contains(STAMP.pattern).all(), col
    assert (d["NgayTiepNhan"].str.slice(0, 8) == d["file"].str.replace_all("-", "")).all()
    clock = d["NgayTiepNhan"].str.slice(8, 4).cast(pl.Int64)
    assert clock.is_between(730, 1700).all() and (~clock.is_between(1131, 1329)).all()
    assert set(d["TrangThaiHoSo"]) <= set(range(1, 11)) and set(d["KenhThucHien"]) == {1, 2, 3}
    assert set(d["HinhThuc"]) <= {0, 1, 2} and set(d["DanhGiaHaiLong"].drop_nulls()) == {1, 2, 3, 4}
    citizens = d.filter(pl.col("LoaiDoiTuong") == 1)["MaDoiTuong"]
    assert citizens.str.contains(r"^\d{12}$").all()
    assert citizens.str.slice(0, 3).is_in(citizen_id_prefixes()).all()
    assert citizens.str.slice(3, 1).is_in(["0", "1", "2", "3"]).all()
    assert (citizens.str.slice(0, 3) == "030").mean() > 0.8
    firms = d.filter(pl.col("LoaiDoiTuong") == 2)["MaDoiTuong"].unique().to_list()
    assert firms and all(re.fullmatch(r"08\d{8}", t) for t in firms)
    for code in firms:
        digits = [int(c) for c in code]
        assert digits[9] == 10 - sum(a * b for a, b in zip(digits, applicants.TAX_WEIGHTS, strict=False)) % 11
    assert d["SoDienThoai"].str.contains(r"^0[35789]\d{8}$").all()
    assert d["Email"].drop_nulls().str.contains(r"^[a-z0-9.]+@[a-z]+\.com$").all()
    for col in ("ChuHoSo", "TrichYeuHoSo", "TenTTHC"):
        assert all(unicodedata.is_normalized("NFC", t) for t in d[col]), col
    assert d["ChuHoSo"].str.contains(r"\s").all() and d["ChuHoSo"].str.contains(r"[ăâđêôơưàáảãạ]").any()


def test_clean_processing_is_consistent(clean):
    cfg, _, _ = clean
    d = lines_of(cfg.out).join(catalogue(cfg.out), on="MaTTHC", suffix="_cat")
    assert (d["TenTTHC"] == d["TenTTHC_cat"]).all() and (d["TenLinhVuc"] == d["TenLinhVuc_cat"]).all()
    assert d.filter(pl.col("KenhThucHien") == 2)["MucDo"].is_in([3, 4]).all()
    due = d.filter(pl.col("NgayHenTra").is_not_null())
    received = (
        due["NgayTiepNhan"].str.to_datetime("%Y%m%d%H%M%S").dt.date().to_numpy().astype("datetime64[D]")
    )
    expected = np.busday_offset(
        received, due["ThoiHanGiaiQuyet"].to_numpy(), roll="forward", holidays=workdays.HOLIDAYS
    )
    assert (due["NgayHenTra"] == pl.Series(expected).dt.strftime("%Y%m%d") + "170000").all()
    assert (
        d.filter(pl.col("TrangThaiHoSo") == 3)["NgayHenTra"].null_count() == (d["TrangThaiHoSo"] == 3).sum()
    )
    ended = d.filter(pl.col("TrangThaiHoSo").is_in([7, 8, 9, 10]))
    assert (
        ended["NgayKetThucXuLy"].null_count() == 0
        and (ended["NgayKetThucXuLy"] > ended["NgayTiepNhan"]).all()
    )
    returned = d.filter(pl.col("TrangThaiHoSo") == 10)
    assert (
        returned["NgayTra"].null_count() == 0 and (returned["NgayTra"] >= returned["NgayKetThucXuLy"]).all()
    )
    assert d.filter(pl.col("TrangThaiHoSo") != 10)["NgayTra"].null_count() == (d["TrangThaiHoSo"] != 10).sum()
    assert (
        d.filter(pl.col("TrangThaiHoSo") != 10)["DanhGiaHaiLong"].null_count()
        == (d["TrangThaiHoSo"] != 10).sum()
    )
    assert d.filter(~pl.col("TrangThaiHoSo").is_in([9, 10]))["SoHoaKetQua"].sum() == 0
    assert (d["step_state"] == d["TrangThaiHoSo"]).all()
    on_time = (ended["NgayKetThucXuLy"] <= ended["NgayHenTra"]).mean()
    assert 0.92 <= on_time <= 0.98
    assert (d["TrangThaiHoSo"] == 10).mean() > 0.9
    open_ = d.filter(pl.col("TrangThaiHoSo").is_in([2, 4, 5, 6]))
    assert len(open_) > 0 and (open_["file"] >= "2023-09-01").all(), "only recent dossiers are still open"
    fee = d.filter(pl.col("fee_how").is_not_null())
    assert (fee["PhiLePhi"] > 0).all() and (fee["TrangThaiHoSo"] != 3).all()


def test_volume_growth_and_weekly_pattern(clean):
    cfg, _, _ = clean
    d = lines_of(cfg.out).with_columns(pl.col("file").str.to_date().alias("day"))
    assert len(d) == cfg.scaled(volume.REAL_DOSSIERS) == volume.dossier_total(cfg)
    per_year = d.group_by(pl.col("day").dt.year()).len().sort("day")["len"].to_list()
    assert per_year[0] < per_year[1] < per_year[2]
    days = pl.DataFrame({"day": cfg.days()}).join(d.group_by("day").len(), on="day", how="left").fill_null(0)
    by_weekday = days.group_by(pl.col("day").dt.weekday()).agg(pl.col("len").mean()).sort("day")["len"]
    assert by_weekday[6] < by_weekday[5] < 0.4 * by_weekday[:5].min()
    online = d.group_by(pl.col("day").dt.year()).agg((pl.col("KenhThucHien") == 2).mean()).sort("day")
    assert online["KenhThucHien"].is_sorted() and online["KenhThucHien"][0] < online["KenhThucHien"][2]


def test_other_period_keeps_the_daily_rate(simulate_feed, clean):
    cfg, _, truth = simulate_feed(dossiers, scale=SCALE, start=date(2022, 3, 1), end=date(2022, 3, 31))
    files = sorted((cfg.out / "dossiers" / "daily" / "2022").glob("*.jsonl"))
    assert len(files) == 31
    n = (
        sum(len(p.read_bytes().splitlines()) for p in files)
        - (truth["defect_class"] == "duplicate_sync").sum()
    )
    assert n == volume.dossier_total(cfg)
    in_default_run = lines_of(clean[0].out).filter(pl.col("file").str.starts_with("2022-03")).height
    assert abs(n - in_default_run) <= 0.15 * in_default_run


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


@pytest.mark.parametrize("run", ["clean", "dirty"])
def test_calibrated_figures(run, request):
    cfg, _, _ = request.getfixturevalue(run)
    got = figures(cfg.out)
    for name, target in TARGETS.items():
        assert abs(got[name] - target) <= 0.1, (name, got[name])
    assert got["digitised_2023"] == int(np.floor(1.38 * got["digitised_2022"] + 0.5))


def test_same_seed_gives_identical_files(dirty, geo, tmp_path):
    cfg, result, truth = dirty
    again = SimConfig(out=tmp_path, scale=cfg.scale, seed=cfg.seed, defect_rate=cfg.defect_rate)
    log = DefectLog()
    assert dossiers.simulate(again, geo, log, FeedProgress()) == result
    log.write(tmp_path)
    first = {k: v for k, v in file_digests(cfg.out).items() if k.startswith("dossiers")}
    assert first == {k: v for k, v in file_digests(tmp_path).items() if k.startswith("dossiers")}
    assert log.frame().equals(truth)


def test_other_seed_changes_the_dossiers_not_the_figures(simulate_feed, clean):
    cfg, _, _ = simulate_feed(dossiers, scale=SCALE, seed=7, defect_rate=0.0)
    assert file_digests(cfg.out) != file_digests(clean[0].out)
    got = figures(cfg.out)
    assert all(abs(got[name] - target) <= 0.1 for name, target in TARGETS.items())


def test_clean_records_keep_their_bytes_at_any_defect_rate(clean, dirty):
    clean_lines, dirty_lines = lines_of(clean[0].out), lines_of(dirty[0].out)
    touched = set(dirty[2]["record_key"])
    untouched = dirty_lines.unique("MaHoSo", keep="first", maintain_order=True).filter(
        ~pl.col("MaHoSo").is_in(touched)
    )
    paired = untouched.join(clean_lines, on="MaHoSo", suffix="_clean")
    assert len(paired) == len(untouched) == len(clean_lines) - len(touched)
    assert (paired["line"] == paired["line_clean"]).all()
    assert (paired["file"] == paired["file_clean"]).all()
    catalogue_files = ["catalogue/thu_tuc_hanh_chinh.csv", "catalogue/don_vi_xu_ly.csv"]
    for name in catalogue_files:
        assert (clean[0].out / "dossiers" / name).read_bytes() == (
            dirty[0].out / "dossiers" / name
        ).read_bytes()


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


def test_each_defect_class_is_logged_with_its_exact_count(clean, dirty):
    cfg, _, truth = dirty
    assert set(truth["feed"]) == {"dossiers"}
    classes = {c.name: c.criterion for c in dossier_defects.CLASSES}
    assert len(classes) >= 7 and set(classes.values()) == set(CRITERIA)
    assert set(truth["defect_class"]) == set(classes)
    assert truth["record_key"].n_unique() == len(truth), "a dossier carries at most one class"
    base = bases(clean)
    for cls, criterion in classes.items():
        rows = truth.filter(pl.col("defect_class") == cls)
        assert len(rows) == defect_count(cfg.defect_rate, int(base[cls])) > 0, cls
        assert set(rows["criterion"]) == {criterion}
        assert rows["detail"].str.len_chars().min() > 0
    assert set(truth["record_key"]) <= set(lines_of(cfg.out)["MaHoSo"])
    assert lines_of(clean[0].out)["MaHoSo"].n_unique() == distinct(cfg.out).height
    assert clean[2].is_empty()


def test_defects_are_in_the_written_data(clean, dirty):
    cfg, _, truth = dirty
    logged = {cls: set(g["record_key"]) for (cls,), g in truth.group_by("defect_class")}
    assert detect(clean[0].out, cfg.end) == {cls: set() for cls in logged}, "the clean feed has none"
    assert detect(cfg.out, cfg.end) == logged, "each check finds exactly the logged dossiers"


def test_defect_details_match_the_data(clean, dirty):
    cfg, _, truth = dirty
    d, original = lines_of(cfg.out), lines_of(clean[0].out)
    detail = dict(zip(truth["record_key"], truth["detail"], strict=True))
    by_class = {cls: g["record_key"].to_list() for (cls,), g in truth.group_by("defect_class")}
    first = d.unique("MaHoSo", keep="first", maintain_order=True)
    changed = first.join(original, on="MaHoSo", suffix="_clean")
    in_place = changed.filter(
        pl.col("MaHoSo").is_in(
            truth.filter(pl.col("defect_class") != "duplicate_sync")["record_key"].to_list()
        )
    )
    assert (in_place["line"] != in_place["line_clean"]).all()
    for row in first.filter(pl.col("MaHoSo").is_in(by_class["unknown_procedure_code"])).iter_rows(named=True):
        assert detail[row["MaHoSo"]] == f"MaTTHC {row['MaTTHC']} is not in the catalogue"
    for row in first.filter(pl.col("MaHoSo").is_in(by_class["missing_mandatory_field"])).iter_rows(
        named=True
    ):
        field = detail[row["MaHoSo"]].removesuffix(" missing")
        assert row[field] in (None, "")
    for row in first.filter(pl.col("MaHoSo").is_in(by_class["status_out_of_list"])).iter_rows(named=True):
        assert detail[row["MaHoSo"]] == f"TrangThaiHoSo {row['TrangThaiHoSo']}"
    nfd = changed.filter(pl.col("MaHoSo").is_in(by_class["non_nfc_text"]))
    assert all(
        unicodedata.normalize("NFC", a) == b
        for a, b in zip(nfd["ChuHoSo"], nfd["ChuHoSo_clean"], strict=True)
    )
    iso = changed.filter(pl.col("MaHoSo").is_in(by_class["mixed_date_format"]))
    assert (iso["NgayTiepNhan"].str.replace_all(r"[- :]", "") == iso["NgayTiepNhan_clean"]).all()
    stuck = changed.filter(pl.col("MaHoSo").is_in(by_class["stuck_in_progress"]))
    assert (stuck["step_time"] == stuck["NgayKetThucXuLy_clean"]).all() and (stuck["step_state"] == 4).all()
    assert stuck["NgayKetThucXuLy"].null_count() == stuck["NgayTra"].null_count() == len(stuck)
    repeats = (
        d.filter(pl.col("MaHoSo").is_in(by_class["duplicate_sync"]))
        .group_by("MaHoSo", maintain_order=True)
        .agg(pl.col("file"), pl.col("line"), pl.col("session"))
    )
    for key, files, text, sessions in repeats.iter_rows():
        assert len(files) == 2 and files[0] < files[1]
        assert detail[key] == f"repeated in daily/{files[1][:4]}/{files[1]}.jsonl"
        assert json.loads(text[0])["data"] == json.loads(text[1])["data"]
        assert sessions[1] == d.filter(pl.col("file") == files[1])["session"][0]
    assert len(d) == len(original) + len(by_class["duplicate_sync"])
