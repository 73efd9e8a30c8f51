"""The province's administrative units, read from the `vietnamadminunits` package.

Two layers:

* the legacy units (Hải Dương, province code 30): 12 district-level units and their 207 communes with codes,
  names, centroids and bounding boxes, valid until 2025-06-30;
* the 2025 units (Hải Phòng, province code 31, no district level) and the package's old→new converter table,
  giving for each legacy commune the new commune-level unit(s) it became on 2025-07-01.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

LEGACY_PROVINCE_CODE = "30"
LEGACY_PROVINCE_NAME = "Tỉnh Hải Dương"
NEW_PROVINCE_CODE = "31"
NEW_PROVINCE_NAME = "Thành phố Hải Phòng"
REORGANISATION_DATE = "2025-07-01"

# Rough box of the province (domain facts): anything outside is an impossible coordinate.
LAT_RANGE = (20.6, 21.3)
LON_RANGE = (106.0, 106.7)

# package column -> our column, in the order of our tables
_DISTRICT_COLUMNS = {
    "districtCode": "district_code",
    "district": "district_name",
    "districtShort": "district_short",
    "districtType": "district_type",
    "districtLat": "lat",
    "districtLon": "lon",
}
_COMMUNE_COLUMNS = {
    "wardCode": "commune_code",
    "ward": "commune_name",
    "wardShort": "commune_short",
    "wardType": "commune_type",
    "districtCode": "district_code",
    "district": "district_name",
    "wardLat": "lat",
    "wardLon": "lon",
}
_NEW_COMMUNE_COLUMNS = {
    "wardCode": "new_commune_code",
    "ward": "new_commune_name",
    "wardType": "new_commune_type",
    "wardLat": "lat",
    "wardLon": "lon",
    "wardAreaKm2": "area_km2",
}


def _renamed(columns: dict[str, str]) -> list[pl.Expr]:
    return [pl.col(source).alias(name) for source, name in columns.items()]


def _bounds(col: str) -> list[pl.Expr]:
    """Split the package's 'lat,lon – lat,lon' bounds into four float columns."""
    parts = pl.col(col).str.extract_all(r"-?\d+\.\d+")
    return [
        parts.list.get(0).cast(pl.Float64).alias("lat_min"),
        parts.list.get(1).cast(pl.Float64).alias("lon_min"),
        parts.list.get(2).cast(pl.Float64).alias("lat_max"),
        parts.list.get(3).cast(pl.Float64).alias("lon_max"),
    ]


@dataclass(frozen=True)
class Geography:
    districts: pl.DataFrame
    """district_code, district_name, district_short, district_type, lat, lon"""
    communes: pl.DataFrame
    """commune_code, commune_name, commune_short, commune_type, district_code, district_name, lat, lon,
    lat_min, lon_min, lat_max, lon_max, commune_key (package key: 'tinhhaiduong_<district>_<commune>')"""
    new_communes: pl.DataFrame
    """2025 units of the new province: new_commune_code, new_commune_name, new_commune_type, lat, lon, area_km2"""
    crosswalk: pl.DataFrame
    """commune_code → new_commune_code, is_default (a split legacy commune has one default successor)"""


def query(sql: str) -> list[dict]:
    """The package's database (imported when first read: the package takes half a second to import, and every
    process that loads the pipeline's definitions would pay it)."""
    from vietnamadminunits.database import query as package_query

    return package_query(sql)


@lru_cache(maxsize=1)
def load_geography() -> Geography:
    legacy = pl.DataFrame(
        query(
            "select districtCode, district, districtShort, districtType, districtLat, districtLon, "
            "wardCode, ward, wardShort, wardType, wardLat, wardLon, wardBounds, districtKey, wardKey "
            f"from admin_units_legacy where provinceCode = '{LEGACY_PROVINCE_CODE}'"
        )
    ).sort("wardCode")
    districts = legacy.select(_renamed(_DISTRICT_COLUMNS)).unique("district_code").sort("district_code")
    communes = legacy.select(
        *_renamed(_COMMUNE_COLUMNS),
        *_bounds("wardBounds"),
        pl.concat_str(
            [pl.lit("tinhhaiduong"), pl.col("districtKey"), pl.col("wardKey")], separator="_"
        ).alias("commune_key"),
    )
    new = pl.DataFrame(
        query(
            "select wardCode, ward, wardType, wardLat, wardLon, wardAreaKm2, wardKey "
            f"from admin_units where provinceCode = '{NEW_PROVINCE_CODE}'"
        )
    ).sort("wardCode")
    new_communes = new.select(_renamed(_NEW_COMMUNE_COLUMNS))
    crosswalk = _crosswalk(communes, new)
    return Geography(districts, communes, new_communes, crosswalk)


def _crosswalk(communes: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    table = json.loads((resources.files("vietnamadminunits") / "data" / "converter_2025.json").read_text())
    province_key = "thanhphohaiphong"
    rows: list[tuple[str, str, bool]] = []
    for new_key, old_keys in table["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key].items():
        rows += [(old, new_key, True) for old in old_keys]
    for old, successors in table["DICT_PROVINCE_WARD_DIVIDED"][province_key].items():
        rows += [(old, s["newWardKey"], bool(s["isDefaultNewWard"])) for s in successors]
    pairs = pl.DataFrame(rows, schema=["commune_key", "new_key", "is_default"], orient="row")
    keyed_new = new.select(pl.col("wardKey").alias("new_key"), pl.col("wardCode").alias("new_commune_code"))
    return (
        communes.select("commune_code", "commune_key")
        .join(pairs, on="commune_key", how="inner")
        .join(keyed_new, on="new_key", how="inner")
        .select("commune_code", "new_commune_code", "is_default")
        .unique()
        .sort("commune_code", "new_commune_code")
    )


def legacy_communes_of(province_codes: tuple[str, ...]) -> pl.DataFrame:
    """The legacy communes of other provinces (2-digit codes): wardCode, ward, district, province, by code."""
    codes = ", ".join(f"'{c}'" for c in province_codes)
    return pl.DataFrame(
        query(
            f"select wardCode, ward, district, province from admin_units_legacy where provinceCode in ({codes})"
        )
    ).sort("wardCode")


def provinces() -> pl.DataFrame:
    """The province before (Hải Dương, 30) and after (Hải Phòng, 31) the 2025-07-01 reorganisation."""
    return pl.DataFrame(
        {
            "province_code": [LEGACY_PROVINCE_CODE, NEW_PROVINCE_CODE],
            "province_name": [LEGACY_PROVINCE_NAME, NEW_PROVINCE_NAME],
            "valid_from": ["1900-01-01", REORGANISATION_DATE],
            "valid_to": [REORGANISATION_DATE, "9999-12-31"],
        }
    ).with_columns(pl.col("valid_from").str.to_date(), pl.col("valid_to").str.to_date())
