"""The BTS feed: formats, code lists, exact figures by the contract's rules, determinism and defects."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from kho06.reference.admin_units import LAT_RANGE
from kho06.simulator import bts
from kho06.simulator.bts import layout, vocabularies
from kho06.simulator.truth import CRITERIA, defect_count

CELLS = "bts/cells/cell_towers_452.csv"
SITES = "bts/sites/so_dang_ky_vi_tri_tram.csv"
SCHEMA = {
    "radio": pl.String, "mcc": pl.Int64, "net": pl.Int64, "area": pl.Int64, "cell": pl.Int64, "unit": pl.Int64,
    "lon": pl.Float64, "lat": pl.Float64, "range": pl.Int64, "samples": pl.Int64, "changeable": pl.Int64,
    "created": pl.Int64, "updated": pl.Int64, "averageSignal": pl.Int64,
}  # fmt: skip
HEADER = [
    "Mã vị trí", "Địa chỉ", "Mã xã", "Kinh độ", "Vĩ độ", "Loại cột", "Chiều cao cột (m)", "Số giấy phép xây dựng",
    "Ngày cấp phép", "Ngày kiểm định", "Doanh nghiệp dùng chung",
]  # fmt: skip
ICT = timezone(timedelta(hours=7))
AS_OF = 1704042000  # 2024-01-01 00:00 +07:00: the day after the default end
END = date(2023, 12, 31)
CLASSES = {
    "coordinates_outside_province": ("đúng", "cells"),
    "invalid_network_code": ("đúng", "cells"),
    "radio_not_in_service": ("đúng", "cells"),
    "missing_cell_fields": ("đủ", "cells"),
    "duplicate_cell": ("sạch", "cells"),
    "stale_cell": ("sống", "cells"),
    "site_missing_permit": ("đủ", "sites"),
    "site_duplicate_address": ("sạch", "sites"),
    "inspection_expired": ("sống", "sites"),
}
KEY = pl.concat_str(
    [pl.col(c).cast(pl.String).fill_null("") for c in ("radio", "mcc", "net", "area", "cell")], separator=":"
).alias("key")

# The contract's rules (docs/contracts/bts.md), over the files as written.
RULES = """
create or replace table valid as
select *, radio || ':' || mcc || ':' || net || ':' || case radio
        when 'GSM' then area || '/' || (cell // 10)
        when 'UMTS' then (cell // 65536) || '/' || ((cell % 65536) // 10)
        else (cell // 256)::varchar end as station
from cells
where radio in ('GSM', 'UMTS', 'LTE') and mcc = 452 and net in (1, 2, 4, 5, 7)
  and area is not null and cell is not null and lon is not null and lat is not null
  and lat between 20.6 and 21.3 and lon between 106.0 and 106.7;

create or replace table live as
select station from valid group by station having max(updated) >= {as_of} - {live_days} * 86400;

create or replace table links as
select v.station, v.radio, v.cell, v.lat, v.lon, r.site_id, r.commune_code,
       2 * 6371008.8 * asin(sqrt(pow(sin(radians(r.lat - v.lat) / 2), 2)
           + cos(radians(v.lat)) * cos(radians(r.lat)) * pow(sin(radians(r.lon - v.lon) / 2), 2))) as d
from valid v join live using (station)
join register r on abs(r.lat - v.lat) < 0.001 and abs(r.lon - v.lon) < 0.001;

create or replace table station_site as
select station, min(site_id) as site_id from links where d <= {radius} group by station;
"""


def _connect(out: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    types = {pl.String: "VARCHAR", pl.Int64: "BIGINT", pl.Float64: "DOUBLE"}
    columns = "{" + ", ".join(f"'{c}': '{types[t]}'" for c, t in SCHEMA.items()) + "}"
    con.execute(
        f"create table cells as select * from read_csv('{out / CELLS}', header = false, columns = {columns})"
    )
    con.execute(
        f"""create table register as select "Mã vị trí" as site_id, "Mã xã" as commune_code,
            "Vĩ độ"::double as lat, "Kinh độ"::double as lon
            from read_csv('{out / SITES}', header = true, all_varchar = true)"""
    )
    con.execute(RULES.format(as_of=AS_OF, live_days=layout.LIVE_DAYS, radius=layout.LINK_RADIUS_M))
    return con


def _figures(out: Path) -> dict[str, int]:
    con = _connect(out)
    one = con.execute(
        """select (select count(*) from live) as stations,
                  (select count(distinct site_id) from station_site) as sites,
                  (select count(*) from live where station not in (select station from station_site)) as unlinked"""
    ).fetchone()
    return dict(zip(["stations", "sites", "unlinked"], one, strict=True))


def _figures_by(out: Path, column: str) -> dict:
    con = _connect(out)
    rows = con.execute(
        f"select {column}, count(distinct station) from valid join live using (station) group by all"
    ).fetchall()
    total = sum(n for _, n in rows)
    return {k: n / total for k, n in rows}


def read_cells(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / CELLS, has_header=False, schema=SCHEMA)


def read_register(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / SITES, infer_schema=False)


def _files(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _unix(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=ICT).timestamp())


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(bts, defect_rate=0.0)


@pytest.fixture(scope="module")
def dirty(simulate_feed):
    return simulate_feed(bts, defect_rate=0.01)


# --- formats -----------------------------------------------------------------------------------------------


def test_cells_file_is_headerless_opencellid(dirty):
    cfg, result, _ = dirty
    lines = (cfg.out / CELLS).read_text(encoding="utf-8").splitlines()
    assert not lines[0].startswith("radio")
    assert all(line.count(",") == 13 for line in lines)
    cells = read_cells(cfg.out)
    assert cells.columns == layout.CELL_COLUMNS == list(SCHEMA)
    assert result.files == 2
    assert result.records == len(cells) + len(read_register(cfg.out))
    assert result.bytes == sum((cfg.out / f).stat().st_size for f in (CELLS, SITES))
    # lon and lat always carry exactly six decimals
    coords = [line.split(",")[6:8] for line in lines]
    assert all(re.fullmatch(r"-?\d+\.\d{6}", v) for pair in coords for v in pair)
    # rows are sorted by radio, mcc, net, area, cell
    assert cells.select("radio", "mcc", "net", "area", "cell").equals(
        cells.select("radio", "mcc", "net", "area", "cell").sort(pl.all(), nulls_last=True)
    )


def test_register_has_bom_and_vietnamese_header(clean, geo):
    cfg, _, _ = clean
    raw = (cfg.out / SITES).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    reg = read_register(cfg.out)
    assert reg.columns == HEADER
    assert len(reg) == layout.TOTAL_SITES
    assert reg["Mã vị trí"].is_unique().all()
    assert reg["Mã vị trí"].str.contains(r"^HD\d{3}-\d{4}$").all()
    text = raw.decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", text)
    communes = geo.communes.select("commune_code", "commune_name", "district_name", "district_code")
    joined = reg.join(communes, left_on="Mã xã", right_on="commune_code", how="left")
    assert joined["commune_name"].null_count() == 0
    expected_tail = pl.concat_str(["commune_name", "district_name"], separator=", ") + ", Tỉnh Hải Dương"
    assert joined.select(pl.col("Địa chỉ").str.ends_with(expected_tail)).to_series().all()
    assert (joined["Mã vị trí"].str.slice(2, 3) == joined["district_code"]).all()
    assert set(reg["Loại cột"]) <= set(vocabularies.MAST_TYPES)
    height = reg["Chiều cao cột (m)"].cast(pl.Int64)
    assert height.min() >= 6 and height.max() <= 60
    permit = reg["Ngày cấp phép"].str.to_date("%d/%m/%Y")
    inspected = reg["Ngày kiểm định"].str.to_date("%d/%m/%Y")
    assert (permit < inspected).all()
    assert (inspected >= END - timedelta(days=layout.INSPECTION_VALID_DAYS)).all() and (
        inspected <= END
    ).all()
    assert reg["Số giấy phép xây dựng"].str.contains(r"^\d+/GPXD-(SXD|UBND)$").all()


# --- clean data: code lists, identifiers, dates, positions ------------------------------------------------


def test_code_lists_and_market_shares(clean):
    cells = read_cells(clean[0].out)
    assert set(cells["radio"]) == {"GSM", "UMTS", "LTE"}
    assert set(cells["mcc"]) == {452}
    assert set(cells["net"]) == {1, 2, 4, 5, 7}
    assert set(cells["changeable"]) == {1}
    assert cells.select(KEY)["key"].is_unique().all()
    assert cells.null_count().sum_horizontal().item() == 0
    share = _figures_by(clean[0].out, "net")
    assert share[4] > share[2] > share[1] > share[5] > share[7] > 0
    assert 0.35 < share[4] < 0.45 and share[7] < 0.05
    gmobile = cells.filter(pl.col("net") == 7)
    assert set(gmobile["radio"]) == {"GSM"}


def test_identifiers_follow_the_radio_layouts(clean):
    cells = read_cells(clean[0].out)
    gsm = cells.filter(pl.col("radio") == "GSM")
    umts = cells.filter(pl.col("radio") == "UMTS")
    lte = cells.filter(pl.col("radio") == "LTE")
    assert gsm["cell"].max() <= 65535 and set(gsm["cell"] % 10) <= {1, 2, 3}
    assert set(gsm["unit"]) == {0}
    assert (umts["cell"] // 65536).is_between(1, 4095).all() and set(umts["cell"] % 65536 % 10) <= {1, 2, 3}
    assert umts["unit"].is_between(0, 511).all()
    assert (lte["cell"] // 256).is_between(1, (1 << 20) - 1).all()
    assert set(lte["cell"] % 256) <= {1, 2, 3, 11, 12, 13}
    assert lte["unit"].is_between(0, 503).all()
    assert (cells["area"].is_between(1, 65535)).all()
    # realistic defaults occur
    assert (cells["range"] == 1000).mean() > 0.05
    assert (cells["averageSignal"] == 0).mean() > 0.3
    assert cells.filter(pl.col("averageSignal") != 0)["averageSignal"].is_between(-120, -50).all()
    assert ((lte["unit"] == 0).mean()) > 0.02


def test_dates(clean):
    cells = read_cells(clean[0].out)
    assert cells["created"].min() >= _unix(date(2010, 1, 1))
    assert cells.filter(pl.col("radio") == "LTE")["created"].min() >= _unix(date(2014, 1, 1))
    median = {r: cells.filter(pl.col("radio") == r)["created"].median() for r in ("GSM", "UMTS", "LTE")}
    assert median["GSM"] < median["UMTS"] < median["LTE"]
    assert (cells["created"] < cells["updated"]).all()
    assert cells["updated"].max() < AS_OF
    assert cells["updated"].min() >= AS_OF - 180 * 86400


def test_positions_inside_province_and_commune(clean, geo):
    con = _connect(clean[0].out)
    bounds = geo.communes.select("commune_code", "lat_min", "lat_max", "lon_min", "lon_max")
    cells = pl.DataFrame(
        con.execute(
            "select l.lat, l.lon, l.d, l.commune_code from links l join station_site s using (station, site_id)"
        ).fetchall(),
        schema=["lat", "lon", "d", "commune_code"],
        orient="row",
    ).join(bounds, on="commune_code")
    assert len(cells) == len(read_cells(clean[0].out))
    assert cells["d"].max() <= 30
    assert cells.filter(
        ~pl.col("lat").is_between("lat_min", "lat_max") | ~pl.col("lon").is_between("lon_min", "lon_max")
    ).is_empty()
    assert cells["lat"].is_between(*LAT_RANGE).all()
    reg = (
        read_register(clean[0].out)
        .select(
            pl.col("Mã xã").alias("commune_code"),
            pl.col("Vĩ độ").cast(pl.Float64),
            pl.col("Kinh độ").cast(pl.Float64),
        )
        .join(bounds, on="commune_code")
    )
    assert (
        reg.select(
            pl.col("Vĩ độ").is_between("lat_min", "lat_max")
            & pl.col("Kinh độ").is_between("lon_min", "lon_max")
        )
        .to_series()
        .all()
    )
    lat, lon = np.radians(reg["Vĩ độ"].to_numpy()), np.radians(reg["Kinh độ"].to_numpy())
    a = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    gap = 2 * 6371008.8 * np.arcsin(np.sqrt(a))
    np.fill_diagonal(gap, np.inf)
    assert gap.min() >= 200


# --- calibration ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [6, 11])
def test_exact_station_and_site_counts(simulate_feed, seed):
    cfg, _, _ = simulate_feed(bts, seed=seed, defect_rate=0.0)
    assert _figures(cfg.out) == {"stations": 3240, "sites": 1582, "unlinked": 0}
    con = _connect(cfg.out)
    # every cell of a live station is within 50 m of exactly one register row
    near = "select count(*) as n from links where d <= 50 group by station, cell"
    valid = con.execute("select count(*) from valid").fetchone()[0]
    assert con.execute(f"select min(n), max(n), count(*) from ({near})").fetchone() == (1, 1, valid)
    per_station = con.execute("select count(*) from valid group by station").fetchall()
    assert {n for (n,) in per_station} == {1, 2, 3}
    assert np.mean([n for (n,) in per_station]) > 2.6


def test_every_commune_is_covered_by_umts_or_lte(clean, geo):
    con = _connect(clean[0].out)
    broadband = con.execute(
        "select lat, lon from valid join live using (station) where radio in ('UMTS', 'LTE')"
    ).fetchnumpy()
    lat, lon = broadband["lat"], broadband["lon"]
    c = geo.communes
    inside = (
        (lat[None, :] >= c["lat_min"].to_numpy()[:, None])
        & (lat[None, :] <= c["lat_max"].to_numpy()[:, None])
        & (lon[None, :] >= c["lon_min"].to_numpy()[:, None])
        & (lon[None, :] <= c["lon_max"].to_numpy()[:, None])
    )
    assert inside.any(axis=1).all()
    assert len(c) == 207


def test_register_operators_match_the_stations(clean):
    con = _connect(clean[0].out)
    names = {net: name for net, (name, _) in vocabularies.OPERATORS.items()}
    pairs = con.execute(
        "select distinct s.site_id, v.net from station_site s join valid v using (station)"
    ).fetchall()
    expected: dict[str, set[str]] = {}
    for site, net in pairs:
        expected.setdefault(site, set()).add(names[net])
    reg = read_register(clean[0].out)
    listed = {
        r: set(ops.split("; "))
        for r, ops in zip(reg["Mã vị trí"], reg["Doanh nghiệp dùng chung"], strict=True)
    }
    assert listed == expected


# --- determinism, scale, defect-rate independence ---------------------------------------------------------


def test_deterministic(simulate_feed, dirty):
    again = simulate_feed(bts, defect_rate=0.01, end=END)  # same config, another folder
    assert again[0].out != dirty[0].out
    assert _files(again[0].out) == _files(dirty[0].out)


def test_feed_ignores_scale(simulate_feed, dirty):
    large = simulate_feed(bts, scale=1.0, defect_rate=0.01)
    assert _files(large[0].out) == _files(dirty[0].out)


def _lost_lines(clean, dirty, file: str) -> list[str]:
    """Lines of the clean run's file that the run with defects does not have byte for byte."""
    before = (clean[0].out / file).read_text(encoding="utf-8-sig").splitlines()
    after = set((dirty[0].out / file).read_text(encoding="utf-8-sig").splitlines())
    return [line for line in before if line not in after]


def _of_classes(truth: pl.DataFrame, *classes: str) -> pl.DataFrame:
    return truth.filter(pl.col("defect_class").is_in(list(classes)))


def test_clean_cells_keep_their_bytes_at_any_defect_rate(clean, dirty):
    touched = _of_classes(
        dirty[2], "coordinates_outside_province", "invalid_network_code", "missing_cell_fields"
    )
    original_keys = set(
        touched.select(pl.coalesce(pl.col("detail").str.extract(r"\(was (.+)\)$"), "record_key")).to_series()
    )
    lost = _lost_lines(clean, dirty, CELLS)
    assert len(lost) == len(touched)
    assert {":".join(line.split(",")[:5]) for line in lost} == original_keys


def test_clean_sites_keep_their_bytes_at_any_defect_rate(clean, dirty):
    touched = set(_of_classes(dirty[2], "site_missing_permit", "inspection_expired")["record_key"])
    lost = _lost_lines(clean, dirty, SITES)
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
    assert _figures(dirty[0].out) == {"stations": 3240, "sites": 1582, "unlinked": 0}


def _rows(dirty, cls: str) -> pl.DataFrame:
    keys = dirty[2].filter(pl.col("defect_class") == cls)["record_key"]
    return read_cells(dirty[0].out).with_columns(KEY).filter(pl.col("key").is_in(keys.implode()))


def test_defect_effects_on_cells(clean, dirty):
    outside = _rows(dirty, "coordinates_outside_province")
    assert outside.filter(
        pl.col("lat").is_between(*LAT_RANGE) & pl.col("lon").is_between(106.0, 106.7)
    ).is_empty()
    network = _rows(dirty, "invalid_network_code")
    assert (network["mcc"].ne(452) | ~network["net"].is_in([1, 2, 4, 5, 7])).all()
    assert {450, 452} == set(network["mcc"]) and {3, 99} <= set(network["net"])
    nr = _rows(dirty, "radio_not_in_service")
    assert set(nr["radio"]) == {"NR"} and nr["updated"].max() < _unix(date(2024, 1, 1))
    assert nr["cell"].max() < 1 << 36
    missing = _rows(dirty, "missing_cell_fields")
    assert (missing["area"].is_null() | missing["range"].is_null()).all()
    assert missing["area"].null_count() > 0 and missing["range"].null_count() > 0
    dup = _rows(dirty, "duplicate_cell")
    assert dup.group_by("key").len()["len"].min() == 2
    stale = _rows(dirty, "stale_cell")
    assert stale["updated"].max() <= AS_OF - 3 * 365 * 86400
    assert not set(stale["key"]) & set(read_cells(clean[0].out).select(KEY)["key"])
    # stale cells form stations of their own, which are not live
    con = _connect(dirty[0].out)
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
        assert _expand(a["Địa chỉ"]) == b["Địa chỉ"]


def _expand(address: str) -> str:
    """Undo the spelling variants: NFC, then the abbreviations (longest first)."""
    text = unicodedata.normalize("NFC", address)
    for short, long in [
        ("TP. ", "Thành phố "),
        ("TT. ", "Thị trấn "),
        ("TX. ", "Thị xã "),
        ("P. ", "Phường "),
        ("H. ", "Huyện "),
        ("X. ", "Xã "),
        ("T. ", "Tỉnh "),
    ]:
        text = text.replace(short, long)
    return text
