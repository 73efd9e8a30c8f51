"""Reading the BTS files back (cells without a header, the register with its BOM) and the contract's rules over
them in DuckDB (docs/contracts/bts.md)."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import polars as pl

from kho06.simulator.bts import layout

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


def connect(out: Path) -> duckdb.DuckDBPyConnection:
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


def figures(out: Path) -> dict[str, int]:
    con = connect(out)
    one = con.execute(
        """select (select count(*) from live) as stations,
                  (select count(distinct site_id) from station_site) as sites,
                  (select count(*) from live where station not in (select station from station_site)) as unlinked"""
    ).fetchone()
    return dict(zip(["stations", "sites", "unlinked"], one, strict=True))


def figures_by(out: Path, column: str) -> dict:
    con = connect(out)
    rows = con.execute(
        f"select {column}, count(distinct station) from valid join live using (station) group by all"
    ).fetchall()
    total = sum(n for _, n in rows)
    return {k: n / total for k, n in rows}


def read_cells(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / CELLS, has_header=False, schema=SCHEMA)


def read_register(out: Path) -> pl.DataFrame:
    return pl.read_csv(out / SITES, infer_schema=False)


def files(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def unix(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=ICT).timestamp())


def lost_lines(clean, dirty, file: str) -> list[str]:
    """Lines of the clean run's file that the run with defects does not have byte for byte."""
    before = (clean[0].out / file).read_text(encoding="utf-8-sig").splitlines()
    after = set((dirty[0].out / file).read_text(encoding="utf-8-sig").splitlines())
    return [line for line in before if line not in after]


def of_classes(truth: pl.DataFrame, *classes: str) -> pl.DataFrame:
    return truth.filter(pl.col("defect_class").is_in(list(classes)))


def rows(dirty, cls: str) -> pl.DataFrame:
    keys = dirty[2].filter(pl.col("defect_class") == cls)["record_key"]
    return read_cells(dirty[0].out).with_columns(KEY).filter(pl.col("key").is_in(keys.implode()))


def expand(address: str) -> str:
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
