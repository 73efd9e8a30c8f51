"""The command line: every verb has --help, also through `python -m kho06.cli`; simulate writes the feeds and
refuses to overwrite silently."""

import os
import subprocess
import sys

from typer.testing import CliRunner

from kho06.cli import COMMAND_GROUPS, app

runner = CliRunner()


def test_every_verb_has_help():
    for args in (
        ["--help"],
        ["simulate", "--help"],
        ["run", "--help"],
        ["bench", "--help"],
        ["bench", "simulate", "--help"],
        ["bench", "ingest", "--help"],
        ["bench", "nightly", "--help"],
        ["bench", "models", "--help"],
        ["bench", "pipeline", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_python_m_lists_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "kho06.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ["simulate", "run", *COMMAND_GROUPS]:
        assert f" {command} " in out, (command, out)


def test_simulate_writes_small_feeds_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "raw"
    args = ["simulate", "--out", str(out), "--scale", "0.001", "--feed", "ocop", "--feed", "bts"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "ocop" / "danh_sach_san_pham_ocop.xlsx").exists()
    assert (out / "bts" / "cells" / "cell_towers_452.csv").exists()
    assert (out / "_truth" / "defects.csv").exists()
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--overwrite" in again.output
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0


def test_simulate_rejects_bad_dates(tmp_path):
    result = runner.invoke(app, ["simulate", "--out", str(tmp_path), "--start", "2023-13-01"])
    assert result.exit_code != 0
    result = runner.invoke(
        app, ["simulate", "--out", str(tmp_path), "--start", "2023-02-01", "--end", "2023-01-01"]
    )
    assert result.exit_code != 0


def _main(args: list[str], before: str = "") -> subprocess.CompletedProcess:
    """`kho06 ARGS` as the installed command runs it (`kho06.cli:main`), with `before` run first in its process."""
    code = f"import sys\n{before}\nfrom kho06.cli import main\nsys.argv = ['kho06', *{args!r}]\nmain()\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe buffers, as in a shell
    return subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120, env=env
    )


def test_the_command_ends_with_its_status_its_whole_output_and_its_exit_handlers(tmp_path):
    ran = _main(["run", "--raw", str(tmp_path / "missing")])
    assert ran.returncode == 2
    assert "does not exist" in ran.stderr
    usage = _main(["nosuch"])
    assert usage.returncode == 2 and "No such command" in usage.stderr
    # everything written reaches the pipe, exit handlers run, and a thread still working is waited for
    helped = _main(
        ["--help"],
        before=(
            "import atexit, threading, time\n"
            "atexit.register(lambda: print('exit handler ran', flush=False))\n"
            "threading.Thread(target=lambda: (time.sleep(1), print('thread finished'))).start()"
        ),
    )
    assert helped.returncode == 0
    lines = helped.stdout.splitlines()
    assert "Usage" in helped.stdout and " run " in helped.stdout
    assert lines[-2:] == ["thread finished", "exit handler ran"]
