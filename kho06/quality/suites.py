"""Great Expectations suites generated from the rule catalogue: one suite per feed (and one for the rules across
feeds), one `UnexpectedRowsExpectation` per rule, validated as SQL inside DuckDB.

An expectation's query is the rule's own `applies_to` and `fails_when` over its check model
(`Rule.failing_rows_query`): GX counts the failing rows and returns the first of them as the masked sample.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from pathlib import Path

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from kho06.quality import gx_duckdb
from kho06.quality.catalogue import CHECKS_SCHEMA, Rule, by_feed
from kho06.quality.outcome import Outcome, sample

GX_SEVERITY = {"critical": FailureSeverity.CRITICAL, "warn": FailureSeverity.WARNING}


def suite_name(feed: str) -> str:
    return f"kho06.{feed}"


def build_suite(feed: str, rules: Iterable[Rule]) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=suite_name(feed))
    with contextlib.redirect_stdout(io.StringIO()):  # GX's reminder about `{batch}` (see validate)
        for rule in rules:
            suite.add_expectation(
                gx.expectations.UnexpectedRowsExpectation(
                    unexpected_rows_query=rule.failing_rows_query().replace("{", "{{").replace("}", "}}"),
                    description=f"{rule.id}: {rule.description_en}",
                    severity=GX_SEVERITY[rule.severity],
                    meta={"rule_id": rule.id, "criterion": rule.criterion, "severity": rule.severity},
                )
            )
    return suite


def validate(duckdb_path: Path, rules: Iterable[Rule], existing_tables: set[str]) -> dict[str, Outcome]:
    """Run every feed's suite over the DuckDB file; rules whose check table was not built are not run."""
    rules = tuple(rules)
    outcomes = {r.id: Outcome(r) for r in rules}
    for rule in rules:
        if rule.check_model not in existing_tables:
            outcomes[rule.id].error = f"check table {rule.check_table} was not built in this run (held back)"
    # GX prints a reminder about `{batch}` whenever it builds one of these expectations (the queries name their
    # check tables: a feed's rules read several): not meant for this use, and kept out of the run's output
    with contextlib.redirect_stdout(io.StringIO()), gx_duckdb.context(duckdb_path) as (ctx, source):
        for feed, feed_rules in by_feed(rules).items():
            runnable = [r for r in feed_rules if r.check_model in existing_tables]
            if not runnable:
                continue
            asset = source.add_table_asset(
                name=f"{feed}_checks", table_name=runnable[0].check_model, schema_name=CHECKS_SCHEMA
            )
            batch = asset.add_batch_definition_whole_table("whole")
            suite = ctx.suites.add(build_suite(feed, runnable))
            definition = ctx.validation_definitions.add(
                gx.ValidationDefinition(name=f"kho06.{feed}.nightly", data=batch, suite=suite)
            )
            with contextlib.redirect_stdout(
                io.StringIO()
            ):  # the same reminder, printed again while validating
                result = definition.run(result_format="COMPLETE")
            for res in result.results:
                config = res.expectation_config
                if config is None or not config.meta:
                    continue
                outcome = outcomes[config.meta["rule_id"]]
                error = _raised(res.exception_info)
                if error:
                    outcome.error = error
                    continue
                outcome.failing_rows = int(res.result.get("observed_value") or 0)
                outcome.sample = sample(res.result.get("details", {}).get("unexpected_rows", []) or [])
    return outcomes


def _raised(info: dict | None) -> str | None:
    """The first error GX caught while resolving an expectation's metrics (its exception_info is either one
    record or a record per metric)."""
    if not info:
        return None
    records = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for record in records:
        if record.get("raised_exception"):
            return (record.get("exception_message") or "could not be evaluated").splitlines()[0]
    return None
