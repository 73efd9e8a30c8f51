"""The rule catalogue: every quality rule, read from the check models' YAML in the dbt project.

A rule is written once, in `dbt_project/models/checks/<feed>/_<feed>__checks.yml` under its check model's
`config.meta.rules`. dbt turns each rule into a column of the check model (macros/rule_columns.sql),
which the marts read where they clean by the rule; this module reads the same entries, and
`kho06.quality.suites` turns them into Great Expectations expectations. See docs/quality.md.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kho06.settings import PROJECT_ROOT

CHECKS_DIR = PROJECT_ROOT / "dbt_project" / "models" / "checks"
CHECKS_SCHEMA = "checks"
CRITERIA = ("đúng", "đủ", "sạch", "sống")
SEVERITIES = ("critical", "warn")
FEEDS = ("population", "dossiers", "bts", "ocop", "cross_feed")
# every check model carries these columns: the failing record's key and where it is (null when not known)
LOCATION_COLUMNS = ("commune_code", "district_code", "agency_code", "operator")


class CatalogueError(ValueError):
    """A rule entry that is incomplete or inconsistent; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    feed: str
    asset: str
    """the Dagster asset the rule validates, e.g. `landing/population_snapshot`"""
    check_model: str
    criterion: str
    severity: str
    description_vi: str
    description_en: str
    fails_when: str
    applies_to: str = "true"
    sample: str = "record_key"
    scope: str = "records"
    """`records` (rows of the feed's data: they make the feed's scores) or `deliveries` (files, days, tables)"""

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def column(self) -> str:
        """The rule's column in its check model: null (not applicable), false (passes), true (fails)."""
        return self.name

    @property
    def check_table(self) -> str:
        return f"{CHECKS_SCHEMA}.{self.check_model}"

    def failing_rows_query(self) -> str:
        """The SQL that finds the failing records, as Great Expectations runs it (and the report shows it)."""
        return (
            f"select record_key, cast({self.sample} as varchar) as value\n"
            f"from {self.check_table}\n"
            f"where ({self.applies_to})\n  and coalesce(({self.fails_when}), false)"
        )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _rule(entry: dict, model: dict, path: Path) -> Rule:
    meta = model.get("config", {}).get("meta", {})
    shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
    where = f"{shown}: model {model['name']}"
    missing = [
        k
        for k in ("id", "criterion", "severity", "description_vi", "description_en", "fails_when")
        if not entry.get(k)
    ]
    if missing:
        raise CatalogueError(f"{where}: rule {entry.get('id', '?')} lacks {', '.join(missing)}")
    rule = Rule(
        id=entry["id"],
        feed=entry.get("feed", meta.get("feed", "")),
        asset=entry.get("asset", meta.get("asset", "")),
        check_model=model["name"],
        criterion=_nfc(entry["criterion"]),
        severity=entry["severity"],
        description_vi=_nfc(entry["description_vi"]),
        description_en=entry["description_en"],
        fails_when=str(entry["fails_when"]),
        applies_to=str(entry.get("applies_to", "true")),
        sample=str(entry.get("sample", "record_key")),
        scope=meta.get("scope", "records"),
    )
    if rule.criterion not in CRITERIA:
        raise CatalogueError(
            f"{where}: rule {rule.id}: criterion {rule.criterion!r} is not one of {CRITERIA}"
        )
    if rule.severity not in SEVERITIES:
        raise CatalogueError(
            f"{where}: rule {rule.id}: severity {rule.severity!r} is not one of {SEVERITIES}"
        )
    if rule.feed not in FEEDS or not rule.id.startswith(rule.feed + "."):
        raise CatalogueError(f"{where}: rule {rule.id}: the id must start with its feed ({'/'.join(FEEDS)})")
    if rule.scope not in ("records", "deliveries"):
        raise CatalogueError(f"{where}: scope {rule.scope!r} is neither records nor deliveries")
    if not rule.asset:
        raise CatalogueError(f"{where}: rule {rule.id} names no asset")
    return rule


@cache
def load(checks_dir: Path = CHECKS_DIR) -> tuple[Rule, ...]:
    """Every rule of the catalogue, in file and entry order; raises CatalogueError on a bad entry."""
    rules: list[Rule] = []
    for path in sorted(checks_dir.glob("*/_*__checks.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            for entry in model.get("config", {}).get("meta", {}).get("rules", []):
                rules.append(_rule(entry, model, path))
    seen: set[str] = set()
    columns: set[tuple[str, str]] = set()
    for rule in rules:
        if rule.id in seen:
            raise CatalogueError(f"rule {rule.id} is listed twice")
        if (rule.check_model, rule.column) in columns:
            raise CatalogueError(
                f"rule {rule.id}: another rule of {rule.check_model} has the column {rule.column}"
            )
        seen.add(rule.id)
        columns.add((rule.check_model, rule.column))
    return tuple(rules)


def check_models(rules: tuple[Rule, ...]) -> dict[str, list[Rule]]:
    """The rules grouped by the check model they read."""
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.check_model, []).append(rule)
    return grouped


def by_feed(rules: tuple[Rule, ...]) -> dict[str, list[Rule]]:
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.feed, []).append(rule)
    return grouped
