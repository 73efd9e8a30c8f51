"""The dbt unit tests (the models' logic on fixed rows: on-time classification, the duplicate rule, the SCD2
lookup, coverage, the KPI formulas, ...). The orchestrated builds leave them out, as dbt recommends for
production; here they run, every one of them, against the session's warehouse."""

import json
import os
import shutil
import subprocess

from small_build import BIN, DBT_PROJECT


def test_every_dbt_unit_test_passes(built_warehouse, tmp_path):
    db = tmp_path / "kho06.duckdb"  # a copy: other tests hold the session's warehouse open read-only
    shutil.copy(built_warehouse[1], db)
    env = {**os.environ, "KHO06_DUCKDB_PATH": str(db)}
    env.pop("KHO06_ENV", None)
    done = subprocess.run(
        [str(BIN / "dbt"), "test", "--select", "test_type:unit", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert len(results) == len(manifest["unit_tests"]) >= 18
    assert {r["status"] for r in results} == {"pass"}
