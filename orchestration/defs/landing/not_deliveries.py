"""The files under raw/ that are not deliveries, recorded in the load ledger with their reason (see
kho06.landing.not_deliveries), and a check that warns while there are any."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.landing.not_deliveries import record_not_deliveries
from kho06.landing.survey import survey
from kho06.settings import get_settings

KEY = dg.AssetKey(["landing", "not_deliveries"])


@dg.asset(
    key=KEY,
    group_name="landing",
    kinds={"duckdb", "python"},
    description="Every file under raw/ that is not a delivery of any contract (a link, a hidden, temporary or "
    "partial file, a name or folder no contract has), listed in landing.load_ledger with status 'ignored' "
    "and the reason.",
    check_specs=[
        dg.AssetCheckSpec(
            "no_stray_files",
            asset=KEY,
            description="Every file under raw/ is a delivery (or raw/README.md, raw/_truth/).",
        )
    ],
)
def not_deliveries(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    found = survey(get_settings().raw_dir)
    with duckdb.get_connection() as con:
        files, new = record_not_deliveries(con, found)
    for f in new:
        context.log.warning(f"{f.rel}: not a delivery: {f.reason}")
    listed = [{"file": f.rel, "feed": f.feed, "reason": f.reason} for f in files]
    yield dg.MaterializeResult(metadata={"files": len(files), "recorded_now": len(new)})
    yield dg.AssetCheckResult(
        check_name="no_stray_files",
        passed=not files,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"files": dg.MetadataValue.json(listed[:50])},
    )
