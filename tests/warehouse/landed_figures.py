"""The office's figures recomputed from the landed rows (`landing.*`) in Python, with the formulas of the feed
contracts (docs/contracts/*.md), without reading a mart, a check model or a dbt macro: the reference the
documented queries (docs/analysts.md) are checked against."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

AS_OF = date(2023, 12, 31)
AS_OF_END = datetime(2024, 1, 1)  # the end of the as-of day, local time
AS_OF_UNIX = 1704042000  # the same instant for the BTS feed (UTC+7), docs/contracts/bts.md
CONTRACTS = Path(__file__).resolve().parents[2] / "docs" / "contracts"


def landed(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    return con.sql(sql).pl()


# --------------------------------------------------------------------------------------------------- dossiers


def distinct_dossiers(con) -> pl.DataFrame:
    """The contract's D: per MaHoSo the line of the earliest daily file, then the first line of that file; the
    reception day is that file's day. With the handling agency's district attribution from the register."""
    lines = landed(
        con,
        """select dossier_code, channel, status, received_at, due_at, finished_at, agency_code,
                  json_extract_string(progress, '$[#-1].ThoiDiemXuLy') as progress_at_text,
                  try_cast(json_extract_string(progress, '$[#-1].TrangThai') as integer) as progress_status,
                  _source_file, _source_row
           from landing.dossiers""",
    )
    agencies = landed(
        con,
        "select agency_code, agency_level, district_code from landing.dossier_agencies",
    ).unique("agency_code", keep="first")
    d = (
        lines.sort("_source_file", "_source_row")
        .unique("dossier_code", keep="first", maintain_order=True)
        .with_columns(
            day=pl.col("_source_file").str.extract(r"(\d{4}-\d{2}-\d{2})\.jsonl$").str.to_date(),
            progress_at=pl.col("progress_at_text").str.strptime(pl.Datetime, "%Y%m%d%H%M%S", strict=False),
        )
        .join(agencies, on="agency_code", how="left")
    )
    unit = (
        pl.when(pl.col("agency_level").is_null())
        .then(pl.lit("unknown_agency"))
        .when(pl.col("agency_level") == "Tỉnh")
        .then(pl.lit("provincial_departments"))
        .otherwise(pl.lit("district"))
    )
    return d.with_columns(
        unit_kind=unit, month=pl.col("day").dt.strftime("%Y-%m"), year=pl.col("day").dt.year()
    )


def progress_verdict(row: dict) -> str | None:
    """Decision 766 formula 2.1 for one dossier (docs/contracts/dossiers.md): 'on_time', 'late', or None when the
    dossier is not judged (not accepted, or its status or the dates the verdict needs are wrong)."""
    status, received, due, finished = row["status"], row["received_at"], row["due_at"], row["finished_at"]
    if status in (1, 3) or status is None or not 1 <= status <= 10:
        return None
    if due is None or (received is not None and due < received):
        return None
    if 7 <= status <= 10 and finished is None:
        return None
    if finished is not None and received is not None and finished < received:
        return None
    if 7 <= status <= 10:
        ended = finished
    elif status == 5 and row["progress_status"] == 5:
        ended = row["progress_at"]
    else:
        ended = None
    if ended is None:
        return "on_time" if due >= AS_OF_END else "late"
    return "on_time" if ended <= due else "late"


def on_time_by_unit_month(con) -> dict[tuple, tuple[int, int]]:
    """{(unit_kind, district_code or None, 'yyyy-mm'): (judged, judged on time)}."""
    d = distinct_dossiers(con)
    out: dict[tuple, list[int]] = {}
    for row in d.iter_rows(named=True):
        verdict = progress_verdict(row)
        code = row["district_code"] if row["unit_kind"] == "district" else None
        counts = out.setdefault((row["unit_kind"], code, row["month"]), [0, 0])
        if verdict is not None:
            counts[0] += 1
            counts[1] += verdict == "on_time"
    return {k: (v[0], v[1]) for k, v in out.items()}


CHANNELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}  # KenhThucHien, dossiers.md


def dossiers_by_channel(con) -> dict[tuple[int, str], int]:
    d = distinct_dossiers(con)
    counts = d.group_by("year", "channel").len()
    return {
        (year, CHANNELS.get(channel, "Không xác định")): n
        for year, channel, n in counts.select("year", "channel", "len").iter_rows()
    }


# ------------------------------------------------------------------------------------------------- population


def loose_name(name: str | None) -> str | None:
    """A name with case, spacing, Unicode form and diacritics ignored (the duplicate rule of population.md)."""
    if name is None or not name.strip():
        return None
    decomposed = unicodedata.normalize("NFD", " ".join(unicodedata.normalize("NFC", name).split()).upper())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def counted_residents(con) -> pl.DataFrame:
    """The residents population_records_digitised counts (population.md, "Indicators"): living rows, less the
    later copies of a person and the living rows with a death event; a record id delivered twice keeps its first
    row. With the age on the as-of date, or the reason there is none (a missing or impossible date of birth)."""
    rows = landed(
        con,
        """select record_id, full_name, birth_date, sex, citizen_id, commune_code, status, updated_on,
                  _source_file, _source_row
           from landing.population_snapshot""",
    ).with_columns(
        pl.col("record_id").str.strip_chars(),
        pl.col("citizen_id").str.strip_chars().replace("", None),
        pl.col("status").str.strip_chars(),
        pl.col("sex").str.strip_chars(),
        pl.col("commune_code").str.strip_chars(),
    )
    rows = rows.sort("_source_file", "_source_row").unique("record_id", keep="first", maintain_order=True)
    rows = rows.with_columns(
        loose=pl.col("full_name").map_elements(loose_name, return_dtype=pl.String),
        sex_code=pl.col("sex").replace_strict({"Nam": "M", "Nữ": "F"}, default=None),
    )
    copies = (
        rows.filter(
            pl.col("citizen_id").is_not_null()
            & pl.col("loose").is_not_null()
            & pl.col("birth_date").is_not_null()
        )
        .sort("record_id", "_source_file", "_source_row")
        .with_columns(occurrence=pl.int_range(pl.len()).over("citizen_id", "loose", "birth_date", "sex_code"))
        .filter(pl.col("occurrence") > 0)["record_id"]
    )
    deaths = landed(
        con,
        "select distinct trim(record_id) as record_id from landing.population_events where trim(event_type) = 'Khai tử'",
    )
    living = rows.filter(
        (pl.col("status") == "Còn sống")
        & ~pl.col("record_id").is_in(copies.implode())
        & ~pl.col("record_id").is_in(deaths["record_id"].implode())
    )
    return living.with_columns(
        pl.struct("birth_date", "updated_on")
        .map_elements(_age, return_dtype=pl.Struct({"age": pl.Int64, "rule": pl.String}))
        .alias("a")
    ).unnest("a")


def _age(r: dict) -> dict:
    born, updated = r["birth_date"], r["updated_on"]
    if born is None:
        return {"age": None, "rule": "population.birth_date_missing"}
    if born > AS_OF:
        return {"age": None, "rule": "population.birth_date_after_as_of"}
    if born < date(1900, 1, 1):
        return {"age": None, "rule": "population.birth_date_before_1900"}
    if updated is not None and born > updated:
        return {"age": None, "rule": "population.birth_date_after_update"}
    age = AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))
    if age > 110:
        return {"age": None, "rule": "population.living_aged_over_110"}
    return {"age": age, "rule": None}


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    return "100+" if age >= 100 else f"{age // 5 * 5}-{age // 5 * 5 + 4}"


def residents_by_commune_band(con) -> dict[tuple, int]:
    """{(commune code or None, age band or None, rule or None): residents}; a code outside the province's
    communes is None."""
    communes = set(landed(con, "select commune_code from reference.legacy_communes")["commune_code"])
    out: dict[tuple, int] = {}
    for r in counted_residents(con).iter_rows(named=True):
        code = r["commune_code"] if r["commune_code"] in communes else None
        key = (code, age_band(r["age"]), r["rule"])
        out[key] = out.get(key, 0) + 1
    return out


# ---------------------------------------------------------------------------------------------------- telecom

BASE_STATION = {  # docs/contracts/bts.md, "Identifiers"
    "GSM": lambda area, cell: f"{area}-{cell // 10}",
    "UMTS": lambda area, cell: f"{cell // 65536}-{(cell % 65536) // 10}",
    "LTE": lambda area, cell: str(cell // 256),
}
NETWORKS = {1, 2, 4, 5, 7}


def live_cells(con) -> pl.DataFrame:
    """The valid cells of live stations (bts.md rules 1-3): radio GSM, UMTS or LTE, MCC 452, a listed MNC, the
    required fields, inside the province box; a station is live when one of its valid cells was updated within
    365 days of the as-of instant."""
    cells = landed(con, "select radio, mcc, net, area, cell, lon, lat, updated_unix from landing.bts_cells")
    valid = cells.filter(
        pl.col("radio").is_in(list(BASE_STATION))
        & (pl.col("mcc") == 452)
        & pl.col("net").is_in(list(NETWORKS))
        & pl.col("area").is_not_null()
        & pl.col("cell").is_not_null()
        & pl.col("lat").is_between(20.6, 21.3)
        & pl.col("lon").is_between(106.0, 106.7)
    )
    valid = valid.with_columns(
        station=pl.struct("radio", "net", "area", "cell").map_elements(
            lambda r: f"{r['radio']}:{r['net']}:{BASE_STATION[r['radio']](r['area'], r['cell'])}",
            return_dtype=pl.String,
        )
    )
    live = valid.group_by("station").agg(
        (pl.col("updated_unix") >= AS_OF_UNIX - 365 * 86400).any().alias("live")
    )
    return valid.join(live.filter("live"), on="station", how="semi")


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


def communes_covered(con, cells: pl.DataFrame) -> set[str]:
    """The communes `cells` cover (bts.md rule 5): a cell inside the commune's bounding box or within 2 km of
    its centroid."""
    communes = landed(
        con,
        "select commune_code, lat, lon, lat_min, lat_max, lon_min, lon_max from reference.legacy_communes",
    )
    points = list(cells.select("lat", "lon").unique().iter_rows())
    covered = set()
    for c in communes.iter_rows(named=True):
        for lat, lon in points:
            in_box = c["lat_min"] <= lat <= c["lat_max"] and c["lon_min"] <= lon <= c["lon_max"]
            if in_box or haversine_m(c["lat"], c["lon"], lat, lon) <= 2000:
                covered.add(c["commune_code"])
                break
    return covered


def coverage_3g4g_by_operator(con) -> dict[int, tuple[int, int, int]]:
    """{net code: (communes covered by its live UMTS and LTE cells, counted residents there, all counted)}."""
    cells = live_cells(con)
    residents = counted_residents(con)
    by_commune = dict(residents.group_by("commune_code").len().iter_rows())
    total = len(residents)
    out = {}
    for net in sorted(NETWORKS):
        covered = communes_covered(
            con, cells.filter((pl.col("net") == net) & pl.col("radio").is_in(["UMTS", "LTE"]))
        )
        out[net] = (len(covered), sum(by_commune.get(c, 0) for c in covered), total)
    return out


def live_stations_by_operator_radio(con) -> dict[tuple[int, str], int]:
    cells = live_cells(con)
    return {
        (net, radio): n
        for net, radio, n in cells.group_by("net", "radio").agg(pl.col("station").n_unique()).iter_rows()
    }


# ------------------------------------------------------------------------------------------------------- OCOP


def group_labels() -> dict[str, str]:
    """The six groups and the non-canonical labels of docs/contracts/ocop.md ("Code lists"), label → group."""
    text = (CONTRACTS / "ocop.md").read_text(encoding="utf-8")
    section = text[text.index("**Nhóm sản phẩm**") : text.index("**Loại hình chủ thể**")]
    labels = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([^`]+)`", cells[0])
        target = re.findall(r"`([^`]+)`", cells[1])
        for name in names:
            labels[name] = target[0] if target else names[0]
    return labels


def counted_ocop_products(con) -> pl.DataFrame:
    """ocop.md "KPI formulas": active listings (expiry on or after the as-of date), one row per name key (NFC,
    lower case, whitespace collapsed; the smallest product id), the star (listed, else the score band) and the
    three published classes, the group through the label table."""
    rows = landed(
        con,
        "select product_id, product_name, product_group, stars, five_star_potential, score, recognition_year, expiry_date from landing.ocop_products",
    )
    labels = group_labels()
    rows = rows.filter(pl.col("expiry_date") >= AS_OF).with_columns(
        key=pl.col("product_name").map_elements(
            lambda n: " ".join(unicodedata.normalize("NFC", n).lower().split()), return_dtype=pl.String
        )
    )
    rows = rows.sort("product_id").unique("key", keep="first", maintain_order=True)

    def star(r):
        if r["stars"] is not None:
            return r["stars"]
        if r["score"] is None:
            return None
        return 3 if 50 <= r["score"] < 70 else 4 if 70 <= r["score"] <= 100 else None

    return rows.with_columns(
        star=pl.struct("stars", "score").map_elements(star, return_dtype=pl.Int64),
        group=pl.col("product_group").map_elements(
            lambda g: labels.get(unicodedata.normalize("NFC", g).strip(), "Không xác định"),
            return_dtype=pl.String,
        ),
        candidate=pl.col("five_star_potential").str.strip_chars().str.to_lowercase() == "x",
    ).with_columns(
        star_class=pl.when(pl.col("candidate").fill_null(False))
        .then(pl.lit("5_star_candidate"))
        .when(pl.col("star") == 4)
        .then(pl.lit("4_star"))
        .when(pl.col("star") == 3)
        .then(pl.lit("3_star"))
    )


def ocop_by_class_group(con, year: int) -> dict[tuple[str, str], int]:
    products = counted_ocop_products(con).filter(pl.col("recognition_year") <= year)
    return {(c, g): n for c, g, n in products.group_by("star_class", "group").len().iter_rows()}


def age_exclusions(con) -> dict[str, int]:
    residents = counted_residents(con).filter(pl.col("rule").is_not_null())
    return dict(residents.group_by("rule").len().iter_rows())
