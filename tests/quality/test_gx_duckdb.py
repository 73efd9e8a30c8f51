"""The one workaround for Great Expectations on DuckDB (kho06/quality/gx_duckdb.py) still holds: it fails loudly
when a GX upgrade moves the private setting it relies on, or when expectations stop returning results."""

from __future__ import annotations

import duckdb
import great_expectations as gx
import pytest
from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

from kho06.quality import gx_duckdb


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema checks")
        con.execute(
            "create table checks.t as select range as record_key, range % 3 = 0 as bad from range(10)"
        )
    return path


def _count_bad(path) -> tuple[bool, int | None]:
    with gx_duckdb.context(path) as (ctx, source):
        batch = source.add_table_asset(
            name="t", table_name="t", schema_name="checks"
        ).add_batch_definition_whole_table("w")
        suite = ctx.suites.add(gx.ExpectationSuite(name="s"))
        suite.add_expectation(
            gx.expectations.UnexpectedRowsExpectation(unexpected_rows_query="select * from {batch} where bad")
        )
        result = ctx.validation_definitions.add(
            gx.ValidationDefinition(name="v", data=batch, suite=suite)
        ).run()
    outcome = result.results[0]
    return outcome.success, outcome.result.get("observed_value")


def test_the_private_setting_is_where_the_workaround_expects_it():
    assert isinstance(engine._PERSISTED_CONNECTION_DIALECTS, tuple), (
        "great_expectations moved _PERSISTED_CONNECTION_DIALECTS: kho06/quality/gx_duckdb.py must be revised"
    )
    gx_duckdb.enable()
    assert gx_duckdb.is_enabled()
    gx_duckdb.enable()  # idempotent
    assert sum(str(getattr(d, "value", d)) == "duckdb" for d in engine._PERSISTED_CONNECTION_DIALECTS) == 1


def test_without_the_workaround_gx_finds_nothing(warehouse, monkeypatch):
    monkeypatch.setattr(
        engine,
        "_PERSISTED_CONNECTION_DIALECTS",
        tuple(d for d in engine._PERSISTED_CONNECTION_DIALECTS if str(getattr(d, "value", d)) != "duckdb"),
    )
    monkeypatch.setattr(gx_duckdb, "enable", lambda: None)
    assert _count_bad(warehouse) == (False, None)  # the failure the workaround exists for


def test_with_the_workaround_an_expectation_counts_the_failing_rows(warehouse):
    assert _count_bad(warehouse) == (False, 4)  # 0, 3, 6, 9


def test_the_duckdb_file_is_released_after_validation(warehouse):
    _count_bad(warehouse)
    # a connection with another configuration is refused while any connection of this process holds the file
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from checks.t").fetchone() == (10,)
