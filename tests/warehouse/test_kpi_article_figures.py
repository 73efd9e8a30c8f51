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


def test_every_figure_says_what_it_rests_on(warehouse):
    """kpi_figure_inputs: for every figure, the records it reads and counts, and per cleaning rule the records the
    rule leaves out; the counted residents are the figure itself, and what the rules leave out of the register
    is exactly the injected copies and deaths (the truth file is not read: the session's feed holds both)."""
    figures = {
        r[0] for r in warehouse.execute("select indicator_id from marts.kpi_article_figures").fetchall()
    }
    totals = dict(
        warehouse.execute(
            "select indicator_id, source_records - counted_records = excluded_records and counted_records <= "
            "source_records from marts.kpi_figure_inputs where rule_id is null"
        ).fetchall()
    )
    assert set(totals) == figures and all(totals.values())
    population = dict(
        warehouse.execute(
            "select coalesce(rule_id, 'total'), excluded_records from marts.kpi_figure_inputs "
            "where indicator_id = 'population_records_digitised'"
        ).fetchall()
    )
    counted = warehouse.execute(
        "select counted_records from marts.kpi_figure_inputs "
        "where indicator_id = 'population_records_digitised' and rule_id is null"
    ).fetchone()[0]
    value = warehouse.execute(
        "select value from marts.kpi_article_figures where indicator_id = 'population_records_digitised'"
    ).fetchone()[0]
    assert counted == value
    assert population["population.duplicate_record"] > 0 and population["population.dead_still_active"] > 0
    assert population["total"] <= sum(v for k, v in population.items() if k != "total")
