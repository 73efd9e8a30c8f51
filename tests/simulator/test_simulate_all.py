"""The whole simulator: all four feeds in one run, the truth file, determinism across the run."""

import hashlib

import polars as pl
import pytest

from kho06.simulator.config import SimConfig
from kho06.simulator.run import FEEDS, OutputNotEmpty, simulate
from kho06.simulator.truth import CRITERIA


def digest(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        simulate(SimConfig(out=out, scale=0.001, seed=11))
        outs.append(out)
    return outs


def test_every_feed_is_written_with_its_truth(two_runs):
    out = two_runs[0]
    for feed in FEEDS:
        assert any((out / feed).rglob("*.*")), feed
    truth = pl.read_csv(out / "_truth" / "defects.csv", infer_schema=False)
    assert truth.columns == ["feed", "record_key", "defect_class", "criterion", "detail"]
    assert set(truth["criterion"]) <= set(CRITERIA)
    per_feed = truth.group_by("feed").agg(
        pl.col("defect_class").n_unique().alias("classes"), pl.col("criterion").n_unique().alias("criteria")
    )
    assert set(per_feed["feed"]) == set(FEEDS)
    assert per_feed["classes"].min() >= 6
    assert per_feed["criteria"].min() == 4, "every feed has defects of all four criteria"
    # each class belongs to exactly one criterion
    assert truth.group_by("feed", "defect_class").agg(pl.col("criterion").n_unique())["criterion"].max() == 1


def test_the_same_seed_gives_the_same_bytes_for_the_whole_run(two_runs):
    a, b = two_runs
    assert digest(a) == digest(b)


def test_a_non_empty_output_is_not_overwritten_silently(two_runs):
    with pytest.raises(OutputNotEmpty, match="--overwrite"):
        simulate(SimConfig(out=two_runs[0], scale=0.001, seed=11))
