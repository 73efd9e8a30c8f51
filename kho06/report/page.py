"""What every section of the report's page shares: the feeds and criteria in their order, the labels, the page
and its notices."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any

FEEDS = ("population", "dossiers", "bts", "ocop", "cross_feed")
CRITERIA = ("đúng", "đủ", "sạch", "sống")
TREND_RUNS = 30  # sparklines show up to this many runs up to the page's run
TOP = 5  # districts, communes, agencies, operators listed per feed
SCORE_ATTENTION = 98.0  # a figure whose feed scores below this on a criterion is flagged


def labels() -> dict[str, tuple[str, str]]:
    text = resources.files("kho06.report").joinpath("labels.csv").read_text(encoding="utf-8")
    return {r["key"]: (r["vi"], r["en"]) for r in csv.DictReader(text.splitlines())}


LABELS = labels()


def label(kind: str, key: str | None) -> tuple[str, str]:
    return LABELS.get(f"{kind}.{key}", (str(key), str(key)))


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


def share(failed, evaluated) -> float | None:
    return failed / evaluated if evaluated else None


def short_node(node: str) -> str:
    return node.rsplit(".", 1)[-1]


def held_models(run: dict | None) -> set[str]:
    """The models dbt held back in a run (`run["held"]`, set by build_page), by their short names."""
    return {short_node(h.get("node", "")) for h in (run or {}).get("held", [])}
