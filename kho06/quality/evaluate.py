"""Detection measured against the simulator's truth file (`kho06 dq eval`): recall per defect class, precision
over every rule. Only this module, the tests and the benchmarks read `_truth/`; the pipeline never does.

- recall of a class: the injected records of the class (feed, record_key) flagged by at least one rule of the
  same feed and the same criterion, over the injected records of the class;
- precision: the distinct flagged records (feed, record_key) that the truth file lists under any class, over
  all distinct flagged records, every rule included (also the rules no class corresponds to).

Duplicate groups count once: the rules flag every member of a group but its first (the original), and the truth
file lists the copies (or, where copies share the key of the original — a repeated dossier line, a repeated
cell row — that shared key), so an original is neither a miss nor a false alarm.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class ClassRecall:
    feed: str
    defect_class: str
    criterion: str
    injected: int
    flagged: int

    @property
    def recall(self) -> float:
        return self.flagged / self.injected if self.injected else 1.0


@dataclass(frozen=True)
class RulePrecision:
    feed: str
    rule_id: str
    flagged: int
    in_truth: int


@dataclass(frozen=True)
class Evaluation:
    classes: list[ClassRecall]
    rules: list[RulePrecision]
    flagged: int
    flagged_in_truth: int

    @property
    def precision(self) -> float:
        return self.flagged_in_truth / self.flagged if self.flagged else 1.0


def _load_truth(con: duckdb.DuckDBPyConnection, truth_csv: Path) -> None:
    con.execute(
        "create or replace temp table _truth as select feed, record_key, defect_class, nfc_normalize(criterion) "
        "as criterion from read_csv(?, all_varchar = true, header = true)",
        [str(truth_csv)],
    )


def evaluate(con: duckdb.DuckDBPyConnection, flagged_sql: str, truth_csv: Path) -> Evaluation:
    """`flagged_sql`: a relation (feed, rule_id, criterion, record_key) of flagged records."""
    _load_truth(con, truth_csv)
    con.execute(
        f"create or replace temp table _flagged as select distinct feed, rule_id, criterion, record_key from ({flagged_sql})"
    )
    classes = [
        ClassRecall(*row)
        for row in con.execute(
            """select t.feed, t.defect_class, t.criterion, count(distinct t.record_key),
                      count(distinct case when f.record_key is not null then t.record_key end)
               from _truth t
               left join _flagged f on f.feed = t.feed and f.record_key = t.record_key and f.criterion = t.criterion
               group by all order by 1, 2"""
        ).fetchall()
    ]
    rules = [
        RulePrecision(*row)
        for row in con.execute(
            """select f.feed, f.rule_id, count(distinct f.record_key),
                      count(distinct case when t.record_key is not null then f.record_key end)
               from _flagged f
               left join (select distinct feed, record_key from _truth) t
                   on t.feed = f.feed and t.record_key = f.record_key
               group by all order by 1, 2"""
        ).fetchall()
    ]
    row = con.execute(
        """select count(*), count(t.record_key) from (select distinct feed, record_key from _flagged) f
           left join (select distinct feed, record_key from _truth) t using (feed, record_key)"""
    ).fetchone()
    flagged, in_truth = row if row else (0, 0)
    return Evaluation(classes, rules, flagged, in_truth)


def failed_records_of_run(run_id: str | None = None) -> str:
    """The flagged records of one run of `dq.failed_records` (the latest when none is given)."""
    run = (
        f"'{run_id}'"
        if run_id
        else "(select run_id from dq.runs where run_finished_at is not null order by run_started_at desc limit 1)"
    )
    return f"select feed, rule_id, criterion, record_key from dq.failed_records where run_id = {run}"
