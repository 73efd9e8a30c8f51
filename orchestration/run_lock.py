"""One run at a time writes the warehouse: an exclusive lock on `<warehouse>/run.lock`.

DuckDB allows one writing process per file. The Dagster queue runs its own runs one at a time; this lock also
keeps `kho06 run` and a Dagster run (or two `kho06 run`) from colliding on the build database. The kernel
releases it when the holder ends, even on `kill -9`, so a killed run never leaves the warehouse locked. The lock
file names its holder, for the message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kho06.settings import get_settings

_held: dict[Path, int] = {}
"""lock files this process holds (a run in process takes it once; its assets find it held)"""


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


def lock_path() -> Path:
    return get_settings().warehouse_dir / "run.lock"


def holder(path: Path | None = None) -> str:
    """Who holds the lock, as its file says (pid, what, since when)."""
    try:
        return (path or lock_path()).read_text().strip() or "another run"
    except OSError:
        return "another run"


@contextmanager
def warehouse_lock(what: str, wait_seconds: float = 0, on_wait=None) -> Iterator[None]:
    """Hold the warehouse for `what`; wait up to `wait_seconds` for another holder to end, else raise
    WarehouseBusy naming the holder. Re-entrant within one process."""
    path = lock_path()
    if path in _held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    told = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"the warehouse {path.parent} is busy: {holder(path)}; try again when it ends"
                    ) from None
                if on_wait is not None and not told:
                    on_wait(f"waiting for the warehouse {path.parent}: {holder(path)}")
                    told = True
                time.sleep(1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{what} (pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M:%S})\n".encode())
        _held[path] = fd
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock
