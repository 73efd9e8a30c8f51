"""The dossiers feed, clean, read back as a consumer would (docs/contracts/dossiers.md): the catalogue, the
agencies, the daily files, formats, processing, volume, calibration, determinism."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

import numpy as np
import polars as pl
import pytest
from dossiers_files import (
    ENVELOPE_KEYS,
    FEE_KEYS,
    RECORD_KEYS,
    SCALE,
    STAMP,
    STEP_KEYS,
    TARGETS,
    catalogue,
    figures,
    file_digests,
    lines_of,
)

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator import dossiers
from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers import applicants, layout, volume, workdays
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog

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
