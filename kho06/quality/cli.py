"""`kho06 dq ...`: the quality stage by hand, and detection measured against a simulator's truth file."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Data quality: run the rules, measure them against a simulator's truth file.")
console = Console()


def _db(warehouse: Path | None) -> Path:
    from kho06 import settings as settings_mod

    return settings_mod.apply(None, warehouse).duckdb_path


@app.command("run")
def dq_run(
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse folder (default: $KHO06_WAREHOUSE_DIR)."
    ),
) -> None:
    """Validate every rule over the built warehouse and record a run in dq.* (the pipeline does this itself)."""
    from kho06.quality import stage

    result = stage.run(_db(warehouse), f"manual-{uuid.uuid4()}", datetime.now())
    console.print(
        f"{len(result.rules)} rules: {len(result.failing)} found failing records, "
        f"{len(result.not_evaluated)} not evaluated ({', '.join(f'{k} {v:.1f} s' for k, v in result.seconds.items())})"
    )


@app.command("eval")
def dq_eval(
    truth: Path = typer.Option(Path("raw/_truth/defects.csv"), "--truth", help="The simulator's truth file."),
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse folder (default: $KHO06_WAREHOUSE_DIR)."
    ),
    run_id: str = typer.Option(None, "--run", help="The run of dq.failed_records (default: the latest)."),
    min_recall: float = typer.Option(0.0, "--min-recall", help="Exit 1 when a class's recall is below this."),
    min_precision: float = typer.Option(0.0, "--min-precision", help="Exit 1 when precision is below this."),
) -> None:
    """Recall per defect class and precision over every rule: dq.failed_records against the truth file."""
    import duckdb

    from kho06.quality import evaluate

    if not truth.is_file():
        console.print(f"[red]error:[/red] no truth file at {truth} (only simulated deliveries have one)")
        raise typer.Exit(2)
    with duckdb.connect(str(_db(warehouse)), read_only=True) as con:
        result = evaluate.evaluate(con, evaluate.failed_records_of_run(run_id), truth)
    table = Table(title="Recall per defect class (injected records flagged by a rule of the same criterion)")
    for col in ("feed", "class", "criterion", "injected", "flagged", "recall"):
        table.add_column(col, justify="right" if col in ("injected", "flagged", "recall") else "left")
    for c in result.classes:
        colour = "green" if c.recall >= max(min_recall, 0.99) else "red"
        table.add_row(
            c.feed,
            c.defect_class,
            c.criterion,
            f"{c.injected:,}",
            f"{c.flagged:,}",
            f"[{colour}]{100 * c.recall:.2f}%[/{colour}]",
        )
    console.print(table)
    false_alarms = [r for r in result.rules if r.flagged > r.in_truth]
    if false_alarms:
        fa = Table(title="Rules flagging records the truth file does not list")
        for col in ("rule", "flagged", "in truth"):
            fa.add_column(col, justify="left" if col == "rule" else "right")
        for r in sorted(false_alarms, key=lambda r: r.in_truth - r.flagged)[:25]:
            fa.add_row(r.rule_id, f"{r.flagged:,}", f"{r.in_truth:,}")
        console.print(fa)
    console.print(
        f"precision over every rule: {100 * result.precision:.2f}% "
        f"({result.flagged_in_truth:,} of {result.flagged:,} flagged records are in the truth file; a duplicate "
        "group counts once: its copies are flagged, its original is not)"
    )
    worst = min((c.recall for c in result.classes), default=1.0)
    if worst < min_recall or result.precision < min_precision:
        raise typer.Exit(1)
