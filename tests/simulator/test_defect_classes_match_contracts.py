"""Each feed's declared defect classes are the ones its contract's defect table lists (docs/contracts/<feed>.md):
the same names, each with the same criterion, base and kind where the table gives them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kho06.simulator.bts import defects as bts
from kho06.simulator.dossiers import defects as dossiers
from kho06.simulator.ocop import defects as ocop
from kho06.simulator.population import defects as population
from kho06.simulator.truth import CRITERIA, DefectClass

CONTRACTS = Path(__file__).resolve().parents[2] / "docs" / "contracts"
DECLARED = {
    "population": population.CLASSES,
    "dossiers": dossiers.CLASSES,
    "bts": bts.CLASSES,
    "ocop": ocop.CLASSES,
}


def _cells(line: str) -> list[str]:
    return [re.sub(r"[`*]", "", cell).strip() for cell in line.strip().strip("|").split("|")]


def contract_table(feed: str) -> list[dict[str, str]]:
    """The rows of the contract's defect table: the table whose header starts with `class | criterion`."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in (CONTRACTS / f"{feed}.md").read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells if cells[:2] == ["class", "criterion"] else []
        elif header and not set(line.replace("|", "").strip()) <= set("-: "):
            rows.append(dict(zip(header, cells, strict=True)))
    if not rows:
        raise AssertionError(f"no defect table (| class | criterion | ...) in docs/contracts/{feed}.md")
    return rows


COMPARED = ("class", "criterion", "base", "kind")


def _rows(records: list[dict[str, str]], columns: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(r[c] for c in COMPARED if c in columns) for r in records)


@pytest.mark.parametrize("feed", list(DECLARED))
def test_the_declared_classes_are_the_contracts(feed):
    table = contract_table(feed)
    columns = list(table[0])
    declared = [
        {"class": c.name, "criterion": c.criterion, "base": c.base, "kind": c.kind} for c in DECLARED[feed]
    ]
    assert _rows(declared, columns) == _rows(table, columns)


@pytest.mark.parametrize("feed", list(DECLARED))
def test_each_feed_covers_every_criterion_with_distinct_classes(feed):
    names = [cls.name for cls in DECLARED[feed]]
    assert len(names) == len(set(names)) >= 6
    assert {cls.criterion for cls in DECLARED[feed]} == set(CRITERIA)


def test_a_class_with_an_unknown_criterion_or_kind_is_refused():
    with pytest.raises(ValueError, match="criterion"):
        DefectClass("x", "clean", "all", "in place", lambda rng, edits, rows: None)
    with pytest.raises(ValueError, match="kind"):
        DefectClass("x", "đúng", "all", "moved", lambda rng, edits, rows: None)
