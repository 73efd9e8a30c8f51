"""The quality lines of a run summary (`kho06 run`): the scores of the latest run, feed × criterion, the rules
that fail most, and what dbt held back."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from kho06.quality import catalogue
from kho06.quality.catalogue import CRITERIA


def rule_names() -> set[str]:
    return {r.name for r in catalogue.load()}


def is_rule_check(failed_check: str) -> bool:
    """A failed asset check as `orchestration.run` reports it ("warn: landing/x name") that is a quality rule:
    the summary shows rules as scores, not one line each."""
    return failed_check.rsplit(" ", 1)[-1] in rule_names()


def print_quality_summary(console: Console, db: Path) -> None:
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            run = con.execute(
                "select run_id, status, held_back from dq.runs order by run_started_at desc limit 1"
            ).fetchone()
            if run is None:
                return
            scores = con.execute(
                "select feed, criterion, score, failed_records from dq.scores where run_id = ?", [run[0]]
            ).fetchall()
            worst = con.execute(
                "select rule_id, failed_records, evaluated_records, description_en from dq.check_results "
                "where run_id = ? and not passed order by failed_records desc limit 5",
                [run[0]],
            ).fetchall()
            counts = con.execute(
                "select count(*), count(*) filter (where not passed), count(*) filter (where passed is null) "
                "from dq.check_results where run_id = ?",
                [run[0]],
            ).fetchone()
    except duckdb.Error:
        return
    table = Table(
        title=f"Data quality of this run: share of records passing every rule (dq.scores, {run[1]})"
    )
    table.add_column("feed")
    for criterion in CRITERIA:
        table.add_column(criterion, justify="right")
    by_cell = {(f, c): (s, n) for f, c, s, n in scores}
    for feed in sorted({f for f, _ in by_cell}):
        cells = []
        for criterion in CRITERIA:
            score, _failed = by_cell.get((feed, criterion), (None, 0))
            colour = (
                "green" if score is not None and score >= 99 else "yellow" if (score or 0) >= 95 else "red"
            )
            cells.append("–" if score is None else f"[{colour}]{score:.2f}[/{colour}]")
        table.add_row(feed, *cells)
    console.print(table)
    total, failing, not_evaluated = counts or (0, 0, 0)
    line = f"{total} rules: {failing} found failing records"
    if not_evaluated:
        line += f", [red]{not_evaluated} could not be evaluated[/red]"
    if worst:
        line += "; most: " + ", ".join(
            f"{rule} {failed:,}/{evaluated:,}" for rule, failed, evaluated, _ in worst
        )
    console.print(line)
    for node in json.loads(run[2] or "[]"):
        console.print(f"[red]held back[/red] {node['node']} ({node['status']}): {node.get('reason') or ''}")
