"""One run at a time writes the warehouse: a second `kho06 run` says so in one line instead of a traceback, and a
killed holder never leaves the warehouse locked."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from kho06.cli import EXIT_BUSY, app

HOLD = """
import sys, time
from kho06 import settings
settings.apply(None, __import__("pathlib").Path(sys.argv[1]))
from orchestration.run_lock import warehouse_lock
with warehouse_lock("a test run"):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(wh: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(wh)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _raw_with_one_delivery(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "ocop").mkdir(parents=True)
    (raw / "ocop" / "danh_sach_san_pham_ocop.xlsx").write_bytes(b"not really a workbook")
    return raw


def test_a_second_run_says_in_one_line_that_the_warehouse_is_busy(tmp_path):
    wh, raw = tmp_path / "wh", _raw_with_one_delivery(tmp_path)
    holder = _holder(wh)
    try:
        result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--warehouse", str(wh)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == EXIT_BUSY
    assert "is busy: a test run (pid" in result.output
    assert "Traceback" not in result.output
    assert not (wh / "build.duckdb").exists() and not (wh / "kho06.duckdb").exists()


def test_a_killed_holder_leaves_no_lock_behind(tmp_path):
    wh = tmp_path / "wh"
    holder = _holder(wh)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    from kho06 import settings
    from orchestration.run_lock import warehouse_lock

    settings.apply(None, wh)
    t0 = time.monotonic()
    with warehouse_lock("the next run"):
        assert "the next run" in (wh / "run.lock").read_text()
    assert time.monotonic() - t0 < 2


def test_an_empty_or_wrong_raw_folder_is_one_clear_line(tmp_path):
    runner = CliRunner()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["run", "--raw", str(empty), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2 and "holds no files" in result.output and "Traceback" not in result.output
    wrong = tmp_path / "wrong"
    (wrong / "photos").mkdir(parents=True)
    (wrong / "photos" / "a.jpg").write_bytes(b"x")
    result = runner.invoke(app, ["run", "--raw", str(wrong), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2 and "no file under" in result.output and "photos/a.jpg" in result.output
