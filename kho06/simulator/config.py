"""What a simulation run is asked for, and the random streams derived from it."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

DEFAULT_START = date(2021, 1, 1)
DEFAULT_END = date(2023, 12, 31)
DEFAULT_DEFECT_RATE = 0.01


@dataclass(frozen=True)
class SimConfig:
    out: Path
    scale: float = 1.0
    seed: int = 6
    start: date = DEFAULT_START
    end: date = DEFAULT_END
    defect_rate: float = DEFAULT_DEFECT_RATE

    def rng(self, feed: str, purpose: str) -> np.random.Generator:
        """An independent, reproducible random stream for one purpose of one feed.

        Streams are keyed by name, so adding a stream never shifts the numbers of another: the clean records
        of a feed (purpose "clean...") do not change when the defect rate changes.
        """
        return np.random.default_rng([self.seed, zlib.crc32(feed.encode()), zlib.crc32(purpose.encode())])

    def scaled(self, real_count: int) -> int:
        """A real-scale count at this run's scale (at least 1)."""
        return max(1, round(real_count * self.scale))

    def days(self) -> np.ndarray:
        """Every day of the period, as numpy datetime64[D]."""
        return np.arange(np.datetime64(self.start), np.datetime64(self.end) + 1, dtype="datetime64[D]")

    def feed_dir(self, feed: str) -> Path:
        path = self.out / feed
        path.mkdir(parents=True, exist_ok=True)
        return path


@dataclass(frozen=True)
class FeedResult:
    """What one feed's simulation wrote."""

    feed: str
    files: int
    records: int
    bytes: int
