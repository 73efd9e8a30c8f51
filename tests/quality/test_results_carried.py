"""A run whose check tables have not changed carries an earlier evaluation's results: dq.failed_records lists the
same records for it, while dq.rule_failures stores each evaluation's records once; a changed check table is
evaluated again. A warehouse whose dq.failed_records an earlier version stored as a table, with a carried rule's
records copied into every run, is moved to the new layout with the same rows per run.

On a copy of the session's warehouse (tests/conftest.py: `kho06 run` over all four feeds, defects included)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import duckdb
import pytest

from kho06.quality import schema, stage

FAILED = "select rule_id, record_key from dq.failed_records where run_id = ?"


@pytest.fixture(scope="module")
def carried(built_warehouse, tmp_path_factory):
    """The copy, after two more quality stages over unchanged check tables, then one over a changed table."""
    db = tmp_path_factory.mktemp("carried") / "build.duckdb"
    shutil.copy(built_warehouse[1], db)
    with duckdb.connect(str(db)) as con:
        (first,) = con.execute("select run_id from dq.runs order by run_started_at desc limit 1").fetchone()
        stored = con.execute("select count(*) from dq.rule_failures").fetchone()[0]
    start = datetime.now()
    stage.run(db, "night-2", start)
    stage.run(db, "night-3", start + timedelta(minutes=1))
    stored_after = duckdb.connect(str(db), read_only=True)
    counts = stored_after.execute("select count(*) from dq.rule_failures").fetchone()[0]
    stored_after.close()
    with duckdb.connect(str(db)) as con:  # a night that changed one check table: a failing row gone
        (model, key) = con.execute(
            "select split_part(c.check_table, '.', 2), f.record_key from dq.failed_records as f "
            "join dq.check_results as c using (run_id, rule_id) "
            "where f.run_id = 'night-3' and c.check_table = 'checks.chk_ocop__products' limit 1"
        ).fetchone()
        con.execute(f"delete from checks.{model} where record_key = ?", [key])
    stage.run(db, "night-4", start + timedelta(minutes=2))
    return {
        "db": db,
        "first": first,
        "stored": stored,
        "stored_after_carry": counts,
        "model": model,
        "key": key,
    }


def test_an_unchanged_night_lists_the_same_records_and_stores_none(carried):
    with duckdb.connect(str(carried["db"]), read_only=True) as con:
        first = set(con.execute(FAILED, [carried["first"]]).fetchall())
        assert len(first) > 100
        assert set(con.execute(FAILED, ["night-2"]).fetchall()) == first
        assert set(con.execute(FAILED, ["night-3"]).fetchall()) == first
        evaluated_in = con.execute(
            "select distinct evaluated_in_run from dq.check_results where run_id = 'night-3' and error is null"
        ).fetchall()
        # every rule's results are the first run's evaluation, and its records were not stored again
        assert evaluated_in == [(carried["first"],)]
        assert carried["stored_after_carry"] == carried["stored"]
        # each rule's failed count is its records in the view
        mismatched = con.execute(
            "select c.rule_id from dq.check_results as c left join (select rule_id, count(distinct record_key) "
            "as n from dq.failed_records where run_id = 'night-3' group by all) as f using (rule_id) "
            "where c.run_id = 'night-3' and c.failed_records <> coalesce(f.n, 0)"
        ).fetchall()
        assert mismatched == []


def test_a_changed_check_table_is_evaluated_again(carried):
    with duckdb.connect(str(carried["db"]), read_only=True) as con:
        evaluated_in = dict(
            con.execute(
                "select split_part(check_table, '.', 2), any_value(evaluated_in_run) from dq.check_results "
                "where run_id = 'night-4' and error is null group by all"
            ).fetchall()
        )
        assert evaluated_in.pop(carried["model"]) == "night-4"
        assert set(evaluated_in.values()) == {carried["first"]}
        keys = {k for _, k in con.execute(FAILED, ["night-4"]).fetchall()}
        assert carried["key"] not in keys and carried["key"] in {
            k for _, k in con.execute(FAILED, ["night-3"]).fetchall()
        }
        stored = con.execute(
            "select count(distinct run_id) from dq.rule_failures where run_id = 'night-4'"
        ).fetchone()
        assert stored == (1,)


def test_failed_records_stored_as_a_table_move_to_the_new_layout(carried, tmp_path):
    db = tmp_path / "build.duckdb"
    shutil.copy(carried["db"], db)
    with duckdb.connect(str(db)) as con:
        before = con.execute("select * from dq.failed_records order by all").fetchall()
        # the earlier layout: a table holding every run's records, carried ones copied
        con.execute("create table dq.failed_records_table as from dq.failed_records")
        con.execute("drop view dq.failed_records")
        con.execute("drop table dq.rule_failures")
        con.execute("alter table dq.failed_records_table rename to failed_records")
        assert con.execute("select count(*) from dq.failed_records").fetchone()[0] > carried["stored"]
        schema.ensure(con)
        assert con.execute("select * from dq.failed_records order by all").fetchall() == before
        assert con.execute("select count(*) from dq.rule_failures").fetchone()[0] < len(before)
        assert con.execute(
            "select table_type from information_schema.tables where table_schema = 'dq' "
            "and table_name = 'failed_records'"
        ).fetchone() == ("VIEW",)
