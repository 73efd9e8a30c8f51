"""The marts' not-null rules are constraints DuckDB enforces, not tests that run after the fact: every column the
YAML marks `not_null` is NOT NULL in the warehouse, and writing a null into one fails."""

from pathlib import Path

import duckdb
import pytest
import yaml
from small_build import copy_of

MODELS = Path(__file__).resolve().parents[2] / "dbt_project" / "models"


def not_null_columns() -> set[tuple[str, str]]:
    found = set()
    for path in (
        p for layer in ("staging", "intermediate", "marts") for p in MODELS.rglob(f"_*__{layer}.yml")
    ):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for column in model.get("columns", []):
                if any(c.get("type") == "not_null" for c in column.get("constraints", [])):
                    found.add((model["name"], column["name"]))
    return found


def test_every_not_null_rule_is_enforced_by_the_warehouse(warehouse):
    declared = not_null_columns()
    assert len(declared) > 100
    schemas = dict(
        warehouse.execute(
            "select table_name, table_schema from information_schema.tables where table_schema in ('marts', 'intermediate')"
        ).fetchall()
    )
    nullable = {
        (t, c)
        for t, c, n in warehouse.execute(
            "select table_name, column_name, is_nullable from information_schema.columns "
            "where table_schema in ('marts', 'intermediate')"
        ).fetchall()
        if n == "YES"
    }
    assert {t for t, _ in declared} <= set(schemas)
    assert declared & nullable == set()


def test_a_null_in_a_not_null_column_is_refused(built_warehouse, tmp_path):
    wh = copy_of(built_warehouse[1], tmp_path)
    with duckdb.connect(str(wh["db"])) as con, pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
        con.execute(
            "update marts.fct_dossiers set admin_unit_key = null where dossier_code = "
            "(select min(dossier_code) from marts.fct_dossiers)"
        )
