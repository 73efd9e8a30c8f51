"""`kho06 bench pipeline`'s arithmetic, without running anything: a run's steps (its last_run.json) grouped into
stages, each step's peak memory taken from the samples of its own time window, and the ratios."""

import json

import pytest

from kho06.bench import stages as st
from kho06.bench.pipeline import _last_run
from kho06.bench.tree import TreeRun

T0 = 1_700_000_000.0
STEPS = [  # as `kho06 run` writes them, in run order (epoch seconds)
    {"step": "landing__population_events", "started": T0 + 1.0, "ended": T0 + 3.0, "seconds": 2.0},
    {"step": "landing__dossiers", "started": T0 + 3.0, "ended": T0 + 6.0, "seconds": 3.0},
    {"step": "reference__communes_2025", "started": T0 + 6.05, "ended": T0 + 6.1, "seconds": 0.05},
    {"step": "dbt_models", "started": T0 + 7.0, "ended": T0 + 12.0, "seconds": 5.0},
    {"step": "dbt_daily", "started": T0 + 12.0, "ended": T0 + 15.0, "seconds": 3.0},
    {"step": "quality_stage", "started": T0 + 15.0, "ended": T0 + 17.0, "seconds": 2.0},
    {"step": "report__site", "started": T0 + 17.0, "ended": T0 + 18.0, "seconds": 1.0},
]
# the tree's memory: 400 MiB while landing, 1,000 in the landing of the dossiers, 3,000 in dbt_models, 250 after
SERIES = [(T0 + t / 5, 400.0) for t in range(5, 16)]
SERIES += [(T0 + t / 5, 1000.0) for t in range(16, 30)]
SERIES += [(T0 + 6.0, 700.0), (T0 + 6.2, 650.0)]
SERIES += [(T0 + t / 5, 3000.0 if t < 60 else 1200.0) for t in range(35, 75)]
SERIES += [(T0 + t / 5, 800.0 if t < 85 else 250.0) for t in range(75, 92)]


def test_every_step_key_of_a_run_has_its_stage():
    assert [st.stage_of(s["step"]) for s in STEPS] == [
        "landing", "landing", "reference", "dbt", "dbt", "quality", "report"
    ]  # fmt: skip
    assert st.stage_of("publish_report") == "publish"
    assert st.stage_of("reference__feed_deliveries") == "reference"
    assert st.stage_of("admin_units") == "reference"  # the reference tables of the administrative units
    assert st.stage_of("quality_rules_dossiers") == "quality"
    assert st.stage_of("not_deliveries") == "other"


def test_each_step_takes_the_peak_of_its_own_window(tmp_path):
    (tmp_path / "last_run.json").write_text(
        json.dumps({"mode": "full", "seconds": 18.5, "success": True, "steps": STEPS})
    )
    run = TreeRun(["kho06", "run"], 3, 20.0, 3000.0, SERIES)
    record = _last_run(tmp_path, run)
    peaks = {s["step"]: s["peak_mib"] for s in record["steps"]}
    assert peaks == {
        "landing__population_events": 400.0,
        "landing__dossiers": 1000.0,
        # 50 ms, no sample inside: the larger of the samples at its two edges
        "reference__communes_2025": 700.0,
        "dbt_models": 3000.0,
        "dbt_daily": 1200.0,
        "quality_stage": 800.0,
        "report__site": 250.0,
    }
    assert record["last_run"] == {"mode": "full", "seconds": 18.5, "success": True}
    assert record["series"][0] == [0.0, 400.0]

    stages = {r["stage"]: r for r in record["stages"]}
    assert list(stages) == ["landing", "reference", "dbt", "quality", "report", "outside the steps"]
    assert stages["landing"]["seconds"] == pytest.approx(5.0)
    assert stages["landing"]["peak_mib"] == 1000.0
    assert (stages["landing"]["started"], stages["landing"]["ended"]) == (T0 + 1.0, T0 + 6.0)
    assert stages["dbt"]["seconds"] == pytest.approx(8.0)
    assert stages["dbt"]["peak_mib"] == 3000.0
    assert stages["quality"]["peak_mib"] == 800.0
    # the wall time the steps do not account for: process start, definitions, summaries
    assert stages["outside the steps"]["seconds"] == pytest.approx(20.0 - 16.05)


def test_a_run_without_its_record_has_no_stages(tmp_path):
    record = _last_run(tmp_path, TreeRun(["kho06", "run"], 0, 20.0, 3000.0, SERIES))
    assert record["steps"] == [] and record["stages"] == [] and record["last_run"] is None
    assert record["peak_mib"] == 3000.0


def test_window_peak_without_any_sample_near():
    assert st.window_peak([], T0, T0 + 1) is None
    assert st.window_peak([(T0 - 5, 10.0)], T0, T0 + 1) == 10.0  # only a sample before
    assert (
        st.window_peak([(T0 + 5, 20.0), (T0 + 9, 90.0)], T0, T0 + 1) == 20.0
    )  # the first after, not the max


def test_ratios_within_one_repetition():
    stages = st.group(st.attribute(STEPS, SERIES), 20.0)
    r = st.ratios(floor_s=4.0, full_s=20.0, stages=stages, nightly_s=6.0)
    assert r["P/F"] == pytest.approx(5.0)
    assert r["stage/F"]["dbt"] == pytest.approx(2.0)
    assert r["stage/F"]["landing"] == pytest.approx(1.25)
    assert r["N_s"] == 6.0 and r["N/F"] == pytest.approx(1.5)
    assert st.ratios(4.0, 20.0, [], None)["N/F"] is None


def test_growth_between_scales_against_the_data():
    by_scale = {
        1.0: {
            "raw_bytes": 1000,
            "raw_rows": 500,
            "F_s": 20.0,
            "P_s": 300.0,
            "N_s": 30.0,
            "P_peak_mib": 4000.0,
        },
        0.1: {"raw_bytes": 100, "raw_rows": 50, "F_s": 2.5, "P_s": 60.0, "N_s": 20.0, "P_peak_mib": 1000.0},
    }
    (g,) = st.growth(by_scale)
    assert (g["from"], g["to"]) == (0.1, 1.0)
    assert g["bytes"] == pytest.approx(10.0) and g["rows"] == pytest.approx(10.0)
    assert g["F"] == pytest.approx(8.0)
    assert g["P"] == pytest.approx(5.0)
    assert g["N"] == pytest.approx(1.5)
    assert g["P_peak"] == pytest.approx(4.0)
    assert g["P_per_data"] == pytest.approx(0.5)
    assert st.growth({1.0: by_scale[1.0]}) == []
