"""The reference tables the warehouse owns (kho06.reference), written to the `reference` schema by one asset.

Administrative units from the `vietnamadminunits` package (not typed by hand), for dbt's `dim_admin_unit`: the
legacy units of Hải Dương (province 30, its districts and communes, valid until 2025-06-30) and the units of
Hải Phòng after the 2025-07-01 reorganisation (province 31, communes only) with the package's old→new crosswalk.
Also the 63 legacy province codes that open a citizen ID, and Vietnam's public holidays of the years the feeds
cover (from the `holidays` package).
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from kho06.reference.admin_units import load_geography, provinces
from kho06.reference.province_codes import province_codes
from kho06.reference.public_holidays import FIRST_YEAR, LAST_YEAR, public_holidays

DESCRIPTIONS = {
    "provinces": "The province before (Hải Dương, 30) and after (Hải Phòng, 31) the 2025-07-01 reorganisation.",
    "legacy_districts": "The 12 district-level units of Hải Dương (province 30) before 2025-07-01.",
    "legacy_communes": "The communes of Hải Dương with codes, centroids and bounding boxes before 2025-07-01.",
    "communes_2025": "The commune-level units of Hải Phòng (province 31) from 2025-07-01.",
    "commune_crosswalk_2025": "Legacy commune → 2025 commune(s); a split commune has one default successor.",
    "province_codes": "The 63 legacy province codes (3 digits, Hải Dương 030): the valid first three digits of a "
    "citizen ID.",
    "public_holidays": f"Vietnam's public holidays {FIRST_YEAR}–{LAST_YEAR}, weekends and days off in lieu "
    "included (holidays.VN, names in Vietnamese).",
}


def reference_frames() -> dict[str, pl.DataFrame]:
    geo = load_geography()
    return {
        "provinces": provinces(),
        "legacy_districts": geo.districts,
        "legacy_communes": geo.communes.drop("commune_key"),
        "communes_2025": geo.new_communes,
        "commune_crosswalk_2025": geo.crosswalk,
        "province_codes": province_codes(),
        "public_holidays": public_holidays(),
    }


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["reference", name], description=text, group_name="reference", kinds={"duckdb", "python"}
        )
        for name, text in DESCRIPTIONS.items()
    ],
)
def admin_units(duckdb: DuckDBResource):
    with duckdb.get_connection() as con:
        con.execute("create schema if not exists reference")
        for name, frame in reference_frames().items():
            con.register("_frame", frame)
            con.execute(f"create or replace table reference.{name} as select * from _frame")
            con.unregister("_frame")
            yield dg.MaterializeResult(
                asset_key=["reference", name], metadata={"dagster/row_count": len(frame)}
            )
