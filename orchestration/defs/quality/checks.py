"""Every quality rule as a Dagster asset check on the asset it validates (a landing table, or a mart for the
rules across feeds), with its severity: a failed critical rule is an ERROR check, a failed warn rule a WARN
check. The checks report what the quality stage recorded for the run in dq.check_results; none of them blocks
anything downstream."""

import json

import dagster as dg
import duckdb

from kho06.quality import catalogue
from kho06.quality.catalogue import Rule
from kho06.settings import get_settings
from orchestration.defs.quality.run_id import pipeline_run_id

SEVERITY = {"critical": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}
RESULTS = dg.AssetKey(["dq", "check_results"])


def _key(rule: Rule) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(dg.AssetKey(rule.asset.split("/")), rule.name)


def _spec(rule: Rule) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=rule.name,
        asset=dg.AssetKey(rule.asset.split("/")),
        description=f"{rule.id} [{rule.criterion}, {rule.severity}] {rule.description_vi} — {rule.description_en}",
        additional_deps=[RESULTS],
        metadata={"rule_id": rule.id, "criterion": rule.criterion, "severity": rule.severity},
    )


def _results(run_id: str, feed: str) -> dict[str, tuple]:
    with duckdb.connect(str(get_settings().duckdb_path), read_only=False) as con:
        rows = con.execute(
            "select rule_id, evaluated_records, failed_records, passed, sample, error from dq.check_results "
            "where run_id = ? and feed = ?",
            [run_id, feed],
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def rule_checks(feed: str, rules: list[Rule]) -> dg.AssetChecksDefinition:
    by_key = {_key(r): r for r in rules}

    @dg.multi_asset_check(specs=[_spec(r) for r in rules], name=f"quality_rules_{feed}", can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext):
        results = _results(pipeline_run_id(context), feed)
        for key in sorted(context.selected_asset_check_keys, key=str):
            rule = by_key[key]
            evaluated, failed, passed, sample, error = results.get(rule.id, (None, None, None, "[]", None))
            yield dg.AssetCheckResult(
                asset_key=key.asset_key,
                check_name=key.name,
                passed=bool(passed),
                severity=SEVERITY[rule.severity],
                description=error or (f"{failed:,} of {evaluated:,} records fail" if failed else "passes"),
                metadata={
                    "evaluated_records": evaluated if evaluated is not None else -1,
                    "failed_records": failed if failed is not None else -1,
                    "criterion": rule.criterion,
                    "sample": dg.MetadataValue.json(json.loads(sample or "[]")),
                    "query": dg.MetadataValue.md(f"```sql\n{rule.failing_rows_query()}\n```"),
                    **({"not_evaluated": error} if error else {}),
                },
            )

    return _checks


quality_checks = [rule_checks(feed, rules) for feed, rules in catalogue.by_feed(catalogue.load()).items()]
