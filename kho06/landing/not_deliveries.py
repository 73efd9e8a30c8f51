"""Files under the raw folder that are not deliveries, recorded in the load ledger with their reason.

Such a file (a link, a hidden, temporary or partial file, a name or folder no contract has) is never read; it is
recorded with status `ignored`, its feed guessed from its first folder, once while it stays the same (size and
time), so that nothing under raw/ goes unaccounted for and nothing is reported twice.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from kho06.landing import ledger
from kho06.landing.survey import RawFile, Survey


def record_not_deliveries(
    con: duckdb.DuckDBPyConnection, found: Survey
) -> tuple[list[RawFile], list[RawFile]]:
    """Record the survey's files that are not deliveries; returns (all of them, those recorded just now)."""
    ledger.ensure(con)
    seen = ledger.recorded_unread(con)
    files = found.ignored()
    new = [f for f in files if (f.rel, f.size, f.mtime_ns, "ignored") not in seen]
    now = datetime.now()
    ledger.append(
        con,
        [
            ledger.row(
                feed=f.feed,
                source_file=f.rel,
                file_bytes=f.size,
                file_mtime_ns=f.mtime_ns,
                status="ignored",
                message=f.reason,
                loaded_at=now,
            )
            for f in new
        ],
    )
    return files, new
