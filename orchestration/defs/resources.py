"""The one DuckDB file of the build, placed by KHO06_WAREHOUSE_DIR (see kho06.settings)."""

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.settings import get_settings


def duckdb_resource() -> DuckDBResource:
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    # dbt's profiles.yml reads the same path
    os.environ.setdefault("KHO06_DUCKDB_PATH", str(settings.duckdb_path))
    return DuckDBResource(database=str(settings.duckdb_path))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"duckdb": duckdb_resource()}, executor=dg.in_process_executor)
