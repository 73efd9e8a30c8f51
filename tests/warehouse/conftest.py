"""Connections to the session's warehouse (`built_warehouse`, tests/conftest.py): `warehouse` reads the build
database (landing, staging, intermediate, checks, marts, dq), `published` the file analysts open."""

import duckdb
import pytest


@pytest.fixture(scope="session")
def warehouse(built_warehouse):
    con = duckdb.connect(str(built_warehouse[1]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def published(published_warehouse):
    con = duckdb.connect(str(published_warehouse), read_only=True)
    yield con
    con.close()
