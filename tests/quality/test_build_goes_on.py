"""A run over deliveries with defects in every feed, five times the default rate (`--defect-rate 0.05`), plus
defects written by hand into the raw files (hand_made_defects.py: a reused site id, a permit dated 2031, an agency
level out of the list, a rating of 9, seven-star OCOP products, a birth in 2031 ...), completes: every mart, the
KPI marts and dq.* are built, nothing is held back, the failures are recorded, each hand-made defect is flagged by
its rule, and the rules still find every injected class (recall at least 99%, precision at least 98%)."""

import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from hand_made_defects import write as write_hand_made_defects

BIN = Path(os.sys.executable).parent


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("defects_5pct")
    raw, wh = root / "raw", root / "wh"
    subprocess.run(
        [str(BIN / "kho06"), "simulate", "--out", str(raw), "--scale", "0.002", "--defect-rate", "0.05"],
        check=True,
        capture_output=True,
    )
    hand_made = write_hand_made_defects(raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    done = subprocess.run(
        [str(BIN / "kho06"), "run", "--raw", str(raw), "--warehouse", str(wh)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return raw, wh, done, hand_made


def test_the_run_completes_and_builds_everything(run):
    _, wh, done, _ = run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with duckdb.connect(str(wh / "build.duckdb"), read_only=True) as con:
        status, held_back = con.execute(
            "select status, held_back from dq.runs order by run_started_at desc limit 1"
        ).fetchone()
        assert (status, held_back) == ("completed_with_failures", "[]")
        marts = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        assert len(marts) >= 20
        for (table,) in marts:
            assert con.execute(f"select count(*) from marts.{table}").fetchone()[0] > 0, table
        figures = con.execute("select count(*), count(value) from marts.kpi_article_figures").fetchone()
        assert figures[0] == figures[1] == 15
        assert con.execute("select count(*) from dq.failed_records").fetchone()[0] > 1000
        assert con.execute("select count(*) from dq.check_results where passed is null").fetchone()[0] == 0


def test_the_rules_find_every_class(run):
    raw, wh, _, _ = run
    done = subprocess.run(
        [str(BIN / "kho06"), "dq", "eval", "--truth", str(raw / "_truth" / "defects.csv"), "--warehouse", str(wh),
         "--min-recall", "0.99", "--min-precision", "0.98"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]


def test_each_hand_made_defect_is_flagged_by_its_rule(run):
    _, wh, _, hand_made = run
    with duckdb.connect(str(wh / "build.duckdb"), read_only=True) as con:
        flagged = set(
            con.execute(
                "select rule_id, record_key from dq.failed_records "
                "where run_id = (select run_id from dq.runs order by run_started_at desc limit 1)"
            ).fetchall()
        )
    assert len(hand_made) >= 15
    assert [d for d in hand_made if d not in flagged] == []
