"""Fixtures of the dossiers tests: the feed simulated at a small scale, clean and with defects, read back."""

from __future__ import annotations

import pytest
from dossiers_files import (
    SCALE,
)

from kho06.simulator import dossiers


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(dossiers, scale=SCALE, defect_rate=0.0)


@pytest.fixture(scope="module")
def dirty(simulate_feed):
    return simulate_feed(dossiers, scale=SCALE)
