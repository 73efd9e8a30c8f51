"""The deliveries under the raw folder that the load ledger has not seen: what a run would land.

A file is known when the ledger has a row for its path with its size and modification time (whatever became of
it: landed, refused, deferred). The raw-files sensor and the nightly run ask this instead of keeping their own
list of every file they have seen.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kho06.landing.ledger import SCHEMA
from kho06.landing.survey import DELIVERY, RawFile, survey


class LedgerUnavailable(RuntimeError):
    """The build database cannot be read now (a run is writing it)."""


def known_files(db: Path) -> set[tuple[str, int, int]] | None:
    """(source_file, bytes, mtime_ns) of every file the ledger has a row for; None when there is no ledger yet."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:
        raise LedgerUnavailable(f"{db} is being written: {str(exc).splitlines()[0]}") from None
    with con:
        has = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'load_ledger'",
            [SCHEMA],
        ).fetchone()
        if not has or not has[0]:
            return None
        rows = con.execute(
            f"select distinct source_file, file_bytes, coalesce(file_mtime_ns, 0) from {SCHEMA}.load_ledger"
        ).fetchall()
    return {(f, int(b), int(m)) for f, b, m in rows}


def pending(raw_dir: Path, db: Path) -> list[RawFile]:
    """The deliveries under `raw_dir` the ledger of `db` does not know (all of them when it has no ledger)."""
    return not_known(raw_dir, known_files(db))


def not_known(raw_dir: Path, known: set[tuple[str, int, int]] | None) -> list[RawFile]:
    """The deliveries under `raw_dir` not among `known` (all of them when None: no ledger yet)."""
    found = [f for f in survey(raw_dir).files if f.kind == DELIVERY]
    if known is None:
        return found
    return [f for f in found if (f.rel, f.size, f.mtime_ns) not in known]
