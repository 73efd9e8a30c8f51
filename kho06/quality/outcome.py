"""What a rule's validation found (failing rows, a masked sample, an error), apart from the engine that found it
(Great Expectations, kho06.quality.suites, or the benchmark's plain SQL, kho06.quality.plain_sql): the quality
stage reads it without importing Great Expectations, which takes seconds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kho06.quality.catalogue import Rule

SAMPLE_SIZE = 10


@dataclass
class Outcome:
    """What the validation found for one rule."""

    rule: Rule
    failing_rows: int | None = None
    sample: list[dict] = field(default_factory=list)
    error: str | None = None


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def sample(rows: list[dict]) -> list[dict]:
    return [
        {"record_key": _plain(r.get("record_key")), "value": _plain(r.get("value"))}
        for r in rows[:SAMPLE_SIZE]
    ]


def sample_json(outcome: Outcome) -> str:
    return json.dumps(outcome.sample, ensure_ascii=False)
