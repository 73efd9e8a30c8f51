"""A command timed as a whole process tree: wall time from the parent, and the memory of the process and all its
descendants (dbt runs as child processes) sampled with psutil every `interval` seconds — the sum of their resident
sets, kept as a timestamped series and its largest value. A sum of resident sets counts pages that processes share
(the Python libraries mapped by each) once per process: it bounds the tree's memory from above."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import psutil

from kho06.bench.stages import Sample


@dataclass
class TreeRun:
    command: list[str]
    exit_code: int
    seconds: float
    peak_mib: float
    series: list[Sample] = field(default_factory=list)
    """(epoch s, MiB) samples of the whole tree"""
    stderr_tail: str = ""
    load: tuple[float, float] = (0.0, 0.0)
    """the machine's load average over the last minute when the command started and when it ended"""


def tree_rss_mib(root: psutil.Process) -> float:
    """The resident memory of a process and its descendants, MiB (a process that ends meanwhile counts 0)."""
    total = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def run_tree(command: list[str], env: dict[str, str] | None = None, interval: float = 0.2) -> TreeRun:
    """Run `command` to its end, sampling its process tree's memory; its stdout is discarded, its stderr kept."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, text=True, env=env)
        root = psutil.Process(proc.pid)
        series: list[Sample] = []
        while proc.poll() is None:
            series.append((time.time(), tree_rss_mib(root)))
            try:
                proc.wait(timeout=interval)
            except subprocess.TimeoutExpired:
                pass
        seconds = time.perf_counter() - t0
        err.seek(0)
        stderr = err.read()
    peak = max((mib for _, mib in series), default=0.0)
    load = (load_before, os.getloadavg()[0])
    return TreeRun(command, proc.returncode, seconds, peak, series, stderr[-4000:], load)


def child_env(**extra: str) -> dict[str, str]:
    """This environment without the settings that place a warehouse (the command's own options place it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KHO06_RAW_DIR", "KHO06_WAREHOUSE_DIR", "KHO06_DUCKDB_PATH")
    }
    return {**env, **extra}
