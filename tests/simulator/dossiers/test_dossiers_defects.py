"""The dossiers feed's defects: clean records keep their bytes at any defect rate; every class is logged at its
exact count, is in the written data, found by the contract's rules, with details that match."""

from __future__ import annotations

import json
import unicodedata

import polars as pl
from dossiers_files import (
    bases,
    detect,
    distinct,
    lines_of,
)

from kho06.simulator.dossiers import defects as dossier_defects
from kho06.simulator.truth import CRITERIA, defect_count


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
