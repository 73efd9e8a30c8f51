"""The BTS feed, clean: formats, code lists, identifiers, dates, positions, exact figures by the contract's
rules, determinism (docs/contracts/bts.md)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
from bts_files import (
    AS_OF,
    CELLS,
    END,
    HEADER,
    KEY,
    SCHEMA,
    SITES,
    connect,
    figures,
    figures_by,
    files,
    read_cells,
    read_register,
    unix,
)

from kho06.reference.admin_units import LAT_RANGE
from kho06.simulator import bts
from kho06.simulator.bts import layout, vocabularies

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
    share = figures_by(clean[0].out, "net")
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
    assert cells["created"].min() >= unix(date(2010, 1, 1))
    assert cells.filter(pl.col("radio") == "LTE")["created"].min() >= unix(date(2014, 1, 1))
    median = {r: cells.filter(pl.col("radio") == r)["created"].median() for r in ("GSM", "UMTS", "LTE")}
    assert median["GSM"] < median["UMTS"] < median["LTE"]
    assert (cells["created"] < cells["updated"]).all()
    assert cells["updated"].max() < AS_OF
    assert cells["updated"].min() >= AS_OF - 180 * 86400


def test_positions_inside_province_and_commune(clean, geo):
    con = connect(clean[0].out)
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
    assert figures(cfg.out) == {"stations": 3240, "sites": 1582, "unlinked": 0}
    con = connect(cfg.out)
    # every cell of a live station is within 50 m of exactly one register row
    near = "select count(*) as n from links where d <= 50 group by station, cell"
    valid = con.execute("select count(*) from valid").fetchone()[0]
    assert con.execute(f"select min(n), max(n), count(*) from ({near})").fetchone() == (1, 1, valid)
    per_station = con.execute("select count(*) from valid group by station").fetchall()
    assert {n for (n,) in per_station} == {1, 2, 3}
    assert np.mean([n for (n,) in per_station]) > 2.6


def test_every_commune_is_covered_by_umts_or_lte(clean, geo):
    con = connect(clean[0].out)
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
    con = connect(clean[0].out)
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
    assert files(again[0].out) == files(dirty[0].out)


def test_feed_ignores_scale(simulate_feed, dirty):
    large = simulate_feed(bts, scale=1.0, defect_rate=0.01)
    assert files(large[0].out) == files(dirty[0].out)
