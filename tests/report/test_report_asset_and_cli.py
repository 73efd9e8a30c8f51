"""The report as Dagster materialises it and as the command line shows it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import dagster as dg
import pytest
from dagster_duckdb import DuckDBResource
from typer.testing import CliRunner

from kho06.cli import app
from kho06.report import build_site
from orchestration.defs.report.report_site import DQ_KEYS, _after, publish_report_job, report_site

KHO06 = str(Path(sys.executable).parent / "kho06")


def test_the_asset_writes_the_site_with_its_metadata(warehouse_copy, tmp_path):
    with mock.patch.dict(os.environ, {"KHO06_WAREHOUSE_DIR": str(tmp_path)}):
        result = dg.materialize(
            [report_site], resources={"duckdb": DuckDBResource(database=str(warehouse_copy))}
        )
    assert result.success
    meta = result.asset_materializations_for_node("report__site")[0].metadata
    assert meta["path"].value == str(tmp_path / "report" / "index.html")
    assert (tmp_path / "report" / "index.html").exists()
    assert meta["pages"].value == 7 and meta["size_bytes"].value > 100_000
    assert meta["build_seconds"].value > 0 and meta["dq_history"].value is True
    assert set(report_site.asset_deps[report_site.key]) == set(DQ_KEYS)


def test_the_nightly_job_renders_the_report_after_the_quality_stage():
    from orchestration.definitions import defs

    job = defs().resolve_job_def("nightly")
    upstream = {
        o.node_name for o in job.graph.dependency_structure.all_upstream_outputs_from_node("report__site")
    }
    assert "quality_stage" in upstream
    publish = {
        o.node_name
        for o in job.graph.dependency_structure.all_upstream_outputs_from_node("publish__warehouse")
    }
    assert "report__site" in publish  # the analysts' warehouse is replaced last


def test_a_report_follows_a_failed_run_and_runs_of_other_jobs_not_its_own_or_a_good_night():
    def ended(job):
        return SimpleNamespace(dagster_run=SimpleNamespace(job_name=job, run_id="abc"))

    assert isinstance(_after(ended("nightly")), dg.RunRequest)  # a failed night: its report step was skipped
    assert isinstance(_after(ended("nightly"), succeeded=True), dg.SkipReason)  # it rendered its own
    assert isinstance(_after(ended("some_backfill_job"), succeeded=True), dg.RunRequest)
    assert isinstance(_after(ended(publish_report_job.name)), dg.SkipReason)


def test_kho06_report_prints_the_path_or_says_there_is_none(warehouse_copy, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["report", "--warehouse", str(tmp_path)])
    assert missing.exit_code == 2 and "no report" in missing.output
    built = runner.invoke(app, ["report", "--warehouse", str(warehouse_copy.parent), "--build"])
    assert built.exit_code == 0, built.output
    index = warehouse_copy.parent / "report" / "index.html"
    assert str(index) in built.output and index.exists()
    again = runner.invoke(app, ["report", "--warehouse", str(warehouse_copy.parent)])
    assert again.exit_code == 0 and again.stdout.strip() == str(index)


IGNORING_INTERRUPTS = [
    sys.executable,
    "-c",
    (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])"
    ),
]
"""Starts a command as a shell without job control starts one in the background (SIGINT ignored), with SIGTERM
ignored as well, as Dagster leaves it in a process that ran a job there (it maps SIGTERM to SIGINT's handler)."""


@pytest.mark.parametrize("started", ["in the foreground", "with the interrupts ignored"])
def test_kho06_report_serve(report_warehouse, tmp_path, started):
    """`kho06 report --serve` answers, and stops on SIGTERM, also when it was started with SIGINT and SIGTERM
    ignored (kho06 puts their defaults back)."""
    build_site(report_warehouse["db"], tmp_path / "report")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    launcher = [] if started == "in the foreground" else IGNORING_INTERRUPTS
    server = subprocess.Popen(
        [*launcher, KHO06, "report", "--serve", "--port", str(port), "--warehouse", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as r:
                    body = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        assert "Báo cáo chất lượng dữ liệu" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/history.html", timeout=2) as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_warehouse_held_by_a_writer_is_named_not_a_traceback(warehouse_copy):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(warehouse_copy)!r}); print(1, flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        holder.stdout.readline()
        result = CliRunner().invoke(app, ["report", "--warehouse", str(warehouse_copy.parent), "--build"])
        assert result.exit_code == 3 and "a pipeline run is probably writing it" in " ".join(
            result.output.split()
        )
        assert not (warehouse_copy.parent / ".report.staging").exists()
    finally:
        holder.kill()
        holder.wait()
