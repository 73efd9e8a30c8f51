"""The simulator's bytes, pinned: the sha256 of every file two small runs write, against `golden_digests.csv`.

A change inside the simulator that keeps its output passes; one that changes a single byte of a single file
fails and names the files. When the output is meant to change, rewrite the digests by running

    KHO06_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/simulator/test_golden_digests.py

and say in the commit why the bytes changed (docs/testing.md).
"""

from __future__ import annotations

import csv
import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from kho06.simulator.config import SimConfig
from kho06.simulator.run import simulate

DIGESTS = Path(__file__).with_name("golden_digests.csv")
UPDATE = os.environ.get("KHO06_UPDATE_SNAPSHOTS") == "1"

# `kho06 simulate --scale 0.002 --seed 6`, and a short period ending before the calibrated years end, with a
# higher defect rate and another seed
RUNS = {
    "default": {"scale": 0.002, "seed": 6},
    "short_period": {
        "scale": 0.002,
        "seed": 7,
        "defect_rate": 0.05,
        "start": date(2022, 11, 1),
        "end": date(2023, 2, 28),
    },
}


def digests_of(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def read_digests() -> dict[str, dict[str, str]]:
    pinned: dict[str, dict[str, str]] = {run: {} for run in RUNS}
    with DIGESTS.open(newline="") as fh:
        for row in csv.DictReader(fh):
            pinned.setdefault(row["run"], {})[row["path"]] = row["sha256"]
    return pinned


def write_digests(found: dict[str, dict[str, str]]) -> None:
    with DIGESTS.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["run", "path", "sha256"])
        for run in sorted(found):
            for path in sorted(found[run]):
                writer.writerow([run, path, found[run][path]])


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, dict[str, str]]:
    found = {}
    for run, options in RUNS.items():
        out = tmp_path_factory.mktemp(f"golden_{run}")
        simulate(SimConfig(out=out, **options))
        found[run] = digests_of(out)
    if UPDATE:
        write_digests(found)
    return found


@pytest.mark.parametrize("run", list(RUNS))
def test_every_file_keeps_its_bytes(written, run):
    pinned, found = read_digests()[run], written[run]
    missing = sorted(set(pinned) - set(found))
    extra = sorted(set(found) - set(pinned))
    changed = sorted(p for p in set(pinned) & set(found) if pinned[p] != found[p])
    assert not (missing or extra or changed), (
        f"run {run}: {len(changed)} files changed {changed[:10]}, {len(missing)} missing {missing[:10]}, "
        f"{len(extra)} new {extra[:10]}; if meant, rewrite with KHO06_UPDATE_SNAPSHOTS=1 (see the docstring)"
    )


def test_the_pinned_runs_cover_every_feed():
    pinned = read_digests()
    for run in RUNS:
        tops = {path.split("/")[0] for path in pinned[run]}
        assert tops == {"population", "dossiers", "bts", "ocop", "_truth"}, (run, tops)
