"""Fixtures of the population tests: the feed simulated at a small scale, clean and with defects, read back."""

from __future__ import annotations

import pytest
from population_files import (
    RATE,
    SCALE,
    read_events,
    read_snapshot,
)

from kho06.simulator import population


@pytest.fixture(scope="module")
def run(simulate_feed):
    return simulate_feed(population, scale=SCALE, defect_rate=RATE)


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(population, scale=SCALE, defect_rate=0.0)


@pytest.fixture(scope="module")
def clean_data(clean):
    cfg = clean[0]
    return read_snapshot(cfg.out), read_events(cfg.out)


@pytest.fixture(scope="module")
def defect_data(run):
    cfg = run[0]
    return read_snapshot(cfg.out), read_events(cfg.out)
