"""The quality stage of a run: validate every rule of the catalogue and write the run's rows of `dq.*`.

1. Each check model's content is fingerprinted (its records and a hash of every row). A model whose content is
   the same as when an earlier run evaluated it gives the same results: those rules' results and failing records
   are carried over from that run (`evaluated_in_run` names it) instead of being computed again — a nightly run
   evaluates again only what the night changed.
2. Great Expectations runs each feed's suite over the other rules (kho06.quality.suites): failing rows and a
   masked sample per rule.
3. DuckDB counts, in one scan per check model, the records each rule evaluated and failed; the failing records
   are copied into dq.rule_failures in the engine; the scores are counted from them (dq.failed_records: the
   records of each rule's evaluation, this run's or the earlier one its results are carried from).
4. The run's rows of dq.runs, dq.check_results, dq.rule_failures and dq.scores are written in one transaction.

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

from kho06.quality import catalogue, results, schema
from kho06.quality.catalogue import CHECKS_SCHEMA, Rule
from kho06.quality.outcome import Outcome, sample_json
from kho06.settings import PROJECT_ROOT
from kho06.warehouse.sql import content

Validator = Callable[[Path, tuple[Rule, ...], set[str]], dict[str, Outcome]]


@dataclass
class RuleResult:
    rule: Rule
    evaluated: int | None
    failed: int | None
    sample: str
    error: str | None
    evaluated_in_run: str | None = None

    @property
    def passed(self) -> bool | None:
        return None if self.failed is None or self.error else self.failed == 0


@dataclass
class StageResult:
    run_id: str
    rules: list[RuleResult]
    seconds: dict[str, float] = field(default_factory=dict)
    carried_models: list[str] = field(default_factory=list)

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


def _fingerprint(con, model: str) -> tuple[int, str]:
    """(records, fingerprint) of a check model: its row count and the sum of a hash of every row."""
    records, total = content(con, f"{CHECKS_SCHEMA}.{model}")
    return records, f"{records}:{total}"


def _carried(
    con, model: str, fingerprint: str, model_rules: list[Rule]
) -> tuple[str | None, dict[str, tuple]]:
    """The latest run that evaluated the model with this very content, and its results of the model's rules
    whose SQL is unchanged since: rule id → (evaluated, failed, sample)."""
    row = con.execute(
        f"select evaluated_in_run from {schema.SCHEMA}.check_results where check_table = ? and table_fingerprint = ? "
        "and error is null and evaluated_in_run is not null order by run_started_at desc limit 1",
        [f"{CHECKS_SCHEMA}.{model}", fingerprint],
    ).fetchone()
    if row is None:
        return None, {}
    queries = {r.id: r.failing_rows_query() for r in model_rules}
    previous = con.execute(
        f"select rule_id, evaluated_records, failed_records, sample, query from {schema.SCHEMA}.check_results "
        "where run_id = ? and check_table = ? and error is null",
        [row[0], f"{CHECKS_SCHEMA}.{model}"],
    ).fetchall()
    return row[0], {r: (e, f, s) for r, e, f, s, q in previous if queries.get(r) == q}


def _counts(con, model_rules: list[Rule]) -> dict[str, tuple[int, int]]:
    """(evaluated, failed) per rule of one check model, in one scan."""
    row = con.execute(results.counts_sql(model_rules)).fetchone()
    values = dict(zip([d[0] for d in con.description], row, strict=True))
    return {rule.id: (int(values[f"e{i}"]), int(values[f"f{i}"])) for i, rule in enumerate(model_rules)}


def run(
    duckdb_path: Path,
    run_id: str,
    run_started_at: datetime,
    as_of_date: date | None = None,
    held_back: list[dict] | None = None,
    run_failed: bool = False,
    rules: tuple[Rule, ...] | None = None,
    validate: Validator | None = None,
    carry: bool = True,
) -> StageResult:
    """Validate the catalogue's rules over the warehouse and record the run in dq.*. `validate` is Great
    Expectations (kho06.quality.suites) unless given: the benchmark passes the same queries as plain SQL. With
    `carry`, the rules of a check model unchanged since an earlier evaluation take that evaluation's results."""
    rules = rules if rules is not None else catalogue.load()
    as_of_date = as_of_date or project_as_of_date()
    by_model = results.grouped(rules)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    with duckdb.connect(str(duckdb_path)) as con:
        schema.ensure(con)
        # a check model dbt did not build in this run still holds an earlier run's rows: not this run's results
        not_built = {n["node"].rsplit(".", 1)[-1] for n in held_back or []}
        existing = existing_check_tables(con) - not_built
        tables = {m: _fingerprint(con, m) for m in by_model if m in existing}
        carried: dict[str, tuple[str | None, tuple]] = {}
        carried_models = []
        if carry:
            for model, (_records, fingerprint) in tables.items():
                source, previous = _carried(con, model, fingerprint, by_model[model])
                if previous:
                    carried_models.append(model)
                carried |= {rule_id: (source, values) for rule_id, values in previous.items()}
    seconds["fingerprints"] = time.perf_counter() - start
    fresh = tuple(r for r in rules if r.id not in carried)
    start = time.perf_counter()
    if validate is None:
        from kho06.quality import suites  # Great Expectations: seconds to import, imported when it runs

        validate = suites.validate
    outcomes = validate(duckdb_path, fresh, existing)
    seconds["validation"] = time.perf_counter() - start
    start = time.perf_counter()
    with duckdb.connect(str(duckdb_path)) as con:
        counts: dict[str, tuple[int, int]] = {}
        for model, model_rules in results.grouped(fresh).items():
            if model in existing:
                counts |= _counts(con, model_rules)
        rule_results = []
        for rule in rules:
            if rule.id in carried:
                source, (evaluated, failed, sample) = carried[rule.id]
                rule_results.append(RuleResult(rule, evaluated, failed, sample, None, source))
                continue
            outcome = outcomes[rule.id]
            evaluated, failed = counts.get(rule.id, (None, None))
            error = outcome.error
            if error is None and failed is not None and ((outcome.failing_rows or 0) > 0) != (failed > 0):
                error = (
                    f"Great Expectations found {outcome.failing_rows} failing rows, the rule column {failed}"
                )
            rule_results.append(
                RuleResult(rule, evaluated, failed, sample_json(outcome), error, None if error else run_id)
            )
        _write(con, run_id, run_started_at, as_of_date, held_back or [], run_failed, rule_results, tables,
               [r for r in fresh if r.check_model in existing])  # fmt: skip
    seconds["records_and_scores"] = time.perf_counter() - start
    return StageResult(run_id, rule_results, seconds, carried_models)


def _status(run_failed: bool, held_back: list[dict], rule_results: list[RuleResult]) -> str:
    if run_failed:
        return "failed"
    if held_back or any(r.passed is not True for r in rule_results):
        return "completed_with_failures"
    return "completed"


def _scores_sql(record_models: list[str]) -> str:
    """Per feed and criterion: the records of the feed's check models of records, and those failing at least one
    rule of the criterion (docs/quality.md), from this run's check results and failing records."""
    models = ", ".join(f"'{CHECKS_SCHEMA}.{m}'" for m in record_models) or "''"
    return f"""
        with rules as (
            select rule_id, feed, criterion, check_table, table_records from {schema.SCHEMA}.check_results
            where run_id = $run and error is null and check_table in ({models})),
        tables as (select distinct feed, criterion, check_table, table_records from rules),
        failing as (
            select r.feed, r.criterion, r.check_table, count(distinct f.record_key) as failed
            from {schema.SCHEMA}.failed_records as f join rules as r on r.rule_id = f.rule_id
            where f.run_id = $run group by all)
        select $run, $started, t.feed, t.criterion, sum(t.table_records), sum(coalesce(failing.failed, 0)),
               case when sum(t.table_records) > 0
                   then 100.0 * (sum(t.table_records) - sum(coalesce(failing.failed, 0))) / sum(t.table_records) end
        from tables as t left join failing using (feed, criterion, check_table)
        group by t.feed, t.criterion order by 3, 4"""


def _write(con, run_id, started, as_of, held_back, run_failed, rule_results, tables, fresh_rules) -> None:
    now = datetime.now()
    con.execute("begin transaction")
    try:
        con.execute(
            f"insert into {schema.SCHEMA}.runs values (?, ?, ?, ?, ?, ?, ?)",
            [run_id, started, now, _status(run_failed, held_back, rule_results), as_of,
             json.dumps(held_back, ensure_ascii=False), None],
        )  # fmt: skip
        con.executemany(
            f"insert into {schema.SCHEMA}.check_results values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [run_id, started, r.rule.feed, r.rule.asset, r.rule.check_table, r.rule.id, r.rule.criterion,
                 r.rule.severity, r.evaluated, r.failed, r.passed, r.rule.description_vi, r.rule.description_en,
                 r.sample, r.rule.failing_rows_query(), r.error, *tables.get(r.rule.check_model, (None, None)),
                 r.evaluated_in_run]
                for r in rule_results
            ],
        )  # fmt: skip
        if fresh_rules:  # a carried rule's records are its evaluation's: dq.failed_records lists them
            con.execute(
                f"insert into {schema.SCHEMA}.rule_failures "
                f"select ?, * from ({results.failed_records_sql(fresh_rules)})",
                [run_id],
            )
        record_models = sorted({r.rule.check_model for r in rule_results if r.rule.scope == "records"})
        con.execute(
            f"insert into {schema.SCHEMA}.scores {_scores_sql(record_models)}",
            {"run": run_id, "started": started},
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
