"""The page's sections on the programme's figures against their targets (with the quality of their inputs) and
on the Decision 766 scorecard."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from kho06.report import charts
from kho06.report.inputs import Inputs
from kho06.report.page import (
    CRITERIA,
    SCORE_ATTENTION,
    Page,
    held_models,
    label,
)

WEIGHTS_MACRO = Path(__file__).resolve().parents[2] / "dbt_project/macros/scorecard_766_weights.sql"


def weights_766() -> dict[str, float]:
    """The Decision 766 weights of the scorecard, read from the dbt macro that defines them (one source)."""
    try:
        text = WEIGHTS_MACRO.read_text(encoding="utf-8")
    except OSError:
        return {}
    block = text[text.find("public_services_766_weights") :]
    return {k: float(v) for k, v in re.findall(r"'(\w+_rate)':\s*([\d.]+)", block[: block.find("endmacro")])}


def figures(inputs: Inputs, run: dict | None, page: Page) -> dict:
    if not inputs.has("marts.kpi_article_figures"):
        return {"missing": ["marts.kpi_article_figures"]}
    rows = inputs.figures()
    inputs_by = defaultdict(list)
    if inputs.has("marts.kpi_figure_inputs"):
        for r in inputs.figure_inputs():
            inputs_by[r["indicator_id"]].append(r)
    scores = defaultdict(dict)
    if run and inputs.has("dq.scores"):
        for s in inputs.scores([run["run_id"]]):
            scores[s["feed"]][s["criterion"]] = s["score"]
    held = held_models(run)
    out = []
    for f in rows:
        feeds = [x for x in (f["feed"] or "").split("+") if x]
        rows = inputs_by.get(f["indicator_id"], [])
        total = next((r for r in rows if r["rule_id"] is None), None)
        rules = [r for r in rows if r["rule_id"] is not None and r["excluded_records"]]
        feed_scores = [
            {
                "feed": x,
                "label": label("feed", x),
                "cells": [
                    {
                        "criterion": c,
                        "score": scores[x].get(c),
                        "colour": charts.score_colour(scores[x].get(c)),
                    }
                    for c in CRITERIA
                ],
            }
            for x in feeds
        ]
        weak = [
            (x["label"][0], c["criterion"], c["score"])
            for x in feed_scores
            for c in x["cells"]
            if c["score"] is not None and c["score"] < SCORE_ATTENTION
        ]
        excluded_share = (
            total["excluded_records"] / total["source_records"] if total and total["source_records"] else None
        )
        top = max(v for v in (f["value"], f["target"]) if v is not None) if f["value"] or f["target"] else 0
        out.append(
            {
                **f,
                "unit_label": label("unit", f["unit"]),
                "total": total,
                "rules": rules,
                "excluded_share": excluded_share,
                "feed_scores": feed_scores,
                "weak": weak,
                "doubtful": bool(f["matches"]) and bool(weak or (excluded_share or 0) > 0.01),
                "bar": charts.bar(
                    f["value"],
                    top * 1.05,
                    mark=f["target"],
                    colour="#1a7f37" if f["matches"] else "#c62828",
                    label=f"{f['value']} / {f['target']}",
                ),
            }
        )
    return {
        "figures": out,
        "inputs_missing": not inputs.has("marts.kpi_figure_inputs"),
        "held": "kpi_article_figures" in held,
        "scores_known": bool(scores),
    }


RATES = (
    "on_time_rate",
    "online_rate",
    "digitisation_rate",
    "online_payment_rate",
    "positive_rating_rate",
    "national_portal_procedure_rate",
)
SCORECARD_MARTS = ("scorecard_766_province", "scorecard_766_district")


def scorecard(inputs: Inputs, run: dict | None) -> dict:
    tables = [f"marts.{m}" for m in SCORECARD_MARTS]
    if not inputs.has(*tables):
        return {"missing": [t for t in tables if not inputs.has(t)]}
    rows = inputs.scorecard()
    if not rows:
        return {"empty": True}
    months = sorted({r["month_start"] for r in rows})
    weights = weights_766()
    # the province's own row: the mart sums the counts and computes the rates once (never an average of rates)
    province = {r["month_start"]: r for r in rows if r["unit_kind"] == "province"}
    by_district = defaultdict(dict)
    names = {}
    for r in rows:
        if r["unit_kind"] == "province":
            continue
        key = r["district_code"] or r["unit_kind"]
        by_district[key][r["month_start"]] = r
        names[key] = r["district_name"]
    last, prev = months[-1], months[-2] if len(months) > 1 else None

    def move(now, before):
        return now - before if now is not None and before is not None else None

    districts = []
    for key in sorted(by_district, key=lambda k: (not k.isdigit(), k)):
        cur = by_district[key].get(last, {})
        before = by_district[key].get(prev, {}) if prev else {}
        series = [by_district[key].get(m, {}).get("score_766") for m in months]
        districts.append(
            {
                "code": key if key.isdigit() else None,
                "name": names[key],
                "row": cur,
                "move": move(cur.get("score_766"), before.get("score_766")),
                "rate_moves": {k: move(cur.get(k), before.get(k)) for k in RATES},
                "spark": charts.sparkline(
                    series, lo=0.0, hi=100.0, label=f"{names[key]}: điểm 766 theo tháng"
                ),
                "colour": charts.score766_colour(cur.get("score_766")),
            }
        )
    districts_ranked = sorted(
        (d for d in districts if d["code"] and d["row"].get("score_766") is not None),
        key=lambda d: -d["row"]["score_766"],
    )
    for rank, d in enumerate(districts_ranked, start=1):
        d["rank"] = rank
    districts = districts_ranked + [d for d in districts if "rank" not in d]
    held = held_models(run)
    pl, pp = province.get(last, {}), province.get(prev, {}) if prev else {}
    return {
        "months": months,
        "last": last,
        "previous": prev,
        "province": pl,
        "province_move": move(pl.get("score_766"), pp.get("score_766")),
        "province_rate_moves": {k: move(pl.get(k), pp.get(k)) for k in RATES},
        "rates": [(k, label("rate", k)) for k in RATES],
        "districts": districts,
        "chart": charts.month_chart(
            [m.strftime("%m/%y") for m in months],
            [province.get(m, {}).get("score_766") for m in months],
            label="Điểm 766 toàn tỉnh theo tháng / province 766 score by month",
        ),
        "weights": weights,
        "held": any(m in held for m in SCORECARD_MARTS),
        "partial_month": run is not None
        and run["as_of_date"] is not None
        and (last.year, last.month) == (run["as_of_date"].year, run["as_of_date"].month)
        and (run["as_of_date"] + timedelta(days=1)).month == last.month,
    }
