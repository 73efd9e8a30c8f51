"""The article's figures, computed from row-level data with defects present, match their targets."""

import csv
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "kpi_targets.csv"


def test_every_derivable_figure_is_computed_and_matches(warehouse):
    with REFERENCE.open(encoding="utf-8") as f:
        derivable = {r["indicator_id"] for r in csv.DictReader(f) if r["derivable"] == "yes"}
    rows = warehouse.execute(
        "select indicator_id, value, target, matches from marts.kpi_article_figures order by 1"
    ).fetchall()
    assert {r[0] for r in rows} == derivable
    mismatches = [r for r in rows if not r[3]]
    assert mismatches == [], f"figures that do not match their target: {mismatches}"


def test_matches_is_false_when_a_figure_is_off(warehouse):
    """The comparison itself can fail: a count off by one or a rate off by 0.2 point does not match."""
    rows = warehouse.execute(
        """select indicator_id,
                  case when unit = 'percent' then abs((value + 0.2) - target) <= 0.1
                       else abs((value + 1) - target) < 0.5 end
           from marts.kpi_article_figures"""
    ).fetchall()
    assert not any(ok for _, ok in rows)
