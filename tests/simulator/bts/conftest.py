"""Fixtures of the bts tests: the feed simulated at a small scale, clean and with defects, read back."""

from __future__ import annotations

import pytest

from kho06.simulator import bts


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(bts, defect_rate=0.0)


@pytest.fixture(scope="module")
def dirty(simulate_feed):
    return simulate_feed(bts, defect_rate=0.01)
