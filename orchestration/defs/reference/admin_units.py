"""Reference tables of administrative units, from the `vietnamadminunits` package (not typed by hand).

They feed dbt's `dim_admin_unit`: the legacy units of Hải Dương (province 30, its districts and communes,
valid until 2025-06-30) and the units of Hải Phòng after the 2025-07-01 reorganisation (province 31, communes
only) with the package's old→new crosswalk.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.simulator.geography import load_geography

DESCRIPTIONS = {
    "legacy_districts": "The 12 district-level units of Hải Dương (province 30) before 2025-07-01.",
    "legacy_communes": "The communes of Hải Dương with codes, centroids and bounding boxes before 2025-07-01.",
    "communes_2025": "The commune-level units of Hải Phòng (province 31) from 2025-07-01.",
    "commune_crosswalk_2025": "Legacy commune → 2025 commune(s); a split commune has one default successor.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["reference", name], description=text, group_name="reference", kinds={"duckdb", "python"})
        for name, text in DESCRIPTIONS.items()
    ],
)
def admin_units(duckdb: DuckDBResource):
    geo = load_geography()
    frames = {
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
            yield dg.MaterializeResult(asset_key=["reference", name], metadata={"dagster/row_count": len(frame)})
