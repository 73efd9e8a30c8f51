"""SQL over the check models' rule columns: the failing records of every rule and the counts behind
dq.check_results and dq.scores, computed inside DuckDB (one scan per check model for the counts)."""

from __future__ import annotations

from collections.abc import Iterable

from kho06.quality.catalogue import LOCATION_COLUMNS, Rule, check_models


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def failed_records_sql(rules: Iterable[Rule]) -> str:
    """(feed, rule_id, criterion, record_key, <location columns>) of every failing record of every rule."""
    parts = [
        f"select distinct {_literal(r.feed)} as feed, {_literal(r.id)} as rule_id, {_literal(r.criterion)} as criterion, "
        f"record_key, {', '.join(LOCATION_COLUMNS)} from {r.check_table} where {r.column}"
        for r in rules
    ]
    return "\nunion all\n".join(parts)


def rule_counts_sql(model_rules: list[Rule]) -> str:
    """One row per rule of one check model: evaluated and failed records (distinct record keys)."""
    table = model_rules[0].check_table
    aggregates = ", ".join(
        f"count(distinct case when {r.column} is not null then record_key end) as e{i}, "
        f"count(distinct case when {r.column} then record_key end) as f{i}"
        for i, r in enumerate(model_rules)
    )
    rows = " union all ".join(
        f"select {_literal(r.id)} as rule_id, e{i} as evaluated_records, f{i} as failed_records from counts"
        for i, r in enumerate(model_rules)
    )
    return f"with counts as (select {aggregates} from {table}) {rows}"


def score_counts_sql(model_rules: list[Rule]) -> str:
    """Per feed and criterion of one check model of records: its records, and those failing at least one rule of
    the criterion (a record a rule does not apply to passes it). Empty for a model of deliveries."""
    table = model_rules[0].check_table
    by_criterion: dict[tuple[str, str], list[Rule]] = {}
    for rule in model_rules:
        by_criterion.setdefault((rule.feed, rule.criterion), []).append(rule)
    parts = []
    for (feed, criterion), rules in by_criterion.items():
        failed = " or ".join(f"coalesce({r.column}, false)" for r in rules)
        parts.append(
            f"select {_literal(feed)} as feed, {_literal(criterion)} as criterion, "
            f"count(distinct record_key) as evaluated_records, "
            f"count(distinct case when {failed} then record_key end) as failed_records from {table}"
        )
    return " union all ".join(parts)


def grouped(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    return check_models(tuple(rules))
