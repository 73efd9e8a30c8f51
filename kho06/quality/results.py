"""SQL over the check models' rule columns: the failing records of every rule and the counts behind
dq.check_results and dq.scores, computed inside DuckDB (one scan per check model for the counts)."""

from __future__ import annotations

from collections.abc import Iterable

from kho06.quality.catalogue import LOCATION_COLUMNS, Rule, check_models
from kho06.warehouse.sql import literal as _literal


def failed_records_sql(rules: Iterable[Rule]) -> str:
    """(feed, rule_id, criterion, record_key, <location columns>) of every failing record of every rule."""
    parts = [
        f"select distinct {_literal(r.feed)} as feed, {_literal(r.id)} as rule_id, {_literal(r.criterion)} as criterion, "
        f"record_key, {', '.join(LOCATION_COLUMNS)} from {r.check_table} where {r.column}"
        for r in rules
    ]
    return "\nunion all\n".join(parts)


def counts_sql(model_rules: list[Rule]) -> str:
    """One pass over a check model: per rule, the records it evaluated and failed (columns e<i>, f<i>), counted
    as distinct record keys. The rows of a repeated key (a dossier synced twice, a cell written twice) are or-ed
    together first; the rows of the other keys — nearly all — are counted as they are."""
    table = model_rules[0].check_table
    columns = [r.column for r in model_rules]
    repeated = f"select record_key from {table} group by record_key having count(*) > 1"
    per_record = (
        f"select {', '.join(columns)} from {table} where record_key not in ({repeated}) "
        f"union all select {', '.join(f'bool_or({c})' for c in columns)} from {table} "
        f"where record_key in ({repeated}) group by record_key"
    )
    aggregates = ", ".join(
        f"count({c}) as e{i}, coalesce(count_if({c}), 0) as f{i}" for i, c in enumerate(columns)
    )
    return f"select {aggregates} from ({per_record})"


def grouped(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    return check_models(tuple(rules))
