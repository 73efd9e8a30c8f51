"""The page's section on the deliveries: files landed, refused, late or missing, per feed and day."""

from __future__ import annotations

from datetime import timedelta

from kho06.report.inputs import Inputs
from kho06.report.page import (
    Notice,
    Page,
    label,
)


def deliveries(inputs: Inputs, page: Page, run: dict | None, previous: dict | None) -> dict:
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
