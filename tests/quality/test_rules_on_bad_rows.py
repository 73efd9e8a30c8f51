"""Every quality rule passes on clean deliveries and fails on a delivery that breaks it.

1. The four feeds are simulated without defects (`--defect-rate 0`) and run through the whole pipeline
   (`kho06 run`): no rule may flag a record of the clean feeds.
2. The clean landed warehouse is copied and broken by hand, one case per rule or more (rule_cases.yml): each
   case changes, copies or removes landed rows (or ledger rows), always on rows no other case touches. dbt then
   rebuilds everything and the quality stage runs: every case's rule must flag the record the case broke, and
   the build must go on — every model built, whatever the cases broke.

The cases are data, not simulator output: most are kinds of bad rows the simulator never writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from kho06.quality import catalogue, stage

HERE = Path(__file__).resolve().parent
CASES = yaml.safe_load((HERE / "rule_cases.yml").read_text(encoding="utf-8"))["cases"]
BIN = Path(os.sys.executable).parent
SCALE = 0.002
DBT_PROJECT = HERE.parents[1] / "dbt_project"

# the record key of a landed row, as the check models compute it
KEYS = {
    "population_snapshot": "trim(record_id)",
    "population_events": "trim(event_id)",
    "dossiers": "trim(dossier_code)",
    "dossier_procedures": "trim(procedure_code)",
    "dossier_agencies": "trim(agency_code)",
    "bts_cells": "coalesce(radio, '') || ':' || coalesce(cast(mcc as varchar), '') || ':' || "
    "coalesce(cast(net as varchar), '') || ':' || coalesce(cast(area as varchar), '') || ':' || "
    "coalesce(cast(cell as varchar), '')",
    "bts_sites": "trim(site_id)",
    "ocop_products": "trim(product_id)",
}


def _env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    env["KHO06_DUCKDB_PATH"] = str(db)
    return env


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """(raw folder, warehouse file) of the clean feeds run through `kho06 run`."""
    root = tmp_path_factory.mktemp("clean_feeds")
    raw, wh = root / "raw", root / "wh"
    subprocess.run(
        [str(BIN / "kho06"), "simulate", "--out", str(raw), "--scale", str(SCALE), "--defect-rate", "0"],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    done = subprocess.run(
        [str(BIN / "kho06"), "run", "--raw", str(raw), "--warehouse", str(wh)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return raw, wh / "build.duckdb"


def _apply(con: duckdb.DuckDBPyConnection, case: dict, n: int) -> str:
    """Break the landed rows as the case says; returns the record key the rule must flag."""
    for statement in case.get("sql", []):
        con.execute(statement)
    if "table" not in case:
        return case["expect"]
    table, key = f"landing.{case['table']}", KEYS[case["table"]]
    where = case.get("pick", "true")
    row = con.execute(
        f"select t._source_file, t._source_row from {table} as t "
        "anti join _taken as k on k.source_file = t._source_file and k.source_row = t._source_row "
        f"where ({where}) order by t._source_file, t._source_row limit 1 offset ?",
        [case.get("offset", 0)],
    ).fetchone()
    assert row is not None, f"case {n} ({case['rule']}): no landed row matches {where!r}"
    con.execute("insert into _taken values (?, ?)", list(row))
    assignments = ", ".join(f"{column} = {value}" for column, value in case.get("set", {}).items())
    if case.get("copy"):
        new_row = 1_000_000 + n
        con.execute(
            f"insert into {table} select * replace ({', '.join(f'{v} as {c}' for c, v in case.get('set', {}).items())}"
            f"{', ' if case.get('set') else ''}{new_row} as _source_row) from {table} "
            "where _source_file = ? and _source_row = ?",
            list(row),
        )
        row = (row[0], new_row)
        con.execute("insert into _taken values (?, ?)", list(row))
    elif assignments:
        con.execute(f"update {table} set {assignments} where _source_file = ? and _source_row = ?", list(row))
    # the key the rule must flag, read from the broken row (a deleted row: as it was before the deletion)
    expect = con.execute(
        f"select {case.get('expect', key)} from {table} where _source_file = ? and _source_row = ?", list(row)
    ).fetchone()[0]
    if case.get("delete"):
        con.execute(f"delete from {table} where _source_file = ? and _source_row = ?", list(row))
    return expect


@pytest.fixture(scope="module")
def broken(clean, tmp_path_factory):
    """The clean warehouse broken by every case, rebuilt, and checked: (connection, run id, expected flags)."""
    tmp = tmp_path_factory.mktemp("broken_feeds")
    db = tmp / "build.duckdb"
    shutil.copy(clean[1], db)
    expected: list[tuple[str, str]] = []
    with duckdb.connect(str(db)) as con:
        # the rows a case has broken: no later case takes them
        con.execute("create temp table _taken (source_file varchar, source_row bigint)")
        for n, case in enumerate(CASES):
            expected.append((case["rule"], _apply(con, case, n)))
    build = subprocess.run(
        [str(BIN / "dbt"), "build", "--full-refresh", "--exclude-resource-type", "unit_test",
         "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")],
        cwd=DBT_PROJECT, env=_env(db), capture_output=True, text=True, check=False,
    )  # fmt: skip
    run_id = "broken-by-hand"
    stage.run(db, run_id, datetime.now())
    con = duckdb.connect(str(db), read_only=True)
    yield con, run_id, expected, build
    con.close()


def test_no_rule_flags_a_clean_record(clean):
    with duckdb.connect(str(clean[1]), read_only=True) as con:
        failing = con.execute(
            "select rule_id, failed_records, sample from dq.check_results where not passed or passed is null"
        ).fetchall()
    assert failing == []


def test_every_rule_has_a_case():
    without = yaml.safe_load((HERE / "rule_cases.yml").read_text(encoding="utf-8")).get("without_case", {})
    assert {c["rule"] for c in CASES} | set(without) >= {r.id for r in catalogue.load()}
    assert set(without) <= {r.id for r in catalogue.load()}


def test_every_case_is_flagged_by_its_rule(broken):
    con, run_id, expected, _ = broken
    flagged = set(
        con.execute("select rule_id, record_key from dq.failed_records where run_id = ?", [run_id]).fetchall()
    )
    missed = [(rule, key) for rule, key in expected if (rule, key) not in flagged]
    assert not missed, f"cases their rule did not flag: {missed}"


def test_the_build_goes_on_whatever_the_cases_broke(broken):
    con, run_id, _, build = broken
    assert "ERROR creating" not in build.stdout, build.stdout[-3000:]
    assert " SKIP " not in build.stdout, build.stdout[-3000:]
    not_evaluated = con.execute(
        "select rule_id, error from dq.check_results where run_id = ? and passed is null", [run_id]
    ).fetchall()
    assert not_evaluated == []
    figures = con.execute("select count(*), count(value) from marts.kpi_article_figures").fetchone()
    assert figures[0] == figures[1] > 0


def test_a_missing_single_file_is_flagged(clean, tmp_path):
    """The single-file deliveries (the catalogue, the agency register, the cell dump, the site register, the OCOP
    list), removed from the ledger: each `<table>_missing` rule flags the contract's path."""
    missing = yaml.safe_load((HERE / "rule_cases.yml").read_text(encoding="utf-8"))["without_case"]
    db = tmp_path / "build.duckdb"
    shutil.copy(clean[1], db)
    with duckdb.connect(str(db)) as con:
        for table in missing.values():
            con.execute("delete from landing.load_ledger where table_name = ?", [table])
    build = subprocess.run(
        [str(BIN / "dbt"), "run", "--select", "chk_deliveries__files",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT, env=_env(db), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-2000:]
    rules = tuple(r for r in catalogue.load() if r.check_model == "chk_deliveries__files")
    stage.run(db, "single-files-missing", datetime.now(), rules=rules)
    with duckdb.connect(str(db), read_only=True) as con:
        flagged = dict(
            con.execute(
                "select rule_id, record_key from dq.failed_records where run_id = 'single-files-missing' "
                "and rule_id in (select unnest(?))",
                [list(missing)],
            ).fetchall()
        )
        expected = dict(
            con.execute(
                "select table_name, expected_path from reference.feed_deliveries where delivery = 'single'"
            ).fetchall()
        )
    assert flagged == {rule: expected[table] for rule, table in missing.items()}
