"""The page model of one run: plain dicts and lists the templates lay out, computed from `Inputs`.

Each section is built on its own and says what it lacks: a missing table gives a notice in that section (naming
the table), never a failed build. Charts are rendered here (SVG strings), the templates only place them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from kho06.report import charts
from kho06.report.deliveries import deliveries
from kho06.report.figures import figures, scorecard
from kho06.report.inputs import DQ_TABLES, Inputs
from kho06.report.page import (
    CRITERIA,
    FEEDS,
    LABELS,
    TREND_RUNS,
    Notice,
    Page,
    label,
    share,
    short_node,
)
from kho06.report.where import where


def _held_back(run: dict) -> list[dict]:
    try:
        held = json.loads(run.get("held_back") or "[]")
    except ValueError:
        return [{"node": "?", "reason": f"held_back is not JSON: {run.get('held_back')!r:.80}"}]
    return [h if isinstance(h, dict) else {"node": str(h), "reason": ""} for h in held]


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
        page.sections["where"] = where(inputs, run)
    page.sections["deliveries"] = deliveries(inputs, page, run, previous)
    if is_latest:
        page.sections["figures"] = figures(inputs, run, page)
        page.sections["scorecard"] = scorecard(inputs, run)
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
        node = short_node(held.get("node", "?"))
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
                "share": share(r["failed_records"], r["evaluated_records"]),
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
