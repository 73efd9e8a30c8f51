"""The file analysts open (`kho06.duckdb`) holds only what they read, and nothing personal; it is replaced in one
rename, never written in place: a reader keeps reading while a run publishes, a failed publish or a killed run
leaves it as it was, and the next run replaces it (kho06/publish/warehouse.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from personal_data import delivered_names, personal_data_in

from kho06.publish import PUBLISHED_SCHEMAS, PublishError, publish
from kho06.publish import warehouse as publishing
from kho06.publish.warehouse import temporary_files

KHO06 = str(Path(sys.executable).parent / "kho06")
SYSTEM = ("information_schema", "pg_catalog")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relations(db: Path) -> set[tuple[str, str, str]]:
    """(schema, name, table or view) of every relation of `db` outside the system schemas."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            (s, n, "table")
            for s, n in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        } | {
            (s, n, "view")
            for s, n in con.execute(
                "select schema_name, view_name from duckdb_views() "
                "where database_name = current_database() and not internal"
            ).fetchall()
        }


@pytest.fixture
def build_copy(built_warehouse, published_warehouse, tmp_path) -> dict[str, Path]:
    """{"build", "published"}: copies of the session's build database and published file, to change."""
    wh = tmp_path / "wh"
    wh.mkdir()
    shutil.copy(built_warehouse[1], wh / "build.duckdb")
    shutil.copy(published_warehouse, wh / "kho06.duckdb")
    return {"build": wh / "build.duckdb", "published": wh / "kho06.duckdb"}


# (a) what is published


def test_the_published_file_holds_only_what_analysts_read(built_warehouse, published_warehouse):
    found = relations(published_warehouse)
    assert {s for s, _, _ in found} == set(PUBLISHED_SCHEMAS)
    built = {(s, n) for s, n, _ in relations(built_warehouse[1]) if s in PUBLISHED_SCHEMAS}
    assert {(s, n) for s, n, _ in found} == built  # every table and view of the three schemas, no other
    assert {n for s, n, _ in relations(built_warehouse[1]) if s == "staging"}  # what is left out exists
    views = {(s, n) for s, n, kind in found if kind == "view"}
    assert {("marts", "fct_residents_counted"), ("marts", "fct_ocop_products_counted")} <= views
    with duckdb.connect(str(published_warehouse), read_only=True) as con:  # the published file alone
        attached = con.execute("select database_name from duckdb_databases() where not internal").fetchall()
        assert attached == [("kho06",)]
        for schema, name in sorted(views):
            assert con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0] > 0, name
        # dbt's descriptions come along: every mart and every mart column has its comment, as in the build
        missing = con.execute(
            "select count(*) from duckdb_columns() where schema_name = 'marts' and comment is null"
        ).fetchone()[0]
        described = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts' and comment is not null"
        ).fetchone()[0]
    assert missing == 0 and described == len({n for s, n, k in found if s == "marts" and k == "table"})


def test_no_personal_data_in_the_published_file(built_warehouse, published_warehouse):
    names = delivered_names(built_warehouse[1])
    assert len(names) > 1000
    assert personal_data_in(published_warehouse, names) == []


def test_the_personal_data_check_finds_a_leak(built_warehouse, published_warehouse, tmp_path):
    names = delivered_names(built_warehouse[1])
    leaked = tmp_path / "leaked.duckdb"
    shutil.copy(published_warehouse, leaked)
    with duckdb.connect(str(built_warehouse[1]), read_only=True) as con:
        name, citizen_id = con.execute(
            "select full_name, citizen_id from landing.population_snapshot "
            "where length(citizen_id) = 12 and full_name is not null limit 1"
        ).fetchone()
    with duckdb.connect(str(leaked)) as con:
        con.execute("create table marts.leak (who varchar, id varchar, phone varchar, sample varchar)")
        con.execute(
            "insert into marts.leak values (?, ?, '0912345678', ?)",
            [
                name.title(),
                citizen_id,
                f'[{{"record_key": "x", "value": "{name} / {citizen_id}"}}]',
            ],
        )
    found = personal_data_in(leaked, names)
    assert sorted(f.split(" (")[0] for f in found) == [
        "marts.leak.id: citizen ID",
        "marts.leak.phone: phone number",
        "marts.leak.sample: citizen ID",
        "marts.leak.sample: full name",
        "marts.leak.who: full name",
    ]


# (b) a reader during the swap

READER = """
import sys, time
from pathlib import Path
import duckdb

published, swapped = sys.argv[1], Path(sys.argv[2])
con = duckdb.connect(published, read_only=True)
def read():
    residents = con.execute("select count(*) from marts.fct_residents_counted").fetchone()[0]
    marker = con.execute("select count(*) from duckdb_tables() where table_name = 'publish_marker'").fetchone()[0]
    return residents, marker
first = read()
print("open", flush=True)
after = []
while len(after) < 20:
    seen = read()
    assert seen == first, (seen, first)
    if swapped.exists():
        after.append(seen)
    time.sleep(0.02)
print("read", len(after), "times after the swap, as before:", first, flush=True)
"""


def test_a_reader_keeps_reading_while_the_warehouse_is_swapped(build_copy, tmp_path):
    with duckdb.connect(str(build_copy["build"])) as con:
        con.execute("create table reference.publish_marker as select 1 as x")
    swapped = tmp_path / "swapped"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(build_copy["published"]), str(swapped)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "open\n"
        t0 = time.perf_counter()
        result = publish(build_copy["build"], build_copy["published"])  # the reader holds the old file open
        took = time.perf_counter() - t0
        swapped.touch()
        out, err = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    assert "read 20 times after the swap, as before: (" in out and ", 0)" in out
    assert took < 30 and "reference.publish_marker" in result.tables
    with duckdb.connect(
        str(build_copy["published"]), read_only=True
    ) as con:  # a new connection: the new file
        assert con.execute("select x from reference.publish_marker").fetchall() == [(1,)]
    assert temporary_files(build_copy["published"]) == []


# (c) a failed publish


def _change_every_mart(build: Path) -> None:
    """A night that changed every mart table: the publish must copy each of them again."""
    with duckdb.connect(str(build)) as con:
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall():
            con.execute(f'delete from marts."{name}" where rowid = (select min(rowid) from marts."{name}")')


def _fail_on_third_copy(monkeypatch, build: Path):
    _change_every_mart(build)
    copy = publishing._copy
    done = []

    def failing(con, r):
        done.append(r)
        if len(done) == 3:
            raise RuntimeError(f"disk full while copying {r.schema}.{r.name}")
        return copy(con, r)

    monkeypatch.setattr(publishing, "_copy", failing)
    return RuntimeError, "disk full while copying"


def _lose_rows_of_fct_dossiers(monkeypatch, build: Path):
    _change_every_mart(build)
    copy = publishing._copy

    def losing(con, r):
        copied = copy(con, r)
        if r.name == "fct_dossiers":
            con.execute("delete from marts.fct_dossiers where random() < 0.5")
        return copied

    monkeypatch.setattr(publishing, "_copy", losing)
    return PublishError, "the copy of marts.fct_dossiers holds"


def _build_without_dq(monkeypatch, build: Path):
    with duckdb.connect(str(build)) as con:
        con.execute("drop schema dq cascade")
    return PublishError, "holds no table in dq"


def _no_build(monkeypatch, build: Path):
    build.unlink()
    return PublishError, "no build database"


@pytest.mark.parametrize(
    "failure",
    [
        _fail_on_third_copy,
        _lose_rows_of_fct_dossiers,
        _build_without_dq,
        _no_build,
    ],
    ids=["exception_in_copy", "rows_lost", "build_without_dq", "no_build"],
)
def test_a_failed_publish_leaves_the_published_file_as_it_was(build_copy, monkeypatch, failure):
    published = build_copy["published"]
    before = sha256(published)
    error, message = failure(monkeypatch, build_copy["build"])
    with pytest.raises(error, match=message):
        publish(build_copy["build"], published)
    assert sha256(published) == before
    assert temporary_files(published) == []


def test_a_killed_publish_leaves_a_file_the_next_one_removes(build_copy):
    published = build_copy["published"]
    # what a publish killed before its rename leaves: its temporary file and that file's WAL
    stale = [
        published.with_name("kho06.duckdb.0badc0ffee00.tmp"),
        published.with_name("kho06.duckdb.0b.tmp.wal"),
    ]
    for f in stale:
        f.write_bytes(b"half a database")
    assert temporary_files(published) == sorted(stale)
    before = published.stat().st_ino
    result = publish(build_copy["build"], published)
    assert temporary_files(published) == [] and not any(f.exists() for f in stale)
    assert published.stat().st_ino != before and result.bytes == published.stat().st_size  # a new file


# the Dagster asset


def test_the_asset_publishes_last_and_reports_what_it_published(build_copy, monkeypatch):
    import dagster as dg

    from orchestration.defs.publish.warehouse import publish_warehouse

    monkeypatch.setenv("KHO06_DUCKDB_PATH", str(build_copy["build"]))
    monkeypatch.setenv("KHO06_PUBLISHED_PATH", str(build_copy["published"]))
    before = build_copy["published"].stat().st_ino
    result = dg.materialize([publish_warehouse], raise_on_error=False)
    assert result.success
    [materialised] = result.asset_materializations_for_node("publish__warehouse")
    meta = {k: v.value for k, v in materialised.metadata.items()}
    assert meta["path"] == str(build_copy["published"]) and build_copy["published"].stat().st_ino != before
    assert meta["tables_copied"] == len(relations(build_copy["published"])) and meta["views"] == 3
    assert (
        meta["size_mib"] == round(build_copy["published"].stat().st_size / 2**20, 2) and meta["seconds"] > 0
    )
    # downstream of the quality stage and the report (both jobs select it: tests/asset_graph.json)
    assert {k.to_user_string() for k in publish_warehouse.asset_deps[publish_warehouse.key]} >= {
        "report/site",
        "dq/failed_records",
    }


# (e) a publish that starts from the published file


def published_content(db: Path) -> dict:
    """Every relation of `db` with its kind, comment, columns (names, types, comments) and rows (count and sum
    of row hashes)."""
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = {(s, n): (k, c) for s, n, k, c in con.execute(
            "select schema_name, table_name, 'table', comment from duckdb_tables() "
            "where database_name = current_database() union all select schema_name, view_name, 'view', "
            "comment from duckdb_views() where database_name = current_database() and not internal"
        ).fetchall()}  # fmt: skip
        return {
            (s, n): (
                kind,
                comment,
                con.execute(
                    "select column_name, data_type, comment from duckdb_columns() "
                    "where database_name = current_database() and schema_name = ? and table_name = ? "
                    "order by column_index",
                    [s, n],
                ).fetchall(),
                con.execute(f'select count(*), sum(hash(t)::hugeint) from "{s}"."{n}" as t').fetchone(),
            )
            for (s, n), (kind, comment) in kinds.items()
        }


def test_a_publish_from_the_published_file_writes_what_a_copy_from_scratch_writes(build_copy, tmp_path):
    build, published = build_copy["build"], build_copy["published"]
    before = published_content(published)
    with duckdb.connect(str(build)) as con:  # a night: one mart changed, a run's results added, ...
        con.execute("update marts.fct_dossiers set on_time_class = 'late' where rowid % 7 = 0")
        con.execute("insert into dq.runs select 'night-2' as run_id, * exclude (run_id) from dq.runs limit 1")
        con.execute("drop table reference.public_holidays")  # ... a table gone, another new
        con.execute("create table reference.publish_marker as select 1 as x")
        con.execute("comment on table marts.fct_cells is 'described again'")
        con.execute("comment on column marts.dim_agency.agency_code is null")
    result = publish(build, published)
    scratch = publish(build, tmp_path / "scratch" / "kho06.duckdb")
    assert scratch.written is None  # nothing to start from: every relation copied
    assert result.written is not None and {
        "marts.fct_dossiers",
        "dq.runs",
        "reference.publish_marker",
    } <= set(result.written)
    assert not {"marts.fct_residents", "dq.rule_failures"} & set(result.written)  # kept as published
    after = published_content(published)
    assert after == published_content(scratch.path)
    assert after != before and ("reference", "public_holidays") not in after
    assert after[("marts", "fct_cells")][1] == "described again"
    assert personal_data_in(published, delivered_names(build)) == []


def test_a_changed_dq_history_is_copied_again_not_appended(build_copy, tmp_path):
    build, published = build_copy["build"], build_copy["published"]
    with duckdb.connect(str(build)) as con:  # an older run's row changed, a new run added
        con.execute("update dq.runs set message = 'changed' where rowid = 0")
        con.execute("insert into dq.runs select 'night-2' as run_id, * exclude (run_id) from dq.runs limit 1")
    publish(build, published)
    assert published_content(published) == published_content(
        publish(build, tmp_path / "scratch" / "kho06.duckdb").path
    )


# (d) a run killed while dbt runs


def _dbt_running(pid: int) -> bool:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return False
    for child in children:
        try:
            cmd = child.cmdline()
        except psutil.Error:
            continue
        if any(Path(part).name == "dbt" for part in cmd[:2]) and "build" in cmd:
            return True
    return False


def _runs_published(published: Path) -> int:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("select count(*) from dq.runs").fetchone()[0]


@pytest.mark.slow
def test_a_run_killed_during_dbt_leaves_the_published_file_as_it_was(built_warehouse, build_copy):
    raw = built_warehouse[0]
    wh = build_copy["published"].parent
    published = build_copy["published"]
    before, runs_before = sha256(published), _runs_published(published)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    env["KHO06_KPI_COUNT_SCALE"] = "0.002"
    command = [KHO06, "run", "--raw", str(raw), "--warehouse", str(wh)]
    run = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while not _dbt_running(run.pid):
            assert run.poll() is None, "the run ended before dbt started"
            assert time.monotonic() < deadline, "dbt did not start within 300 s"
            time.sleep(0.2)
        time.sleep(1)  # dbt is writing the build database
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # kill -9 of the run and of its dbt
        run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    assert sha256(published) == before
    assert temporary_files(published) == []
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert f"warehouse for analysts: {published}" in again.stderr.replace("\n", "")
    assert sha256(published) != before
    assert _runs_published(published) == runs_before + 1  # the killed run published nothing, this one did
    assert temporary_files(published) == []
