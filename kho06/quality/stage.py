"""The quality stage of a run: validate every rule of the catalogue and write the run's rows of `dq.*`.

1. Great Expectations runs each feed's suite over the check models (kho06.quality.suites): failing rows and a
   masked sample per rule.
2. DuckDB counts, in one scan per check model, the records each rule evaluated and failed, and the records per
   feed and criterion behind the scores; the failing records are copied into dq.failed_records in the engine.
3. The run's rows of dq.runs, dq.check_results, dq.failed_records and dq.scores are written in one transaction.

A data defect never fails the stage: it is a result. Only a broken stage (the warehouse cannot be opened, the
catalogue is invalid) raises.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import yaml

from kho06.quality import catalogue, results, schema, suites
from kho06.quality.catalogue import CHECKS_SCHEMA, Rule
from kho06.settings import PROJECT_ROOT


@dataclass
class RuleResult:
    rule: Rule
    evaluated: int | None
    failed: int | None
    sample: str
    error: str | None

    @property
    def passed(self) -> bool | None:
        return None if self.failed is None else self.failed == 0


@dataclass
class StageResult:
    run_id: str
    rules: list[RuleResult]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def failing(self) -> list[RuleResult]:
        return [r for r in self.rules if r.passed is False]

    @property
    def not_evaluated(self) -> list[RuleResult]:
        return [r for r in self.rules if r.passed is None]


def project_as_of_date() -> date:
    """The as-of date the dbt project reports on (its var `as_of_date`)."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))
    return date.fromisoformat(str(project["vars"]["as_of_date"]))


def existing_check_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [CHECKS_SCHEMA]
        ).fetchall()
    }


def _counts(con, rules: list[Rule], existing: set[str]) -> tuple[dict[str, tuple[int, int]], list[tuple]]:
    """(evaluated, failed) per rule id, and (feed, criterion, evaluated, failed) rows for the scores: one scan
    of each check model."""
    counts: dict[str, tuple[int, int]] = {}
    score_rows: list[tuple] = []
    for model, model_rules in results.grouped(rules).items():
        if model not in existing:
            continue
        row = con.execute(results.counts_sql(model_rules)).fetchone()
        values = dict(zip([d[0] for d in con.description], row, strict=True))
        for i, rule in enumerate(model_rules):
            counts[rule.id] = (int(values[f"e{i}"]), int(values[f"f{i}"]))
        if model_rules[0].scope == "records":
            for j, criterion in enumerate(sorted({r.criterion for r in model_rules})):
                score_rows.append(
                    (model_rules[0].feed, criterion, int(values["records"]), int(values[f"c{j}"]))
                )
    return counts, score_rows


def run(
    duckdb_path: Path,
    run_id: str,
    run_started_at: datetime,
    as_of_date: date | None = None,
    held_back: list[dict] | None = None,
    run_failed: bool = False,
    rules: tuple[Rule, ...] | None = None,
    validate: Callable[[Path, tuple[Rule, ...], set[str]], dict[str, suites.Outcome]] = suites.validate,
) -> StageResult:
    """Validate the catalogue's rules over the warehouse and record the run in dq.*. `validate` is Great
    Expectations (kho06.quality.suites); the benchmark passes the same queries as plain SQL instead."""
    rules = rules if rules is not None else catalogue.load()
    as_of_date = as_of_date or project_as_of_date()
    seconds: dict[str, float] = {}
    with duckdb.connect(str(duckdb_path)) as con:
        schema.ensure(con)
        existing = existing_check_tables(con)
    start = time.perf_counter()
    outcomes = validate(duckdb_path, rules, existing)
    seconds["validation"] = time.perf_counter() - start
    start = time.perf_counter()
    with duckdb.connect(str(duckdb_path)) as con:
        counts, score_rows = _counts(con, list(rules), existing)
        rule_results = []
        for rule in rules:
            outcome = outcomes[rule.id]
            evaluated, failed = counts.get(rule.id, (None, None))
            error = outcome.error
            if error is None and failed is not None and ((outcome.failing_rows or 0) > 0) != (failed > 0):
                error = (
                    f"Great Expectations found {outcome.failing_rows} failing rows, the rule column {failed}"
                )
            rule_results.append(RuleResult(rule, evaluated, failed, suites.sample_json(outcome), error))
        _write(
            con,
            run_id,
            run_started_at,
            as_of_date,
            held_back or [],
            run_failed,
            rule_results,
            score_rows,
            [r for r in rules if r.check_model in existing],
        )
    seconds["records_and_scores"] = time.perf_counter() - start
    return StageResult(run_id, rule_results, seconds)


def _status(run_failed: bool, held_back: list[dict], rule_results: list[RuleResult]) -> str:
    if run_failed:
        return "failed"
    if held_back or any(r.passed is not True for r in rule_results):
        return "completed_with_failures"
    return "completed"


def _write(
    con, run_id, started, as_of, held_back, run_failed, rule_results, score_rows, evaluated_rules
) -> None:
    now = datetime.now()
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into {schema.SCHEMA}.runs values (?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                started,
                now,
                _status(run_failed, held_back, rule_results),
                as_of,
                json.dumps(held_back, ensure_ascii=False),
                None,
            ],
        )
        con.executemany(
            f"insert into {schema.SCHEMA}.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run_id,
                    started,
                    r.rule.feed,
                    r.rule.asset,
                    r.rule.check_table,
                    r.rule.id,
                    r.rule.criterion,
                    r.rule.severity,
                    r.evaluated,
                    r.failed,
                    r.passed,
                    r.rule.description_vi,
                    r.rule.description_en,
                    r.sample,
                    r.rule.failing_rows_query(),
                    r.error,
                ]
                for r in rule_results
            ],
        )
        if evaluated_rules:
            con.execute(
                f"insert into {schema.SCHEMA}.failed_records select ?, * from ({results.failed_records_sql(evaluated_rules)})",
                [run_id],
            )
        scores: dict[tuple[str, str], list[int]] = {}
        for feed, criterion, evaluated, failed in score_rows:
            total = scores.setdefault((feed, criterion), [0, 0])
            total[0] += int(evaluated)
            total[1] += int(failed)
        con.executemany(
            f"insert into {schema.SCHEMA}.scores values (?, ?, ?, ?, ?, ?, ?)",
            [
                [run_id, started, feed, criterion, ev, fa, (100.0 * (ev - fa) / ev) if ev else None]
                for (feed, criterion), (ev, fa) in sorted(scores.items())
            ],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
