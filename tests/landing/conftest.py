import os

import duckdb
import pytest

from kho06.landing.feeds import CONTRACTS
from kho06.landing.ledger_summary import conservation_failures
from kho06.landing.loader import land
from kho06.landing.not_deliveries import record_not_deliveries
from kho06.landing.survey import survey


def files_under(raw) -> list[str]:
    """Every entry under the raw folder that is a file, a link or something else that is not a folder, as a path
    relative to it (links and hidden folders are not entered), except raw/README.md and raw/_truth/."""
    found = []
    for folder, dirs, files in os.walk(raw):
        rel = os.path.relpath(folder, raw)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != "_truth"]
            files = [f for f in files if f != "README.md"]
        for d in list(dirs):
            link = os.path.islink(os.path.join(folder, d))
            if link or d.startswith("."):
                dirs.remove(d)
                found.append(os.path.normpath(os.path.join(rel, d)) + ("" if link else "/"))
        found += [os.path.normpath(os.path.join(rel, f)) for f in files]
    return sorted(found)


def assert_accounted(con, raw) -> dict[str, str]:
    """Every file under raw has a row in the ledger, and every landing table conserves its rows; returns each
    file's latest status."""
    latest = dict(
        con.execute(
            "select source_file, arg_max(status, loaded_at) from landing.load_ledger group by 1"
        ).fetchall()
    )
    missing = [f for f in files_under(raw) if f not in latest]
    assert missing == [], f"not in the ledger: {missing}"
    for c in CONTRACTS:
        if con.execute(
            "select count(*) from information_schema.tables where table_schema = 'landing' and table_name = ?",
            [c.table],
        ).fetchone()[0]:
            assert conservation_failures(con, c.table) == [], c.table
    return latest


@pytest.fixture
def lander(tmp_path):
    """Write files under a fresh raw/ folder and land them with a real contract into a fresh DuckDB."""
    raw = tmp_path / "raw"
    raw.mkdir()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))

    class Lander:
        raw_dir = raw
        db = con

        def write(self, rel: str, data: bytes):
            path = raw / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return path

        def land(self, contract, days=None):
            return {o.source_file: o for o in land(con, contract, raw, days)}

        def land_all(self):
            """Every contract landed and the files that are not deliveries recorded, as `kho06 run` does."""
            found = survey(raw)
            outcomes = {o.source_file: o for c in CONTRACTS for o in land(con, c, raw, found=found)}
            record_not_deliveries(con, found)
            return outcomes

        def accounted(self):
            return assert_accounted(con, raw)

        def rows(self, table):
            return con.execute(f"select count(*) from landing.{table}").fetchone()[0]

        def quarantine(self, table):
            return con.execute(
                "select source_row, reason, raw_text from landing.quarantine where table_name = ? order by 1",
                [table],
            ).fetchall()

        def ledger(self, table):
            return con.execute(
                "select source_file, status, rows_read, rows_landed, rows_quarantined, message, is_current "
                "from landing.load_ledger where table_name = ? order by loaded_at, source_file",
                [table],
            ).fetchall()

        def ledger_row(self, source_file):
            """The latest ledger row of a file, as a dict."""
            cur = con.execute(
                "select * from landing.load_ledger where source_file = ? order by loaded_at desc limit 1",
                [source_file],
            )
            names = [d[0] for d in cur.description]
            found = cur.fetchone()
            return dict(zip(names, found, strict=True)) if found else None

    yield Lander()
    con.close()
