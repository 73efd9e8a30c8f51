"""The one DuckDB file of the build, placed by KHO06_WAREHOUSE_DIR (see kho06.settings).

A Dagster run holds the warehouse lock (orchestration.run_lock) while it runs: a run started while `kho06 run` or
another run writes the build database waits for it (up to `LOCK_WAIT_SECONDS`, then fails in one line and is
retried by the instance's run retries) instead of failing on DuckDB's file lock.
"""

import os
from contextlib import contextmanager

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.settings import get_settings
from orchestration.run_lock import WarehouseBusy, warehouse_lock

LOCK_WAIT_SECONDS = 30 * 60


class WarehouseResource(DuckDBResource):
    """DuckDB's resource, holding the warehouse lock for the run."""

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        run = context.run
        what = f"Dagster run {run.run_id[:8]} of {run.job_name}" if run else "a Dagster run"
        log = context.log
        try:
            with warehouse_lock(what, LOCK_WAIT_SECONDS, on_wait=log.info if log else None):
                yield self
        except WarehouseBusy as busy:
            raise dg.Failure(str(busy)) from None


def duckdb_resource() -> WarehouseResource:
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    # dbt's profiles.yml reads the same path
    os.environ.setdefault("KHO06_DUCKDB_PATH", str(settings.duckdb_path))
    return WarehouseResource(database=str(settings.duckdb_path))


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"duckdb": duckdb_resource()}, executor=dg.in_process_executor)
