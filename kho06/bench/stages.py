"""The pure parts of `kho06 bench pipeline`: a run's Dagster steps grouped into stages, each step's peak memory
read from the memory series sampled during the run (by the step's time window), and the ratios between the
measured figures. No process is started here."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

STAGES = ("landing", "reference", "dbt", "quality", "report", "publish", "other")
"""The stages of the table, in run order; `other` takes a step no rule names."""

REFERENCE_STEPS = {"admin_units"}
"""Steps that build reference tables without the word in their key (the administrative units' multi-asset)"""

Sample = tuple[float, float]
"""(epoch seconds, MiB): the resident memory of the whole process tree at one moment."""


def stage_of(step: str) -> str:
    """The stage of a Dagster step key: `landing__…` is the landing; `dbt_models` and `dbt_daily` the dbt builds;
    otherwise the first of reference, publish, quality, report the key names (publish before report, so that a
    step publishing the report counts as the publishing)."""
    if step.startswith("landing__"):
        return "landing"
    if step.startswith("dbt"):
        return "dbt"
    if step in REFERENCE_STEPS:
        return "reference"
    for word in ("reference", "publish", "quality", "report"):
        if word in step:
            return word
    return "other"


def window_peak(series: Sequence[Sample], started: float, ended: float) -> float | None:
    """The largest sample taken from `started` to `ended`. A window shorter than the sampling interval holds no
    sample: then the larger of the last sample before it and the first after it (the memory at its two edges)."""
    inside = [mib for t, mib in series if started <= t <= ended]
    if inside:
        return max(inside)
    before = [mib for t, mib in series if t < started][-1:]
    after = [mib for t, mib in series if t > ended][:1]
    edges = before + after
    return max(edges) if edges else None


def attribute(steps: Iterable[Mapping[str, Any]], series: Sequence[Sample]) -> list[dict]:
    """Each step of a run's `last_run.json` with its stage and its peak memory (MiB) from the sampled series."""
    return [
        {
            "step": s["step"],
            "stage": stage_of(s["step"]),
            "status": s.get("status"),
            "started": s["started"],
            "ended": s["ended"],
            "seconds": s.get("seconds") or 0.0,
            "peak_mib": None
            if s["started"] is None or s["ended"] is None
            else window_peak(series, s["started"], s["ended"]),
        }
        for s in steps
        if s.get("started") is not None  # a step skipped before it started has no window
    ]


def group(steps: Sequence[Mapping[str, Any]], total_seconds: float | None = None) -> list[dict]:
    """The attributed steps summed per stage (seconds added, peak the largest, window from the first start to the
    last end), in run order. With the run's `total_seconds`, a row `outside the steps` holds the rest of the wall
    time (process start, Dagster definitions, summaries between the runs)."""
    rows = []
    for stage in STAGES:
        mine = [s for s in steps if s["stage"] == stage]
        if not mine:
            continue
        peaks = [s["peak_mib"] for s in mine if s["peak_mib"] is not None]
        rows.append(
            {
                "stage": stage,
                "steps": len(mine),
                "seconds": sum(s["seconds"] for s in mine),
                "started": min(s["started"] for s in mine),
                "ended": max(s["ended"] or s["started"] for s in mine),
                "peak_mib": max(peaks) if peaks else None,
            }
        )
    if total_seconds is not None:
        inside = sum(r["seconds"] for r in rows)
        rows.append(
            {
                "stage": "outside the steps",
                "steps": 0,
                "seconds": max(total_seconds - inside, 0.0),
                "peak_mib": None,
            }
        )
    return rows


def ratios(
    floor_s: float, full_s: float, stages: Sequence[Mapping[str, Any]], nightly_s: float | None
) -> dict:
    """The ratios of one repetition: the whole cold run over the floor (P/F), each stage over the floor, and the
    nightly run in seconds and over the floor."""
    return {
        "P/F": full_s / floor_s,
        "stage/F": {r["stage"]: r["seconds"] / floor_s for r in stages},
        "N_s": nightly_s,
        "N/F": None if nightly_s is None else nightly_s / floor_s,
    }


def median(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return statistics.median(kept) if kept else None


def growth(by_scale: Mapping[float, Mapping[str, Any]]) -> list[dict]:
    """Between consecutive scales: how many times the data grew (raw bytes, rows read by the floor) and how many
    times each figure grew (median seconds of F, P and N; largest peak of P), and the time growth over the data
    growth (1 is linear; below 1, the fixed costs weigh less at the larger scale)."""
    scales = sorted(by_scale)
    out = []
    for a, b in itertools.pairwise(scales):
        sa, sb = by_scale[a], by_scale[b]

        def times(key: str, sa: Mapping = sa, sb: Mapping = sb) -> float | None:
            va, vb = sa.get(key), sb.get(key)
            return vb / va if va and vb is not None else None

        row = {
            "from": a,
            "to": b,
            "bytes": times("raw_bytes"),
            "rows": times("raw_rows"),
            "F": times("F_s"),
            "P": times("P_s"),
            "N": times("N_s"),
            "P_peak": times("P_peak_mib"),
        }
        data = row["bytes"]
        row["P_per_data"] = row["P"] / data if row["P"] is not None and data else None
        row["P_peak_per_data"] = row["P_peak"] / data if row["P_peak"] is not None and data else None
        out.append(row)
    return out
