import duckdb
import pytest

from kho06.landing.loader import land


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

    yield Lander()
    con.close()
