"""The dbt unit tests (the models' logic on fixed rows: on-time classification, the duplicate rule, the SCD2
lookup, coverage, the KPI formulas, ...). The orchestrated builds leave them out, as dbt recommends for
production; here they run, every one of them, against the session's warehouse."""

import json

from small_build import copy_of, dbt


def test_every_dbt_unit_test_passes(built_warehouse, tmp_path):
    wh = copy_of(built_warehouse[1], tmp_path)
    dbt(wh, "test", "--select", "test_type:unit")
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    assert len(results) == len(manifest["unit_tests"]) >= 13
    assert {r["status"] for r in results} == {"pass"}
