"""The BTS feed's defects: clean cells and sites keep their bytes at any defect rate; every class at its exact
count with valid keys, its effects in the files, the clean figures kept."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from bts_files import (
    AS_OF,
    CELLS,
    CLASSES,
    END,
    KEY,
    SITES,
    connect,
    expand,
    figures,
    lost_lines,
    of_classes,
    read_cells,
    read_register,
    rows,
    unix,
)

from kho06.reference.admin_units import LAT_RANGE
from kho06.simulator.bts import layout
from kho06.simulator.truth import CRITERIA, defect_count


def test_clean_cells_keep_their_bytes_at_any_defect_rate(clean, dirty):
    touched = of_classes(
        dirty[2], "coordinates_outside_province", "invalid_network_code", "missing_cell_fields"
    )
    original_keys = set(
        touched.select(pl.coalesce(pl.col("detail").str.extract(r"\(was (.+)\)$"), "record_key")).to_series()
    )
    lost = lost_lines(clean, dirty, CELLS)
    assert len(lost) == len(touched)
    assert {":".join(line.split(",")[:5]) for line in lost} == original_keys


def test_clean_sites_keep_their_bytes_at_any_defect_rate(clean, dirty):
    touched = set(of_classes(dirty[2], "site_missing_permit", "inspection_expired")["record_key"])
    lost = lost_lines(clean, dirty, SITES)
    assert len(lost) == len(touched)
    assert {line.split(",")[0] for line in lost} == touched


# --- defects ----------------------------------------------------------------------------------------------


def test_defect_classes_have_exact_counts_and_valid_keys(clean, dirty):
    _, _, truth = dirty
    assert set(truth["feed"]) == {"bts"}
    assert set(truth["criterion"]) <= set(CRITERIA)
    base = {"cells": len(read_cells(clean[0].out)), "sites": len(read_register(clean[0].out))}
    counts = dict(truth.group_by("defect_class").len().iter_rows())
    assert counts == {c: defect_count(0.01, base[kind]) for c, (_, kind) in CLASSES.items()}
    assert dict(truth.select("defect_class", "criterion").unique().iter_rows()) == {
        c: crit for c, (crit, _) in CLASSES.items()
    }
    # one class per record
    assert truth.select("record_key").is_unique().all()
    cell_keys = set(read_cells(dirty[0].out).select(KEY)["key"])
    site_keys = set(read_register(dirty[0].out)["Mã vị trí"])
    for cls, (_, kind) in CLASSES.items():
        keys = set(truth.filter(pl.col("defect_class") == cls)["record_key"])
        assert keys <= (cell_keys if kind == "cells" else site_keys), cls


def test_clean_figures_hold_with_defects(dirty):
    assert figures(dirty[0].out) == {"stations": 3240, "sites": 1582, "unlinked": 0}


def test_defect_effects_on_cells(clean, dirty):
    outside = rows(dirty, "coordinates_outside_province")
    assert outside.filter(
        pl.col("lat").is_between(*LAT_RANGE) & pl.col("lon").is_between(106.0, 106.7)
    ).is_empty()
    network = rows(dirty, "invalid_network_code")
    assert (network["mcc"].ne(452) | ~network["net"].is_in([1, 2, 4, 5, 7])).all()
    assert {450, 452} == set(network["mcc"]) and {3, 99} <= set(network["net"])
    nr = rows(dirty, "radio_not_in_service")
    assert set(nr["radio"]) == {"NR"} and nr["updated"].max() < unix(date(2024, 1, 1))
    assert nr["cell"].max() < 1 << 36
    missing = rows(dirty, "missing_cell_fields")
    assert (missing["area"].is_null() | missing["range"].is_null()).all()
    assert missing["area"].null_count() > 0 and missing["range"].null_count() > 0
    dup = rows(dirty, "duplicate_cell")
    assert dup.group_by("key").len()["len"].min() == 2
    stale = rows(dirty, "stale_cell")
    assert stale["updated"].max() <= AS_OF - 3 * 365 * 86400
    assert not set(stale["key"]) & set(read_cells(clean[0].out).select(KEY)["key"])
    # stale cells form stations of their own, which are not live
    con = connect(dirty[0].out)
    stale_stations = con.execute(
        f"select distinct station from valid where updated < {AS_OF - 3 * 365 * 86400} "
    ).fetchall()
    assert len(stale_stations) == len(stale)
    assert not {s for (s,) in stale_stations} & {
        s for (s,) in con.execute("select station from live").fetchall()
    }


def test_defect_effects_on_register(dirty):
    truth = dirty[2]
    reg = read_register(dirty[0].out)

    def rows(cls):
        return reg.filter(
            pl.col("Mã vị trí").is_in(truth.filter(pl.col("defect_class") == cls)["record_key"].implode())
        )

    no_permit = rows("site_missing_permit")
    assert no_permit["Số giấy phép xây dựng"].is_null().all() and no_permit["Ngày cấp phép"].is_null().all()
    assert reg["Số giấy phép xây dựng"].null_count() == len(no_permit)
    expired = rows("inspection_expired")["Ngày kiểm định"].str.to_date("%d/%m/%Y")
    assert (expired < END - timedelta(days=layout.INSPECTION_VALID_DAYS)).all()
    dups = truth.filter(pl.col("defect_class") == "site_duplicate_address").with_columns(
        pl.col("detail").str.extract(r"duplicate of (\S+)").alias("original")
    )
    assert set(dups["detail"].str.extract(r"\((\w+)\)$")) == {"NFD", "abbreviated"}
    by_id = {r["Mã vị trí"]: r for r in reg.iter_rows(named=True)}
    for new, original in zip(dups["record_key"], dups["original"], strict=True):
        a, b = by_id[new], by_id[original]
        assert (a["Vĩ độ"], a["Kinh độ"], a["Mã xã"], a["Loại cột"]) == (
            b["Vĩ độ"],
            b["Kinh độ"],
            b["Mã xã"],
            b["Loại cột"],
        )
        assert a["Địa chỉ"] != b["Địa chỉ"]
        assert expand(a["Địa chỉ"]) == b["Địa chỉ"]
