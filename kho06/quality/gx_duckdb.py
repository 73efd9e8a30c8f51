"""Great Expectations 1.x over DuckDB: the one place that works around GX not supporting DuckDB officially.

GX runs the SQL of an expectation through SQLAlchemy (here `duckdb-engine`). For dialects it does not list as
needing a persisted connection, it opens a connection, executes the query, closes the connection and only then
fetches the rows — which DuckDB's driver returns as nothing, so every SQL expectation fails with "'NoneType'
object is not subscriptable". GX keeps a connection open for the dialects in the private tuple
`_PERSISTED_CONNECTION_DIALECTS`; `enable()` adds DuckDB to it. `tests/quality/test_gx_duckdb.py` fails loudly if
a GX upgrade moves or renames that setting, or if the workaround stops giving results.

GX's SQL engines hold the DuckDB file open until they are disposed: `context()` disposes them on exit.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.execution_engine import sqlalchemy_execution_engine as _engine

DIALECT = "duckdb"


class _Dialect(str):
    """A dialect name as GX compares it: equal to the string, with the `.value` GX reads from its enum."""

    @property
    def value(self) -> str:
        return str(self)


def enable() -> None:
    """Make GX keep one connection open for DuckDB (idempotent)."""
    current = _engine._PERSISTED_CONNECTION_DIALECTS
    if not any(str(getattr(d, "value", d)) == DIALECT for d in current):
        setattr(_engine, "_PERSISTED_CONNECTION_DIALECTS", (*current, _Dialect(DIALECT)))  # noqa: B010


def is_enabled() -> bool:
    return any(str(getattr(d, "value", d)) == DIALECT for d in _engine._PERSISTED_CONNECTION_DIALECTS)


@contextlib.contextmanager
def context(duckdb_path: Path) -> Iterator[tuple[AbstractDataContext, SQLDatasource]]:
    """An ephemeral GX context with one SQL data source on the DuckDB file; engines disposed on exit.

    Yields (context, data source). Nothing is written to disk (no GX project folder, no Data Docs, whose pages
    load their scripts from CDNs) and GX's usage statistics are off.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    enable()
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_sql(name="kho06", connection_string=f"duckdb:///{duckdb_path}")
    try:
        yield ctx, source
    finally:
        dispose(source)


def dispose(source) -> None:
    """Close the connection GX kept open and dispose its engines, so that the DuckDB file is released."""
    execution_engine = getattr(source, "_execution_engine", None)
    if execution_engine is not None:
        connection = getattr(execution_engine, "_connection", None)
        if connection is not None:
            connection.close()
            execution_engine._connection = None
        execution_engine.close()
    engine = getattr(source, "_engine", None)
    if engine is not None:
        engine.dispose()
