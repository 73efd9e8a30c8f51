"""Every query of docs/analysts.md, run as written against the published warehouse the test run builds (the file
analysts open), gives the answer the same figure has when it is recomputed from the landed rows of the build with
the contracts' formulas (landed_figures.py), and the Python example gives the table it promises. A query that is
edited in the document is the query tested."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from landed_figures import (
    age_exclusions,
    coverage_3g4g_by_operator,
    dossiers_by_channel,
    live_stations_by_operator_radio,
    ocop_by_class_group,
    on_time_by_unit_month,
    residents_by_commune_band,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"


def blocks(kind: str) -> dict[str, str]:
    """The named code blocks of the document: `<!-- query: name -->` (SQL) or `<!-- python: name -->`."""
    lang = "sql" if kind == "query" else "python"
    found = re.findall(
        rf"<!-- {kind}: (\w+) -->\n```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL
    )
    return dict(found)


QUERIES = blocks("query")


def rounded_to(value: float | None, exact: float, digits: int) -> bool:
    """`value` is `exact` rounded to `digits` decimals (either way at a tie: engines round ties differently)."""
    return value is not None and abs(value - exact) <= 0.5 * 10**-digits + 1e-9


def run(published, name: str) -> list[dict]:
    cur = published.execute(QUERIES[name])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_the_document_names_every_question():
    assert set(QUERIES) == {
        "residents_without_age_by_rule",
        "on_time_by_district_month",
        "dossiers_by_channel",
        "residents_by_age_band_commune",
        "coverage_3g4g_by_operator",
        "stations_by_operator_technology",
        "ocop_by_stars_and_group",
    }
    assert set(blocks("python")) == {"on_time_by_district_year"}


def test_on_time_rate_by_district_and_month(warehouse, published):
    expected = on_time_by_unit_month(warehouse)
    rows = run(published, "on_time_by_district_month")
    got = {
        (r["unit_kind"], r["district_code"], r["month"]): (r["dossiers_judged"], r["dossiers_judged_on_time"])
        for r in rows
    }
    # every (unit, month) with dossiers, with the same counts; the other rows (a unit without dossiers) are zero
    assert {k: v for k, v in got.items() if k in expected} == expected
    assert all(v == (0, 0) for k, v in got.items() if k not in expected)
    assert len({r["month"] for r in rows}) == 36 and len({r["district_code"] for r in rows} - {None}) == 12
    for r in rows:
        judged, on_time = r["dossiers_judged"], r["dossiers_judged_on_time"]
        assert rounded_to(r["on_time_pct"], 100 * on_time / judged, 1) if judged else r["on_time_pct"] is None
    judged = sum(v[0] for v in expected.values())
    assert 0.85 < sum(v[1] for v in expected.values()) / judged < 1  # about 95 % on time by construction


def test_dossiers_by_channel(warehouse, published):
    expected = dossiers_by_channel(warehouse)
    rows = run(published, "dossiers_by_channel")
    assert {(r["reception_year"], r["channel_name"]): r["dossiers"] for r in rows} == expected
    for year in {r["reception_year"] for r in rows}:
        total = sum(n for (y, _), n in expected.items() if y == year)
        for r in (r for r in rows if r["reception_year"] == year):
            assert rounded_to(r["share_pct"], 100 * r["dossiers"] / total, 1)


def test_residents_by_age_band_and_commune(warehouse, published):
    expected = residents_by_commune_band(warehouse)
    rows = run(published, "residents_by_age_band_commune")
    got = {
        (
            r["commune_code"],
            None if r["age_band"] == "không xác định" else r["age_band"],
            r["age_excluded_by_rule"],
        ): (r["residents"])
        for r in rows
    }
    assert got == expected
    figure = published.execute(
        "select value from marts.kpi_article_figures where indicator_id = 'population_records_digitised'"
    ).fetchall()[0][0]
    assert sum(expected.values()) == figure
    assert {rule for _, band, rule in expected if band is None} >= {
        "population.birth_date_after_as_of",
        "population.birth_date_before_1900",
    }  # the simulated impossible dates of birth are there, and without an age


def test_residents_without_an_age_lead_to_their_rule(warehouse, published):
    rows = run(published, "residents_without_age_by_rule")
    assert {r["rule_id"]: r["residents"] for r in rows} == age_exclusions(warehouse)
    assert all(r["description_en"] for r in rows)
    latest = published.execute("select run_id from dq.runs order by run_started_at desc limit 1").fetchall()[
        0
    ][0]
    for r in rows:  # the rule's failing records include every resident it left without an age
        flagged = published.execute(
            "select count(*) from marts.fct_residents_counted r join dq.failed_records f "
            "on f.record_key = r.record_id and f.rule_id = ? and f.run_id = ? where r.age_excluded_by_rule = ?",
            [r["rule_id"], latest, r["rule_id"]],
        ).fetchall()[0][0]
        assert flagged == r["residents"]


def test_coverage_by_operator(warehouse, published):
    expected = coverage_3g4g_by_operator(warehouse)
    rows = run(published, "coverage_3g4g_by_operator")
    assert {r["net_code"]: (r["communes_covered"], r["residents_covered"]) for r in rows} == {
        net: (communes, residents) for net, (communes, residents, _) in expected.items()
    }
    for r in rows:
        _, covered, total = expected[r["net_code"]]
        assert rounded_to(r["population_coverage_pct"], 100 * covered / total, 2)
    assert {r["net_code"]: r["operator_name"] for r in rows}[4] == "Viettel"


def test_stations_by_operator_and_technology(warehouse, published):
    expected = live_stations_by_operator_radio(warehouse)
    rows = run(published, "stations_by_operator_technology")
    net = dict(published.execute("select operator_name, net_code from marts.dim_operator").fetchall())
    assert {(net[r["operator_name"]], r["radio_code"]): r["live_stations"] for r in rows} == expected
    stations = published.execute(
        "select value from marts.kpi_article_figures where indicator_id = 'bts_stations'"
    ).fetchall()[0][0]
    assert sum(expected.values()) == stations


def test_ocop_products_by_stars_and_group(warehouse, published):
    expected = ocop_by_class_group(warehouse, 2023)
    rows = run(published, "ocop_by_stars_and_group")
    assert {(r["star_class"], r["group_name"]): r["products"] for r in rows} == expected
    by_class = {c: sum(n for (k, _), n in expected.items() if k == c) for c, _ in expected}
    assert by_class == {
        "3_star": 231,
        "4_star": 118,
        "5_star_candidate": 2,
    }  # the published split, whole feed


def test_the_python_example_gives_the_table_it_promises(warehouse, published_warehouse):
    code = blocks("python")["on_time_by_district_year"]
    assert 'WAREHOUSE = "warehouse/kho06.duckdb"' in code
    namespace: dict = {}
    exec(code.replace('"warehouse/kho06.duckdb"', repr(str(published_warehouse))), namespace)  # noqa: S102
    table: pl.DataFrame = namespace["table"]
    expected = on_time_by_unit_month(warehouse)
    by_year: dict[tuple[str, str], list[int]] = {}
    for (kind, code_, month), (judged, on_time) in expected.items():
        if kind == "district":
            counts = by_year.setdefault((code_, month[:4]), [0, 0])
            counts[0] += judged
            counts[1] += on_time
    assert table.columns[:2] == ["district_code", "district_name"] and table.height == 12
    for row in table.iter_rows(named=True):
        for year in ("2021", "2022", "2023"):
            judged, on_time = by_year[(row["district_code"], year)]
            assert rounded_to(row[year], 100 * on_time / judged, 1)
