"""Builds the Dagster asset for one landing table, with its row-conservation and refused-file checks."""

import os
import warnings

import dagster as dg
from dagster_duckdb import DuckDBResource

from kho06.landing.contract import TableContract
from kho06.landing.ledger_summary import conservation_failures, outstanding_refusals
from kho06.landing.loader import FileOutcome, land
from kho06.settings import get_settings
from orchestration.defs.landing import freshness
from orchestration.defs.landing.partitions import daily, day_range

PROGRESS_EVERY = 100
# single-run backfills of daily partitions are what the daily feeds need; the parameter is marked beta
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


def landing_asset(contract: TableContract) -> dg.AssetsDefinition:
    key = dg.AssetKey(["landing", contract.table])

    @dg.asset(
        key=key,
        group_name=f"landing_{contract.feed}",
        kinds={"duckdb", "python"},
        description=contract.description,
        partitions_def=daily if contract.daily else None,
        backfill_policy=dg.BackfillPolicy.single_run() if contract.daily else None,
        check_specs=[
            dg.AssetCheckSpec(
                "rows_conserved",
                asset=key,
                description="Every file: rows read = rows landed + rows quarantined.",
            ),
            dg.AssetCheckSpec(
                "no_refused_files",
                asset=key,
                description="No delivered file is left refused (unreadable, incomplete, a duplicate, a day the "
                "partitions cannot hold) or deferred (still being written).",
            ),
        ],
        metadata={"raw_pattern": contract.pattern, "format": contract.fmt},
        freshness_policy=freshness.policy(contract.table),
    )
    def _landing(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
        raw_dir = get_settings().raw_dir
        days = day_range(context) if contract.daily else None
        seen = {"n": 0}

        def on_file(outcome: FileOutcome) -> None:
            seen["n"] += 1
            if (
                outcome.status in ("rejected", "duplicate", "deferred")
                and outcome.message != "refused earlier; unchanged since"
            ):
                context.log.error(f"{outcome.source_file}: {outcome.status}: {outcome.message}")
            elif outcome.warnings:
                context.log.warning(f"{outcome.source_file}: {'; '.join(outcome.warnings)}")
            if seen["n"] % PROGRESS_EVERY == 0:
                context.log.info(f"{contract.table}: {seen['n']} files inspected")

        with duckdb.get_connection() as con:
            outcomes = land(con, contract, raw_dir, days, on_file=on_file)
            broken = conservation_failures(con, contract.table)
            refused = [
                r for r in outstanding_refusals(con, contract.table) if os.path.lexists(raw_dir / r["file"])
            ]
            total = con.execute(f"select count(*) from landing.{contract.table}").fetchone()[0]
        by_status: dict[str, int] = {}
        for o in outcomes:
            by_status[o.status] = by_status.get(o.status, 0) + 1
        yield dg.MaterializeResult(
            metadata={
                "files": dg.MetadataValue.json(by_status),
                "rows_landed_now": sum(o.rows_landed for o in outcomes),
                "rows_quarantined_now": sum(o.rows_quarantined for o in outcomes),
                "dagster/row_count": total,
            }
        )
        yield dg.AssetCheckResult(
            check_name="rows_conserved",
            passed=not broken,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"failing_files": len(broken), "failures": dg.MetadataValue.json(broken[:20])},
        )
        yield dg.AssetCheckResult(
            check_name="no_refused_files",
            passed=not refused,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"refused": dg.MetadataValue.json(refused[:50])},
        )

    return _landing
