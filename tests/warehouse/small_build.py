"""A small warehouse for one domain's tests: its feeds simulated, landed with the real contracts, the reference
tables written by their Dagster asset, then `dbt build` of the domain's selection in a child process (own target
and log folders, so it never touches the project's dbt target)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from kho06.landing.feeds import CONTRACTS
from kho06.landing.loader import land

SCALE = 0.002
DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
BIN = Path(sys.executable).parent


def dbt(wh: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """dbt over the warehouse `wh`; with `check`, the run must succeed."""
    env = {**os.environ, "KHO06_DUCKDB_PATH": str(wh["db"])}
    env.pop("KHO06_ENV", None)  # the development pseudonym key
    cmd = [
        str(BIN / "dbt"),
        *args,
        "--target-path",
        str(wh["tmp"] / "target"),
        "--log-path",
        str(wh["tmp"] / "logs"),
    ]
    done = subprocess.run(
        cmd, check=False, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return done


def copy_of(db: Path, tmp: Path) -> dict:
    """A warehouse to change or to build on: a copy of `db` (other tests hold the session's warehouse open)."""
    shutil.copy(db, tmp / "build.duckdb")
    return {"tmp": tmp, "db": tmp / "build.duckdb"}


def simulate(tmp: Path, feeds: list[str] | None = None, scale: float = SCALE) -> dict:
    """{"tmp", "raw", "db"}: `feeds` (all four when None) simulated under tmp/raw; no warehouse yet."""
    raw = tmp / "raw"
    feed_args = [a for f in feeds or [] for a in ("--feed", f)]
    subprocess.run(
        [str(BIN / "kho06"), "simulate", "--out", str(raw), "--scale", str(scale), "--seed", "6", *feed_args],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {"tmp": tmp, "raw": raw, "db": tmp / "build.duckdb"}


def land_feeds(wh: dict, feeds: list[str] | None = None) -> None:
    """Land the files of `feeds` (all when None) present under wh["raw"] with the real contracts."""
    with duckdb.connect(str(wh["db"])) as con:
        for contract in CONTRACTS:
            if feeds is None or contract.feed in feeds:
                land(con, contract, wh["raw"])


def write_reference(wh: dict) -> None:
    """The reference tables (administrative units), written by their Dagster asset."""
    from orchestration.defs.reference.admin_units import admin_units

    assert dg.materialize([admin_units], resources={"duckdb": DuckDBResource(database=str(wh["db"]))}).success


def build(tmp: Path, feeds: list[str], selection: list[str], scale: float = SCALE) -> dict:
    """{"tmp", "raw", "db"} of a warehouse holding `feeds` and the dbt `selection` built over them."""
    wh = simulate(tmp, feeds, scale)
    land_feeds(wh, feeds)
    write_reference(wh)
    dbt(wh, "build", "--select", *selection, "--indirect-selection", "cautious")
    return wh


def query(wh: dict, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(wh["db"]), read_only=True) as con:
        return con.sql(sql).pl()


def truth(wh: dict, *feeds: str) -> pl.DataFrame:
    """The simulator's record of the defects it injected in `feeds`."""
    return pl.read_csv(wh["raw"] / "_truth" / "defects.csv", infer_schema=False).filter(
        pl.col("feed").is_in(feeds)
    )


def truth_pairs(wh: dict, feed: str) -> set[tuple[str, str]]:
    frame = truth(wh, feed)
    return set(zip(frame["record_key"], frame["defect_class"], strict=True))


def assert_no_personal_data(
    wh: dict, secrets: set[str], marts: list[str], kpi_model: str, banned: str
) -> None:
    """No column of `marts` (nor the domain's KPI model) is named like personal data (`banned`, a regex), holds
    one of the delivered personal values `secrets`, or holds a 9-12 digit ID."""
    columns = query(
        wh,
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        f"where table_schema = 'marts' and table_name in ({', '.join(repr(t) for t in marts)}) "
        f"or table_name = '{kpi_model}'",
    )
    assert not [c for c in columns["column_name"] if re.search(banned, c)]
    for schema, table, column, data_type in columns.iter_rows():
        if data_type != "VARCHAR":
            continue
        values = set(query(wh, f'select distinct "{column}" as v from {schema}.{table}')["v"].drop_nulls())
        assert not values & secrets, f"{table}.{column} holds personal data"
        assert not [v for v in values if re.fullmatch(r"\d{9,12}", v)], f"{table}.{column} holds raw IDs"


def assert_rules_find_the_truth(wh: dict, *feeds: str) -> None:
    """Every injected defect of `feeds` is flagged by a rule of its criterion, and every record a rule flags is
    in the truth file (kho06.quality.evaluate over the check models built in `wh`)."""
    from kho06.quality import catalogue, evaluate, results

    with duckdb.connect(str(wh["db"]), read_only=True) as con:
        built = {
            n
            for (n,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'checks'"
            ).fetchall()
        }
        rules = [
            r for r in catalogue.load() if r.feed in feeds and r.check_model in built and r.scope == "records"
        ]
        assert rules, f"no check model of {feeds} was built"
        found = evaluate.evaluate(
            con, results.failed_records_sql(rules), wh["raw"] / "_truth" / "defects.csv"
        )
    missed = [
        (c.defect_class, c.injected - c.flagged) for c in found.classes if c.feed in feeds and c.recall < 1
    ]
    assert not missed, f"injected defects no rule of their criterion flags: {missed}"
    false_alarms = [(r.rule_id, r.flagged - r.in_truth) for r in found.rules if r.flagged > r.in_truth]
    assert not false_alarms, f"flagged records the truth file does not list: {false_alarms}"
