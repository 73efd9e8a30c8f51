"""The rules of the catalogue validated as plain SQL in DuckDB, without Great Expectations: the same two
queries per rule that GX issues (the failing rows counted, the first of them fetched). The benchmark compares
the quality stage with it (`kho06 bench quality`), and a test checks both find the same."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from kho06.quality.catalogue import Rule
from kho06.quality.outcome import Outcome, sample

FETCHED = 200  # as GX's UnexpectedRowsExpectation


def validate(duckdb_path: Path, rules: Iterable[Rule], existing_tables: set[str]) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    with duckdb.connect(str(duckdb_path)) as con:
        for rule in rules:
            outcome = Outcome(rule)
            outcomes[rule.id] = outcome
            if rule.check_model not in existing_tables:
                outcome.error = f"check table {rule.check_table} was not built in this run"
                continue
            query = rule.failing_rows_query()
            try:
                row = con.execute(f"select count(*) from ({query}) as failing").fetchone()
                cursor = con.execute(query)
                columns = [d[0] for d in cursor.description]
                rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchmany(FETCHED)]
            except duckdb.Error as exc:
                outcome.error = str(exc).splitlines()[0]
                continue
            outcome.failing_rows = int(row[0]) if row else 0
            outcome.sample = sample(rows)
    return outcomes
