"""Reference tables of administrative units, from the `vietnamadminunits` package (not typed by hand).

They feed dbt's `dim_admin_unit`: the legacy units of Hải Dương (province 30, its districts and communes,
valid until 2025-06-30) and the units of Hải Phòng after the 2025-07-01 reorganisation (province 31, communes
only) with the package's old→new crosswalk.
"""

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from kho06.simulator.geography import (
    LEGACY_PROVINCE_CODE,
    LEGACY_PROVINCE_NAME,
    NEW_PROVINCE_CODE,
    NEW_PROVINCE_NAME,
    REORGANISATION_DATE,
    load_geography,
)


def provinces_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "province_code": [LEGACY_PROVINCE_CODE, NEW_PROVINCE_CODE],
            "province_name": [LEGACY_PROVINCE_NAME, NEW_PROVINCE_NAME],
            "valid_from": ["1900-01-01", REORGANISATION_DATE],
            "valid_to": [REORGANISATION_DATE, "9999-12-31"],
        }
    ).with_columns(pl.col("valid_from").str.to_date(), pl.col("valid_to").str.to_date())


DESCRIPTIONS = {
    "provinces": "The province before (Hải Dương, 30) and after (Hải Phòng, 31) the 2025-07-01 reorganisation.",
    "legacy_districts": "The 12 district-level units of Hải Dương (province 30) before 2025-07-01.",
    "legacy_communes": "The communes of Hải Dương with codes, centroids and bounding boxes before 2025-07-01.",
    "communes_2025": "The commune-level units of Hải Phòng (province 31) from 2025-07-01.",
    "commune_crosswalk_2025": "Legacy commune → 2025 commune(s); a split commune has one default successor.",
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
    geo = load_geography()
    frames = {
        "provinces": provinces_frame(),
        "legacy_districts": geo.districts,
        "legacy_communes": geo.communes.drop("commune_key"),
        "communes_2025": geo.new_communes,
        "commune_crosswalk_2025": geo.crosswalk,
    }
    with duckdb.get_connection() as con:
        con.execute("create schema if not exists reference")
        for name, frame in frames.items():
            con.register("_frame", frame)
            con.execute(f"create or replace table reference.{name} as select * from _frame")
            con.unregister("_frame")
            yield dg.MaterializeResult(
                asset_key=["reference", name], metadata={"dagster/row_count": len(frame)}
            )
