"""Dagster's `dg` command works on the project as its documentation describes: it finds the code location from
pyproject.toml and lists its definitions."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DG = str(Path(sys.executable).parent / "dg")


def test_dg_lists_the_nightly_job_and_its_schedule():
    listed = subprocess.run(
        [DG, "list", "defs", "--json"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    defs = json.loads(listed.stdout)
    assert "nightly" in {j["name"] for j in defs.get("jobs", [])}
    assert "nightly_schedule" in {s["name"] for s in defs.get("schedules", [])}
