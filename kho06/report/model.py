"""The page model of one run: plain dicts and lists the templates lay out, computed from `Inputs`.

Each section is built on its own and says what it lacks: a missing table gives a notice in that section (naming
the table), never a failed build. Charts are rendered here (SVG strings), the templates only place them.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from kho06.report import charts
from kho06.report.inputs import DQ_TABLES, Inputs

FEEDS = ("population", "dossiers", "bts", "ocop", "cross_feed")
CRITERIA = ("đúng", "đủ", "sạch", "sống")
TREND_RUNS = 30  # sparklines show up to this many runs up to the page's run
TOP = 5  # districts, communes, agencies, operators listed per feed
SCORE_ATTENTION = 98.0  # a figure whose feed scores below this on a criterion is flagged
WEIGHTS_MACRO = (
    Path(__file__).resolve().parents[2] / "dbt_project/macros/public_services/public_services_code_lists.sql"
)


def labels() -> dict[str, tuple[str, str]]:
    text = resources.files("kho06.report").joinpath("labels.csv").read_text(encoding="utf-8")
    return {r["key"]: (r["vi"], r["en"]) for r in csv.DictReader(text.splitlines())}


LABELS = labels()


def label(kind: str, key: str | None) -> tuple[str, str]:
    return LABELS.get(f"{kind}.{key}", (str(key), str(key)))


def weights_766() -> dict[str, float]:
    """The Decision 766 weights of the scorecard, read from the dbt macro that defines them (one source)."""
    try:
        text = WEIGHTS_MACRO.read_text(encoding="utf-8")
    except OSError:
        return {}
    block = text[text.find("public_services_766_weights") :]
    return {k: float(v) for k, v in re.findall(r"'(\w+_rate)':\s*([\d.]+)", block[: block.find("endmacro")])}


@dataclass
class Notice:
    level: str  # "danger", "warn", "info"
    vi: str
    en: str
    detail: str = ""


@dataclass
class Page:
    """Everything one page shows."""

    run: dict | None
    runs: list[dict]
    is_latest: bool
    generated_at: datetime
    notices: list[Notice] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)


def _held_back(run: dict) -> list[dict]:
    try:
        held = json.loads(run.get("held_back") or "[]")
    except ValueError:
        return [{"node": "?", "reason": f"held_back is not JSON: {run.get('held_back')!r:.80}"}]
    return [h if isinstance(h, dict) else {"node": str(h), "reason": ""} for h in held]


def _short_node(node: str) -> str:
    return node.rsplit(".", 1)[-1]


def _share(failed, evaluated) -> float | None:
    return failed / evaluated if evaluated else None


def build_page(inputs: Inputs, run_id: str | None, is_latest: bool, now: datetime | None = None) -> Page:
    now = now or datetime.now()
    runs = inputs.runs() if inputs.has("dq.runs") else []
    by_id = {r["run_id"]: r for r in runs}
    run = by_id.get(run_id) if run_id else None
    page = Page(run=run, runs=runs, is_latest=is_latest, generated_at=now)
    position = runs.index(run) if run else len(runs)
    previous = runs[position - 1] if run and position > 0 else None
    history = runs[max(0, position + 1 - TREND_RUNS) : position + 1] if run else []
    if run:
        run["held"] = _held_back(run)
        run["previous"] = previous
    missing_dq = inputs.missing(*DQ_TABLES)
    if missing_dq:
        page.notices.append(
            Notice(
                "warn",
                "Chưa có kết quả kiểm tra chất lượng: kho dữ liệu chưa có bảng "
                + ", ".join(missing_dq)
                + ". Trang này chỉ có phần tiếp nhận tệp, chỉ tiêu và bảng điểm 766.",
                "No quality results yet: the warehouse has no "
                + ", ".join(missing_dq)
                + " table. This page shows the deliveries, the figures and the 766 scorecard only.",
            )
        )
    if run:
        _run_notices(page, run)
        results = inputs.check_results(run["run_id"]) if inputs.has("dq.check_results") else []
        prev_results = (
            inputs.check_results(previous["run_id"]) if previous and inputs.has("dq.check_results") else []
        )
        page.sections["grid"] = _grid(inputs, run, history)
        page.sections["news"] = _news(results, prev_results, previous)
        page.sections["rules"] = _rules(inputs, results, prev_results, history)
        page.sections["where"] = _where(inputs, run)
    page.sections["deliveries"] = _deliveries(inputs, page, run, previous)
    if is_latest:
        page.sections["figures"] = _figures(inputs, run, page)
        page.sections["scorecard"] = _scorecard(inputs, run)
    page.notices.sort(key=lambda n: ("danger", "warn", "info").index(n.level))
    return page


def _run_notices(page: Page, run: dict) -> None:
    if run["status"] == "failed":
        page.notices.append(
            Notice(
                "danger",
                "Lần chạy này THẤT BẠI: số liệu dưới đây có thể thiếu hoặc cũ.",
                "This run FAILED: what follows may be incomplete or stale.",
                run.get("message") or "",
            )
        )
    elif run["run_finished_at"] is None:
        page.notices.append(
            Notice("warn", "Bước kiểm tra chất lượng chưa kết thúc.", "The quality stage has not finished.")
        )
    for held in run["held"]:
        node = _short_node(held.get("node", "?"))
        vi, en = LABELS.get(f"node.{node}", (f"Bảng {node}", node))
        page.notices.append(
            Notice(
                "danger",
                f"{vi} ({node}) bị giữ lại, không được xây dựng lần này: số liệu là của lần chạy trước.",
                f"{en} ({node}) was held back this run: its figures are the previous build's.",
                held.get("reason") or "",
            )
        )
    if run.get("message") and run["status"] != "failed":
        page.notices.append(Notice("info", run["message"], "Message of the run."))


def _grid(inputs: Inputs, run: dict, history: list[dict]) -> dict:
    if not inputs.has("dq.scores"):
        return {"missing": ["dq.scores"]}
    ids = [r["run_id"] for r in history]
    series: dict[tuple[str, str], dict[str, dict]] = defaultdict(dict)
    for s in inputs.scores(ids):
        series[(s["feed"], s["criterion"])][s["run_id"]] = s
    feeds = [f for f in FEEDS if any((f, c) in series for c in CRITERIA)]
    feeds += sorted({f for f, _ in series} - set(feeds))
    rows = []
    for feed in feeds:
        cells = []
        for crit in CRITERIA:
            per_run = series.get((feed, crit), {})
            now = per_run.get(run["run_id"])
            before = per_run.get(history[-2]["run_id"]) if len(history) > 1 else None
            values = [per_run.get(i, {}).get("score") for i in ids]
            score = now["score"] if now else None
            delta = (
                score - before["score"]
                if now and before and score is not None and before["score"] is not None
                else None
            )
            cells.append(
                {
                    "criterion": crit,
                    "score": score,
                    "failed": now["failed_records"] if now else None,
                    "evaluated": now["evaluated_records"] if now else None,
                    "delta": delta,
                    "colour": charts.score_colour(score),
                    "known": bool(per_run),
                    "spark": charts.sparkline(
                        values,
                        lo=95.0,
                        hi=100.0,
                        label=f"{label('feed', feed)[0]} · {crit}: "
                        + " → ".join("–" if v is None else f"{v:.1f}" for v in values),
                    )
                    if per_run
                    else "",
                }
            )
        rows.append({"feed": feed, "label": label("feed", feed), "cells": cells})
    return {"rows": rows, "criteria": [(c, label("criterion", c)) for c in CRITERIA], "runs": len(ids)}


def _news(results: list[dict], prev_results: list[dict], previous: dict | None) -> dict:
    if previous is None:
        return {"first": True}
    now = {r["rule_id"]: r for r in results}
    before = {r["rule_id"]: r for r in prev_results}
    started = [
        r for k, r in now.items() if r["failed_records"] and not (before.get(k) or {}).get("failed_records")
    ]
    stopped = [
        before[k]
        for k, r in now.items()
        if not r["failed_records"] and (before.get(k) or {}).get("failed_records")
    ]
    rose = [
        {
            **r,
            "before": before[k]["failed_records"],
            "change": r["failed_records"] - before[k]["failed_records"],
        }
        for k, r in now.items()
        if k in before and before[k]["failed_records"] and r["failed_records"] > before[k]["failed_records"]
    ]
    fell = [
        {
            **r,
            "before": before[k]["failed_records"],
            "change": r["failed_records"] - before[k]["failed_records"],
        }
        for k, r in now.items()
        if k in before and r["failed_records"] and r["failed_records"] < before[k]["failed_records"]
    ]
    not_evaluated = sorted(set(before) - set(now))
    feeds_silent = sorted({before[k]["feed"] for k in not_evaluated} - {r["feed"] for r in results})
    return {
        "first": False,
        "started": sorted(started, key=lambda r: -r["failed_records"]),
        "stopped": sorted(stopped, key=lambda r: r["rule_id"]),
        "rose": sorted(rose, key=lambda r: -r["change"]),
        "fell": sorted(fell, key=lambda r: r["change"]),
        "not_evaluated": not_evaluated,
        "feeds_silent": [(f, label("feed", f)) for f in feeds_silent],
    }


def _parse_sample(text: str | None) -> list[dict]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return [{"record_key": "?", "value": "(mẫu không đọc được / unreadable sample)"}]
    out = []
    for item in items[:10] if isinstance(items, list) else []:
        if isinstance(item, dict):
            out.append({"record_key": item.get("record_key"), "value": item.get("value")})
        else:
            out.append({"record_key": None, "value": item})
    return out


def _rules(inputs: Inputs, results: list[dict], prev_results: list[dict], history: list[dict]) -> dict:
    if not inputs.has("dq.check_results"):
        return {"missing": ["dq.check_results"]}
    before = {r["rule_id"]: r for r in prev_results}
    ids = [r["run_id"] for r in history]
    trend: dict[str, dict[str, int]] = defaultdict(dict)
    for h in inputs.rule_history(ids):
        trend[h["rule_id"]][h["run_id"]] = h["failed_records"]
    failing = []
    for r in results:
        if not r["failed_records"]:
            continue
        values = [trend[r["rule_id"]].get(i) for i in ids]
        streak = 0
        for v in reversed(values):
            if not v:
                break
            streak += 1
        prev = before.get(r["rule_id"])
        failing.append(
            {
                **r,
                "feed_label": label("feed", r["feed"]),
                "criterion_label": label("criterion", r["criterion"]),
                "severity_label": label("severity", r["severity"]),
                "share": _share(r["failed_records"], r["evaluated_records"]),
                "samples": _parse_sample(r["sample"]),
                "before": prev["failed_records"] if prev else None,
                "streak": streak,
                "spark": charts.sparkline(
                    [float(v) if v is not None else None for v in values],
                    lo=0.0,
                    label=f"{r['rule_id']}: " + " → ".join("–" if v is None else str(v) for v in values),
                    colour="#c62828" if r["severity"] == "critical" else "#b26a00",
                ),
            }
        )
    failing.sort(key=lambda r: (r["severity"] != "critical", -(r["share"] or 0), r["rule_id"]))
    passing = sorted((r for r in results if not r["failed_records"]), key=lambda r: r["rule_id"])
    return {"failing": failing, "passing": passing, "total": len(results)}


def _where(inputs: Inputs, run: dict) -> dict:
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


def _deliveries(inputs: Inputs, page: Page, run: dict | None, previous: dict | None) -> dict:
    need = ("landing.load_ledger",)
    if not inputs.has(*need):
        return {"missing": list(need)}
    start = run["run_started_at"] if run else None
    end = run["window_end"] if run else None
    as_of = run["as_of_date"] if run else None
    first_day = previous["as_of_date"] if previous else None
    rows = inputs.deliveries(first_day, as_of, start, end)
    by_table: dict[str, dict] = {}
    for r in rows:
        t = by_table.setdefault(
            r["table_name"],
            {
                "feed": r["feed"],
                "table": r["table_name"],
                "label": label("table", r["table_name"]),
                "loaded": 0,
                "refused": 0,
                "duplicate": 0,
                "rows_read": 0,
                "rows_landed": 0,
                "rows_quarantined": 0,
            },
        )
        key = {"loaded": "loaded", "rejected": "refused", "duplicate": "duplicate"}.get(
            r["status"], "refused"
        )
        t[key] += r["files"]
        for k in ("rows_read", "rows_landed", "rows_quarantined"):
            t[k] += r[k]
    # the daily feeds: was each day of the run delivered?
    absent = []
    if as_of:
        for d in inputs.daily_tables():
            delivered = set(inputs.days_delivered(d["table_name"], first_day, as_of))
            start_day = first_day + timedelta(days=1) if first_day else d["first_day"]
            days = [start_day + timedelta(days=i) for i in range((as_of - start_day).days + 1)]
            gaps = [x for x in days if x not in delivered and x >= d["first_day"]]
            if gaps:
                absent.append(
                    {
                        "feed": d["feed"],
                        "table": d["table_name"],
                        "label": label("table", d["table_name"]),
                        "days": gaps,
                    }
                )
    for a in absent:
        shown = ", ".join(x.strftime("%d/%m/%Y") for x in a["days"][:5]) + (
            " …" if len(a["days"]) > 5 else ""
        )
        page.notices.append(
            Notice(
                "danger",
                f"Không nhận được tệp {a['label'][0]} ngày {shown}.",
                f"No {a['label'][1]} file for {shown}.",
            )
        )
    refusals = inputs.refusals(end)
    if refusals:
        page.notices.append(
            Notice(
                "danger",
                f"{len(refusals)} tệp bị từ chối đang chờ gửi lại.",
                f"{len(refusals)} refused file(s) awaiting a new delivery.",
            )
        )
    quarantine = inputs.quarantine_reasons(end) if inputs.has("landing.quarantine") else None
    fresh = []
    for f in inputs.freshness(as_of, end):
        lag = (as_of - f["last_day"]).days if f["daily"] and as_of and f["last_day"] else None
        fresh.append({**f, "label": label("table", f["table_name"]), "lag": lag})
    return {
        "tables": list(by_table.values()),
        "absent": absent,
        "refusals": [{**r, "status_label": label("ledger", r["status"])} for r in refusals],
        "quarantine": quarantine,
        "quarantine_missing": quarantine is None,
        "freshness": fresh,
        "window": {
            "first_day": first_day + timedelta(days=1) if first_day else None,
            "last_day": as_of,
            "start": start,
            "end": end,
        },
    }


def _figures(inputs: Inputs, run: dict | None, page: Page) -> dict:
    if not inputs.has("marts.kpi_article_figures"):
        return {"missing": ["marts.kpi_article_figures"]}
    figures = inputs.figures()
    inputs_by = defaultdict(list)
    if inputs.has("marts.kpi_figure_inputs"):
        for r in inputs.figure_inputs():
            inputs_by[r["indicator_id"]].append(r)
    scores = defaultdict(dict)
    if run and inputs.has("dq.scores"):
        for s in inputs.scores([run["run_id"]]):
            scores[s["feed"]][s["criterion"]] = s["score"]
    held = {_short_node(h.get("node", "")) for h in (run or {}).get("held", [])}
    out = []
    for f in figures:
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


def _scorecard(inputs: Inputs, run: dict | None) -> dict:
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
    held = {_short_node(h.get("node", "")) for h in (run or {}).get("held", [])}
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
