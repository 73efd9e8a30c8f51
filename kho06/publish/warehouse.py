"""Publish the build: copy what analysts read into a new DuckDB file, then swap it into place atomically.

The pipeline writes `build.duckdb` (one writer: DuckDB locks the file); analysts open `kho06.duckdb`, which only
this module writes, and never in place. `publish()` writes a new file beside the published one
(`kho06.duckdb.<random>.tmp`) from a connection that ATTACHes the build read-only, copies the schemas of
`PUBLISHED_SCHEMAS` (tables as tables, `CREATE TABLE AS` in bulk; a view as a view when it reads only what is
published, else as a table), carries the table and column comments (dbt's persist_docs), checks every table's
row count against the build, checkpoints, closes and fsyncs the file, then renames it over the published one
(`os.replace`). A reader that holds the old file open keeps reading the old file; a new connection opens the
new one. Any failure before the rename leaves the published file as it was; a temporary file left by a killed
publish is removed by the next one.

A night changes few of the published tables: when a published file is there, the new file starts as a plain
copy of it, and only what differs from the build is written again. A table whose columns, row count and sum of
row hashes are the build's is kept; a `dq` table (rows are only ever added to it) whose published rows are the
build's rows of the same runs gets the newer runs' rows appended; any other table is copied again, a relation the
build no longer has is dropped, the views are created again and the comments set to the build's. The new file
holds the same relations, rows and comments as a copy from scratch (tests/publish).
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kho06.warehouse.sql import content as _content
from kho06.warehouse.sql import identifier as _ident
from kho06.warehouse.sql import literal as _literal

PUBLISHED_SCHEMAS = ("marts", "reference", "dq")
"""The marts (KPI marts included), the reference tables and code lists (dbt seeds land in `reference`) and the
quality results. Never landing, staging, intermediate or checks: they hold personal data or need dbt's macros."""
BUILD = "build"
"""The alias of the attached build database."""


class PublishError(RuntimeError):
    """The publish stopped before the rename: the published file is unchanged."""


@dataclass(frozen=True)
class PublishResult:
    path: Path
    bytes: int
    tables: list[str]
    """Every relation published, `schema.name` (views materialised as tables included)."""
    views: list[str]
    """The views published as views."""
    rows: int
    seconds: float
    written: list[str] | None = None
    """The relations written into the new file (copied, appended to or created), or None: every one (no
    published file to start from)."""

    @property
    def mib(self) -> float:
        return self.bytes / 2**20


@dataclass(frozen=True)
class _Relation:
    schema: str
    name: str
    comment: str | None
    view_sql: str | None = None
    """The view's SELECT rewritten to the published file, or None: a table (or a view copied as one)."""

    @property
    def qualified(self) -> str:
        return f"{_ident(self.schema)}.{_ident(self.name)}"


def temporary_files(published: Path) -> list[Path]:
    """The files an unfinished publish of `published` leaves (its temporary file and that file's WAL)."""
    return sorted(Path(p) for p in glob.glob(f"{glob.escape(str(published))}.*.tmp*"))


def publish(build_db: Path, published: Path) -> PublishResult:
    """Copy the published schemas of `build_db` into a new file and rename it to `published`."""
    t0 = time.perf_counter()
    if not build_db.is_file():
        raise PublishError(f"no build database at {build_db}: run the pipeline first")
    published.parent.mkdir(parents=True, exist_ok=True)
    for stale in temporary_files(published):
        stale.unlink(missing_ok=True)
    tmp = published.with_name(f"{published.name}.{secrets.token_hex(6)}.tmp")
    try:
        previous = _start_from(published, tmp)
        relations, rows, written = _write(build_db, tmp, previous)
        _fsync(tmp)
        os.replace(tmp, published)
        _fsync(published.parent)
    finally:
        for left in temporary_files(published):
            left.unlink(missing_ok=True)
    return PublishResult(
        path=published,
        bytes=published.stat().st_size,
        tables=[f"{r.schema}.{r.name}" for r in relations],
        views=[f"{r.schema}.{r.name}" for r in relations if r.view_sql is not None],
        rows=rows,
        seconds=time.perf_counter() - t0,
        written=written,
    )


def _start_from(published: Path, tmp: Path) -> bool:
    """Copy the published file to `tmp` when there is one to start from (closed: no WAL beside it)."""
    if not published.is_file() or Path(f"{published}.wal").exists():
        return False
    try:
        shutil.copyfile(published, tmp)
        with duckdb.connect(str(tmp)) as con:
            con.execute("select count(*) from duckdb_tables()").fetchone()
    except (OSError, duckdb.Error):
        for left in temporary_files(published):
            left.unlink(missing_ok=True)
        return False
    return True


def _write(build_db: Path, target: Path, previous: bool) -> tuple[list[_Relation], int, list[str] | None]:
    con = duckdb.connect(str(target))
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {_literal(str(build_db))} as {BUILD} (read_only)")
        relations = _relations(con)
        missing = [s for s in PUBLISHED_SCHEMAS if s not in {r.schema for r in relations}]
        if missing:
            raise PublishError(
                f"the build at {build_db} holds no table in {', '.join(missing)}: the published warehouse was "
                "not replaced (run the pipeline again)"
            )
        written: list[str] | None = None
        if previous:
            relations, written = _update(con, relations)
        else:
            con.execute("begin")
            for schema in sorted({r.schema for r in relations}):
                con.execute(f"create schema {_ident(schema)}")
            tables = [_copy(con, r) for r in relations if r.view_sql is None]
            con.execute("commit")
            # a view that does not bind is copied as a table: each in its own transaction, which its error ends
            relations = tables + [_copy(con, r) for r in relations if r.view_sql is not None]
        con.execute("begin")
        _comment(con, relations)
        con.execute("commit")
        rows = _verify(con, relations)
        con.execute(f"detach {BUILD}")
        con.execute("checkpoint")
    finally:
        con.close()
    return relations, rows, written


def _published(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(schema, name) → table or view, of every relation in the new file (a copy of the published one)."""
    found = {
        (s, n): "table"
        for s, n in con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and not temporary"
        ).fetchall()
    }
    return found | {
        (s, n): "view"
        for s, n in con.execute(
            "select schema_name, view_name from duckdb_views() "
            "where database_name = current_database() and not internal and not temporary"
        ).fetchall()
    }


def _columns(con: duckdb.DuckDBPyConnection, database: str, r: _Relation) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? order by column_index",
        [database, r.schema, r.name],
    ).fetchall()


def _update(con: duckdb.DuckDBPyConnection, relations: list[_Relation]) -> tuple[list[_Relation], list[str]]:
    """Make the copy of the published file hold what `relations` of the build hold, writing only what differs."""
    (here,) = con.execute("select current_database()").fetchone() or ("",)
    have = _published(con)
    wanted = {(r.schema, r.name) for r in relations}
    written: list[str] = []
    con.execute("begin")
    for (schema, name), kind in sorted(have.items()):  # views first: they are created again below
        if kind == "view" or (schema, name) not in wanted:
            con.execute(f"drop {kind} if exists {_ident(schema)}.{_ident(name)}")
    for schema in sorted({r.schema for r in relations}):
        con.execute(f"create schema if not exists {_ident(schema)}")
    tables = []
    for r in relations:
        if r.view_sql is not None:
            continue
        columns = _columns(con, here, r) if have.get((r.schema, r.name)) == "table" else None
        if columns is not None and columns == _columns(con, BUILD, r):
            # rows counted first: a table whose count differs is not hashed on both sides
            count = f"select count(*) from {{}}{r.qualified}"
            same_count = (
                con.execute(count.format("")).fetchone() == con.execute(count.format(BUILD + ".")).fetchone()
            )
            kept = _content(con, r.qualified) if same_count or r.schema == "dq" else None
            if same_count and kept == _content(con, f"{BUILD}.{r.qualified}"):
                tables.append(r)
                continue
            if kept is not None and r.schema == "dq" and "run_id" in {c for c, _ in columns}:
                runs = f"where run_id in (select distinct run_id from {_ident(here)}.{r.qualified})"
                if kept == _content(con, f"{BUILD}.{r.qualified}", runs):
                    con.execute(
                        f"insert into {r.qualified} select * from {BUILD}.{r.qualified} "
                        f"where run_id not in (select distinct run_id from {r.qualified})"
                    )
                    tables.append(r)
                    written.append(f"{r.schema}.{r.name}")
                    continue
            con.execute(f"drop table {r.qualified}")
        tables.append(_copy(con, r))
        written.append(f"{r.schema}.{r.name}")
    con.execute("commit")
    views = []
    for r in relations:
        if r.view_sql is not None:
            con.execute(f"drop table if exists {r.qualified}")  # copied as a table by an earlier publish
            views.append(_copy(con, r))
            written.append(f"{r.schema}.{r.name}")
    return tables + views, written


def _relations(con: duckdb.DuckDBPyConnection) -> list[_Relation]:
    """The tables, then the views, of the published schemas in the build."""
    schemas = ", ".join(_literal(s) for s in PUBLISHED_SCHEMAS)
    tables = [
        _Relation(s, n, c)
        for s, n, c in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            f"where database_name = '{BUILD}' and schema_name in ({schemas}) and not temporary order by 1, 2"
        ).fetchall()
    ]
    views = [
        _Relation(s, n, c, _view_select(sql))
        for s, n, c, sql in con.execute(
            "select schema_name, view_name, comment, sql from duckdb_views() "
            f"where database_name = '{BUILD}' and schema_name in ({schemas}) and not internal and not temporary "
            "order by 1, 2"
        ).fetchall()
    ]
    return tables + views


_VIEW_HEAD = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?view\s+.+?\s+as\s+", re.IGNORECASE | re.DOTALL)


def _view_select(sql: str) -> str | None:
    """The SELECT of a build view, pointed at the published file, or None when it must be copied as a table:
    it reads a schema that is not published, or calls a function the published file does not have."""
    body = _VIEW_HEAD.sub("", sql, count=1).strip().rstrip(";")
    if body == sql.strip().rstrip(";"):
        return None
    body = re.sub(rf'(?<![\w"])"?{BUILD}"?\.', "", body)
    read = {s.lower() for s in re.findall(r'(?<![\w".])"?(\w+)"?\s*\.\s*"?\w+"?', body)}
    layers = {"landing", "staging", "intermediate", "checks", "main", BUILD}
    if read & layers or "pseudonym(" in body.lower():
        return None
    return body


def _copy(con: duckdb.DuckDBPyConnection, r: _Relation) -> _Relation:
    """Create `r` in the new file; a view that does not bind there on its own is copied as a table."""
    if r.view_sql is not None:
        try:
            con.execute(f"create view {r.qualified} as {r.view_sql}")
            return r
        except duckdb.Error:
            r = _Relation(r.schema, r.name, r.comment)
    con.execute(f"create table {r.qualified} as from {BUILD}.{r.qualified}")
    return r


def _comment(con: duckdb.DuckDBPyConnection, relations: list[_Relation]) -> None:
    """dbt's descriptions, written by persist_docs as COMMENTs, which CREATE TABLE AS does not carry: every
    published table, view and column gets the build's comment (none where the build has none)."""
    (here,) = con.execute("select current_database()").fetchone() or ("",)
    current = {
        (s, n): c or None
        for s, n, c in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() where database_name = ? "
            "union all select schema_name, view_name, comment from duckdb_views() where database_name = ?",
            [here, here],
        ).fetchall()
    }
    for r in relations:
        if current.get((r.schema, r.name)) != (r.comment or None):
            kind = "view" if r.view_sql is not None else "table"
            value = _literal(r.comment) if r.comment else "null"
            con.execute(f"comment on {kind} {r.qualified} is {value}")
    published = {(r.schema, r.name) for r in relations}
    schemas = ", ".join(_literal(s) for s in PUBLISHED_SCHEMAS)
    for schema, table, column, comment, built in con.execute(
        "select p.schema_name, p.table_name, p.column_name, nullif(p.comment, ''), nullif(b.comment, '') "
        "from duckdb_columns() as p left join duckdb_columns() as b on b.database_name = ? "
        "and b.schema_name = p.schema_name and b.table_name = p.table_name and b.column_name = p.column_name "
        f"where p.database_name = ? and p.schema_name in ({schemas})",
        [BUILD, here],
    ).fetchall():
        if (schema, table) in published and comment != built:
            value = _literal(built) if built else "null"
            con.execute(f"comment on column {_ident(schema)}.{_ident(table)}.{_ident(column)} is {value}")


def _verify(con: duckdb.DuckDBPyConnection, relations: list[_Relation]) -> int:
    """Every published relation holds as many rows as in the build; the total."""
    counts = " union all ".join(
        f"select {_literal(r.schema + '.' + r.name)}, (select count(*) from {BUILD}.{r.qualified}), "
        f"(select count(*) from {r.qualified})"
        for r in relations
    )
    found = con.execute(counts).fetchall()
    differ = [(name, built, copied) for name, built, copied in found if built != copied]
    if differ:
        name, built, copied = differ[0]
        more = f" (and {len(differ) - 1} more tables differ)" if len(differ) > 1 else ""
        raise PublishError(
            f"the copy of {name} holds {copied:,} rows, the build {built:,}{more}: "
            "the published warehouse was not replaced"
        )
    return sum(copied for _, _, copied in found)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
