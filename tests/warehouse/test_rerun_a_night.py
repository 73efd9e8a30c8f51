"""A night run again changes nothing: the same deliveries give the same marts, and the run says it landed nothing
new."""

import os
import shutil
import subprocess

import duckdb
from small_build import BIN

BUILT_SCALE = 0.002
"""the scale of the session's warehouse (tests/conftest.py)"""

KHO06 = str(BIN / "kho06")


def checksums(db) -> dict[str, tuple]:
    """Per mart table: rows and an order-free digest of their contents."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: con.execute(
                f"select count(*), md5(coalesce(string_agg(h, '' order by h), '')) "
                f"from (select md5(cast(t as varchar)) as h from marts.{t} t)"
            ).fetchone()
            for t in tables
        }


def test_a_night_run_again_gives_identical_marts_and_lands_nothing_new(built_warehouse, tmp_path):
    raw, db, _output = built_warehouse
    wh = tmp_path / "wh"
    shutil.copytree(db.parent, wh, ignore=shutil.ignore_patterns("run.lock", "*.wal"))
    before = checksums(wh / db.name)
    with duckdb.connect(str(wh / db.name), read_only=True) as con:
        last = con.execute("select max(partition_day) from landing.load_ledger").fetchone()[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHO06_", "DAGSTER_HOME"))}
    env["KHO06_KPI_COUNT_SCALE"] = str(BUILT_SCALE)  # as the session's build ran
    run = subprocess.run(
        [KHO06, "run", "--raw", str(raw), "--warehouse", str(wh), "--day", str(last)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    output = run.stdout + run.stderr
    assert run.returncode in (0, 3), output[-3000:]
    assert (
        "This run's files:" in output and " loaded" not in output.split("This run's files:")[1].split("\n")[0]
    )
    assert "unchanged" in output
    assert checksums(wh / db.name) == before
    assert len(before) > 20
