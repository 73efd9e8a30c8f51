import pytest

from kho06.reference.admin_units import load_geography
from kho06.simulator.config import SimConfig
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog


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
