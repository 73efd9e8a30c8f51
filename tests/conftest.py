import os
import subprocess
import sys
from pathlib import Path

import pytest

from kho06.reference.admin_units import load_geography
from kho06.simulator.config import SimConfig
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog

BUILT_SCALE = 0.002
"""The scale of the session's warehouse (`built_warehouse`)."""
KHO06 = str(Path(sys.executable).parent / "kho06")


@pytest.fixture(scope="session")
def geo():
    return load_geography()


@pytest.fixture(scope="session")
def simulate_feed(tmp_path_factory, geo):
    """Run one feed's simulator into a fresh folder; returns (cfg, result, truth frame). Cached per arguments."""
    cache = {}

    def run(module, scale=0.002, seed=6, defect_rate=0.01, **kw):
        key = (module.__name__, scale, seed, defect_rate, tuple(sorted(kw.items())))
        if key not in cache:
            out = tmp_path_factory.mktemp(module.__name__.rsplit(".", 1)[-1])
            cfg = SimConfig(out=out, scale=scale, seed=seed, defect_rate=defect_rate, **kw)
            truth = DefectLog()
            result = module.simulate(cfg, geo, truth, FeedProgress())
            truth.write(out)
            cache[key] = (cfg, result, truth.frame())
        return cache[key]

    return run


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory):
    """(raw folder, build database, output of the run): a whole warehouse built once per test session, all four
    feeds simulated at a small scale (defects included), landed, modelled and published by `kho06 run`, exactly
    as an operator runs it. The published file is `published_warehouse`."""
    root = tmp_path_factory.mktemp("warehouse_build")
    raw, wh = root / "raw", root / "wh"
    subprocess.run(
        [KHO06, "simulate", "--out", str(raw), "--scale", str(BUILT_SCALE), "--seed", "6"],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    env["KHO06_KPI_COUNT_SCALE"] = str(BUILT_SCALE)
    run = subprocess.run(
        [KHO06, "run", "--raw", str(raw), "--warehouse", str(wh)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return raw, wh / "build.duckdb", run.stdout + run.stderr


@pytest.fixture(scope="session")
def published_warehouse(built_warehouse) -> Path:
    """The file `kho06 run` published for analysts beside the build database of `built_warehouse`."""
    published = built_warehouse[1].with_name("kho06.duckdb")
    assert published.is_file(), f"`kho06 run` published nothing at {published}"
    return published
