"""The page's section on where the failures are: districts (heat table), communes (map), agencies, operators."""

from __future__ import annotations

from collections import defaultdict

from kho06.report import charts
from kho06.report.inputs import Inputs
from kho06.report.page import (
    FEEDS,
    TOP,
    label,
)


def where(inputs: Inputs, run: dict) -> dict:
    need = ("dq.failed_records", "reference.legacy_communes")
    if not inputs.has(*need):
        return {"missing": inputs.missing(*need)}
    run_id = run["run_id"]
    communes = inputs.communes()
    commune_by = {c["commune_code"]: c for c in communes}
    district_names = (
        {d["district_code"]: d["district_name"] for d in inputs.districts()}
        if inputs.has("reference.legacy_districts")
        else {c["district_code"]: c["district_name"] for c in communes}
    )
    records = defaultdict(dict)
    for r in inputs.records_by_unit():
        records[(r["feed"], r["level"])][r["unit"]] = r["records"]
    by_commune = defaultdict(dict)
    for r in inputs.failures_by(run_id, "commune_code"):
        by_commune[r["feed"]][r["unit"]] = r["failed"]
    by_district = defaultdict(dict)
    for r in inputs.failures_by(run_id, "district_code"):
        by_district[r["feed"]][r["unit"]] = r["failed"]
    feeds = [f for f in FEEDS if by_commune.get(f) or by_district.get(f)]

    def share(feed: str, level: str, unit: str, failed: int) -> float | None:
        # cross-feed rules are about dossiers' agencies: their records are the dossiers
        n = records[("dossiers" if feed == "cross_feed" else feed, level)].get(unit)
        return min(1.0, failed / n) if n else None

    layers, worst_lists = [], []
    for feed in feeds:
        if by_commune[feed]:
            shares = {
                c["commune_code"]: share(
                    feed, "commune", c["commune_code"], by_commune[feed].get(c["commune_code"], 0)
                )
                for c in communes
            }
            known = [v for v in shares.values() if v]
            layers.append((feed.replace("_", "-"), shares, max(known) if known else 0.0, feed))
        top_communes = sorted(by_commune[feed].items(), key=lambda kv: -kv[1])[:TOP]
        top_districts = sorted(by_district[feed].items(), key=lambda kv: -kv[1])[:TOP]
        worst_lists.append(
            {
                "feed": feed,
                "label": label("feed", feed),
                "districts": [
                    {
                        "code": d,
                        "name": district_names.get(d, d),
                        "failed": n,
                        "share": share(feed, "district", d, n),
                    }
                    for d, n in top_districts
                ],
                "communes": [
                    {
                        "code": c,
                        "name": commune_by.get(c, {}).get("commune_name", c),
                        "district": commune_by.get(c, {}).get("district_name", ""),
                        "failed": n,
                        "share": share(feed, "commune", c, n),
                    }
                    for c, n in top_communes
                ],
            }
        )
    tips = {}
    for c in communes:
        code = c["commune_code"]
        parts = [
            f"{label('feed', feed)[0]} {by_commune[feed].get(code, 0)}"
            + (f" ({100 * v:.1f}%)".replace(".", ",") if (v := shares.get(code)) is not None else "")
            for _name, shares, _worst, feed in layers
        ]
        tips[code] = f"{c['commune_name']}, {c['district_name']} — " + "; ".join(parts)
    drawn = [(name, shares, worst) for name, shares, worst, _feed in layers]
    maps = {
        "svg": charts.commune_map(communes, drawn, tips, "Bản đồ tỷ lệ bản ghi lỗi theo xã"),
        "css": charts.layer_css(drawn, ".maps:has(#map-{0}:checked)"),
        "layers": [
            {
                "id": name,
                "label": label("feed", feed),
                "worst": worst,
                "legend": [charts.level_colour(str(k), worst) for k in range(1, charts.LEVELS + 1)],
                "zero": charts.level_colour("0", worst),
            }
            for name, _shares, worst, feed in layers
        ],
    }
    # heat table: districts × feeds, the failure share of each (distinct failing records / records)
    heat_rows = []
    all_shares = [
        share(f, "district", d, n)
        for f in feeds
        for d, n in by_district[f].items()
        if share(f, "district", d, n)
    ]
    worst_district = max(all_shares) if all_shares else 0.0
    for code, name in sorted(district_names.items()):
        cells = []
        for feed in feeds:
            failed = by_district[feed].get(code, 0)
            s = share(feed, "district", code, failed)
            cells.append({"failed": failed, "share": s, "colour": charts.rate_colour(s, worst_district)})
        heat_rows.append({"code": code, "name": name, "cells": cells})
    agencies = inputs.agencies()
    top_agencies = defaultdict(int)
    for r in inputs.failures_by(run_id, "agency_code"):
        top_agencies[r["unit"]] += r["failed"]
    operators = [r for r in inputs.failures_by(run_id, "operator")]
    op_total = defaultdict(int)
    for r in operators:
        op_total[r["unit"]] += r["failed"]
    return {
        "maps": maps,
        "worst": worst_lists,
        "heat": {"feeds": [(f, label("feed", f)) for f in feeds], "rows": heat_rows},
        "agencies": [
            {"code": code, "name": agencies.get(code, ""), "failed": n}
            for code, n in sorted(top_agencies.items(), key=lambda kv: -kv[1])[: 2 * TOP]
        ],
        "operators": [
            {"name": name, "failed": n} for name, n in sorted(op_total.items(), key=lambda kv: -kv[1])
        ],
        "max_agency": max(top_agencies.values(), default=0),
        "max_operator": max(op_total.values(), default=0),
    }
