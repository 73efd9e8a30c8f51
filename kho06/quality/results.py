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


def _per_record(model_rules: list[Rule]) -> str:
    """One row per record key of a check model: each rule's column or-ed over the key's rows (null when the rule
    applies to none of them). A repeated key (a dossier synced twice, a cell written twice) counts once."""
    columns = ", ".join(f"bool_or({r.column}) as r{i}" for i, r in enumerate(model_rules))
    return f"select record_key, {columns} from {model_rules[0].check_table} group by record_key"


def counts_sql(model_rules: list[Rule]) -> str:
    """One scan of a check model: per rule, the records evaluated and failed (columns e<i>, f<i>), and per
    criterion the records failing at least one of its rules (c<j>), and the records (`records`)."""
    criteria = sorted({r.criterion for r in model_rules})
    rules = ", ".join(
        f"count(r{i}) as e{i}, coalesce(count_if(r{i}), 0) as f{i}" for i in range(len(model_rules))
    )
    by_criterion = ", ".join(
        "coalesce(count_if("
        + " or ".join(f"coalesce(r{i}, false)" for i, r in enumerate(model_rules) if r.criterion == c)
        + f"), 0) as c{j}"
        for j, c in enumerate(criteria)
    )
    return f"select count(*) as records, {rules}, {by_criterion} from ({_per_record(model_rules)})"


def grouped(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    return check_models(tuple(rules))
