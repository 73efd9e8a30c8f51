"""Benchmark plumbing: each measured step runs in a child process (`python -m kho06.bench.steps ...`), timed by
wall clock, its own peak memory read from the kernel (wait4's ru_maxrss). Steps are repeated and medians quoted;
ratios are taken within one repetition, so a busy machine slows both sides alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Measure:
    step: str
    seconds: float
    peak_mib: float
    detail: dict


def measure(step: str, *args: str, env: dict | None = None) -> Measure:
    """Run one bench step in a child process; its last stdout line is a JSON object of details."""
    cmd = [sys.executable, "-m", "kho06.bench.steps", step, *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {step} failed (exit {proc.returncode}):\n{stderr[-3000:]}")
    lines = stdout.strip().splitlines()
    detail = json.loads(lines[-1]) if lines else {}
    return Measure(step, seconds, usage.ru_maxrss / 1024, detail)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
