"""Every compiled mart transpiles to Spark SQL with sqlglot, so the models can move to a distributed engine.

sqlglot passes functions it does not know through unchanged, so a transpiled statement is also checked for
such unknown (DuckDB-only) functions: Spark would fail on them.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture(scope="module")
def compiled_marts(built_warehouse, tmp_path_factory):
    """The marts compiled by dbt against the built warehouse (models only, not their tests)."""
    target = tmp_path_factory.mktemp("dbt_target")
    # a copy: the session's read-only connection to the built warehouse holds the file, and dbt opens it to write
    db = target / "build.duckdb"
    shutil.copy(built_warehouse[1], db)
    env = {**os.environ, "KHO06_DUCKDB_PATH": str(db)}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "compile",
            "--select",
            "path:models/marts",
            "--target-path",
            str(target),
            "--quiet",
        ],
        cwd=DBT_DIR,
        env=env,
        check=True,
    )
    root = target / "compiled" / "kho06" / "models" / "marts"
    return root, sorted(p for p in root.rglob("*.sql") if not any(part.endswith(".yml") for part in p.parts))


def spark_problems(sql: str) -> list[str]:
    """Errors and unknown functions of `sql` (DuckDB) once transpiled to Spark; empty when it moves cleanly."""
    try:
        statements = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as exc:
        return [f"transpile error: {str(exc)[:200]}"]
    problems = []
    for statement in statements:
        tree = sqlglot.parse_one(statement, read="spark")
        problems += [f"unknown function {f.name}" for f in tree.find_all(exp.Anonymous)]
    return problems


@pytest.mark.parametrize(
    "duckdb_only",
    [
        "select nfc_normalize(name) from t",
        "select strip_accents(name) from t",
        "select try_strptime(d, '%d/%m/%Y') from t",
    ],
)
def test_duckdb_only_functions_are_caught(duckdb_only):
    assert spark_problems(duckdb_only)


def test_portable_sql_passes():
    assert (
        spark_problems("select a, count(*) as n, cast(b as date) as d from t where c like 'x%' group by a, b")
        == []
    )


def test_every_compiled_mart_transpiles_to_spark(compiled_marts):
    root, compiled = compiled_marts
    assert len(compiled) >= 20
    failures = {
        p.relative_to(root).as_posix(): probs for p in compiled if (probs := spark_problems(p.read_text()))
    }
    assert failures == {}
