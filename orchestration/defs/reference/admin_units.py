"""Reference tables of administrative units, from the `vietnamadminunits` package (not typed by hand).

They feed dbt's `dim_admin_unit`: the legacy units of Hải Dương (province 30, its districts and communes,
valid until 2025-06-30) and the units of Hải Phòng after the 2025-07-01 reorganisation (province 31, communes
only) with the package's old→new crosswalk.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.simulator.geography import load_geography

TABLES = ("legacy_districts", "legacy_communes", "communes_2025", "commune_crosswalk_2025")


@dg.asset(
    key=dg.AssetKey(["reference", "admin_units"]),
    group_name="reference",
    kinds={"duckdb", "python"},
    description="Administrative units before and after 2025-07-01, with the old→new commune crosswalk.",
)
def admin_units(duckdb: DuckDBResource) -> dg.MaterializeResult:
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
    return dg.MaterializeResult(metadata={name: len(frame) for name, frame in frames.items()})
