"""Runs the feed simulators in order and writes the truth file."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from contextlib import nullcontext

from kho06.reference.admin_units import load_geography
from kho06.simulator import bts, dossiers, ocop, population
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.progress import FeedProgress, progress_bars
from kho06.simulator.truth import DefectLog

FEEDS: dict[str, Callable[..., FeedResult]] = {
    "population": population.simulate,
    "dossiers": dossiers.simulate,
    "bts": bts.simulate,
    "ocop": ocop.simulate,
}


class OutputNotEmpty(Exception):
    pass


def simulate(
    cfg: SimConfig,
    feeds: Sequence[str] = tuple(FEEDS),
    show_progress: bool = False,
    overwrite: bool = False,
) -> list[FeedResult]:
    """Write the chosen feeds under `cfg.out` and the record of their defects under `cfg.out/_truth/`."""
    unknown = set(feeds) - set(FEEDS)
    if unknown:
        raise ValueError(f"unknown feed(s): {', '.join(sorted(unknown))}; known: {', '.join(FEEDS)}")
    existing = [cfg.out / f for f in [*FEEDS, "_truth"] if (cfg.out / f).exists()]
    if existing and not overwrite:
        raise OutputNotEmpty(
            f"{cfg.out} already holds {', '.join(p.name for p in existing)}; pass --overwrite to replace them"
        )
    for path in existing:
        shutil.rmtree(path)
    cfg.out.mkdir(parents=True, exist_ok=True)

    geo = load_geography()
    truth = DefectLog()
    results = []
    bars = progress_bars() if show_progress else None
    with bars if bars is not None else nullcontext():
        for feed in feeds:
            results.append(FEEDS[feed](cfg, geo, truth, FeedProgress(bars, feed)))
    truth.write(cfg.out)
    return results
