"""Dagster's SQLite event log, with its databases kept open: the event storage of `kho06 run`.

Dagster's `SqliteEventLogStorage` opens a database anew for every statement — a new SQLAlchemy engine and a new
SQLite connection, closed again after one insert — which costs about 10 ms an event here. A nightly run writes
some 540 events: every dbt test and every quality rule is an asset check, planned, output and evaluated. This
subclass keeps one connection open per database file (the run's own database and the cross-run index; a few
at most, the oldest closed first), remembers which of the index's tables it has found (Dagster looks again
before every asset check event), and otherwise leaves Dagster's storage as it is: the same tables in the same
files, written in the same transactions with SQLite's own durability (WAL, synchronous FULL), so the UI and the
daemon, which read them with Dagster's class, see every run `kho06 run` records.

One connection per file serves every thread of the process: Dagster's storage already lets one thread at a time
use its databases (its `_db_lock`, held for the whole of each statement's transaction).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

OPEN_DATABASES = 4
"""database files kept open at once: a run's own and the index, and a few a long-lived process last read"""


class OpenSqliteEventLogStorage(SqliteEventLogStorage):
    @property
    def _engines(self) -> OrderedDict[str, Engine]:
        engines = self.__dict__.get("_open_engines")
        if engines is None:  # Dagster's __init__ already connects, before a subclass's __init__ could run
            engines = self.__dict__["_open_engines"] = OrderedDict()
        return engines

    def _engine(self, shard: str) -> Engine:
        engines = self._engines
        if shard in engines:
            engines.move_to_end(shard)
            return engines[shard]
        engine = create_engine(
            self.conn_string_for_shard(shard),
            poolclass=StaticPool,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        engines[shard] = engine
        while len(engines) > OPEN_DATABASES:
            engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        """Dagster asks before every asset check event whether the index has its table, each time from a new
        engine: a table once there stays there."""
        found = self.__dict__.setdefault("_tables_found", set())
        if table_name not in found and super().has_table(table_name):
            found.add(table_name)
        return table_name in found

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Any) -> OpenSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)
