"""The published warehouse as a Dagster asset: `publish/warehouse`, the file analysts open (`<warehouse>/kho06.duckdb`).

It runs last, after the quality stage and the report: the marts, the reference tables and the quality results are
copied out of the build database into a new file that replaces the published one in one rename
(kho06.publish), so an analyst's read-only connection never blocks a run, and never sees a half-built warehouse.
"""

import dagster as dg

from kho06.publish import publish
from kho06.settings import get_settings
from orchestration.defs.quality.assets import DQ_TABLES

UPSTREAM = [dg.AssetKey(["report", "site"]), *(dg.AssetKey(["dq", name]) for name in DQ_TABLES)]


@dg.asset(
    key=["publish", "warehouse"],
    deps=UPSTREAM,
    group_name="publish",
    kinds={"duckdb"},
    description="The warehouse analysts read: the marts, reference tables and quality results of the build, "
    "copied into a new DuckDB file and swapped into place atomically (no landing, staging or personal data).",
)
def publish_warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = get_settings()
    result = publish(settings.duckdb_path, settings.published_path)
    context.log.info(
        f"published {len(result.tables)} tables ({result.rows:,} rows, {result.mib:.1f} MiB) to {result.path} "
        f"in {result.seconds:.2f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "size_mib": round(result.mib, 2),
            "tables_copied": len(result.tables),
            "views": len(result.views),
            "rows": result.rows,
            "seconds": round(result.seconds, 3),
        }
    )
