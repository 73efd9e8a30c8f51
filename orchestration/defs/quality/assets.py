"""The quality stage as Dagster assets: `dq/*` (the run's results history), after every check model is built.

The `dq` multi-asset runs the Great Expectations suites of the rule catalogue over the check models and writes
the run's rows of dq.runs, dq.check_results, dq.rule_failures (read through the view dq.failed_records) and
dq.scores (kho06.quality.stage). A data defect never fails it; only a broken stage does. What dbt held back in
this run (models not built because an error-level test of a model they depend on failed) is read from
dq.held_back (written by the dbt assets).
"""

from datetime import datetime

import dagster as dg

from kho06.quality import catalogue, stage
from kho06.quality.held_back import held_back_nodes
from kho06.settings import get_settings
from orchestration.defs.quality.run_id import earlier_stage_failed, pipeline_run_id

DQ_TABLES = {
    "runs": "One row per pipeline run: status, as-of date, what was held back.",
    "check_results": "One row per quality rule per run: evaluated and failed records, masked sample, the SQL.",
    "failed_records": (
        "One row per failing record per rule per run, with its commune, district, agency, operator (a view: each "
        "evaluation's records are stored once, in dq.rule_failures)."
    ),
    "scores": "Per run, feed and criterion: the share of the feed's records that pass every rule of the criterion.",
}
CHECK_MODEL_KEYS = sorted(
    {dg.AssetKey([catalogue.CHECKS_SCHEMA, r.check_model]) for r in catalogue.load()}, key=str
)


def _run_started_at(context: dg.AssetExecutionContext) -> datetime:
    record = context.instance.get_run_record_by_id(context.run_id)
    if record is not None and record.start_time:
        return datetime.fromtimestamp(record.start_time)
    return datetime.now()


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["dq", name],
            description=text,
            group_name="quality",
            kinds={"duckdb", "python"},
            deps=CHECK_MODEL_KEYS,
        )
        for name, text in DQ_TABLES.items()
    ],
    name="quality_stage",
)
def quality_stage(context: dg.AssetExecutionContext):
    settings = get_settings()
    run_id = pipeline_run_id(context)
    held_back = held_back_nodes(settings.duckdb_path, run_id)
    result = stage.run(
        settings.duckdb_path,
        run_id,
        _run_started_at(context),
        held_back=held_back,
        run_failed=earlier_stage_failed(context),
    )
    failing = result.failing
    not_evaluated: dict[str, list[str]] = {}
    for item in result.not_evaluated:
        not_evaluated.setdefault(item.error or "not evaluated", []).append(item.rule.id)
    for reason, rule_ids in not_evaluated.items():
        context.log.warning(f"{len(rule_ids)} rules not evaluated: {reason} ({', '.join(rule_ids[:5])} ...)")
    if failing:
        worst = sorted(failing, key=lambda r: -(r.failed or 0))[:10]
        context.log.info(
            f"{len(failing)} of {len(result.rules)} rules found failing records; most: "
            + ", ".join(f"{r.rule.id} {r.failed:,}" for r in worst)
        )
    for name in DQ_TABLES:
        yield dg.MaterializeResult(
            asset_key=["dq", name],
            metadata={
                "run_id": run_id,
                "rules": len(result.rules),
                "rules_failing": len(failing),
                "rules_not_evaluated": len(result.not_evaluated),
                "held_back": dg.MetadataValue.json(held_back),
                "seconds": dg.MetadataValue.json({k: round(v, 2) for k, v in result.seconds.items()}),
            },
        )
