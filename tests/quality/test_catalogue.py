"""The rule catalogue is well formed: every rule complete and unique, every check model a dbt model with the
columns a rule needs, one asset check per rule and asset, and a broken entry refused with its file named."""

from __future__ import annotations

import pytest
import yaml

from kho06.quality import catalogue


def test_every_rule_is_complete_and_unique():
    rules = catalogue.load()
    assert len(rules) > 250
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.criterion in catalogue.CRITERIA and rule.severity in catalogue.SEVERITIES
        assert rule.description_vi.strip() and rule.description_en.strip()
        assert rule.asset.count("/") == 1, rule.id
    # one column per rule in its check model, and one asset check name per rule on its asset
    assert len({(r.check_model, r.column) for r in rules}) == len(rules)
    assert len({(r.asset, r.name) for r in rules}) == len(rules)


def test_every_feed_is_measured_on_every_criterion():
    rules = catalogue.load()
    for feed in ("population", "dossiers", "bts", "ocop"):
        assert {r.criterion for r in rules if r.feed == feed} == set(catalogue.CRITERIA), feed


def test_every_check_model_has_its_sql_and_the_location_columns():
    models = {r.check_model for r in catalogue.load()}
    for model in models:
        sql = next(catalogue.CHECKS_DIR.glob(f"*/{model}.sql")).read_text(encoding="utf-8")
        assert "quality_rule_columns()" in sql, model


def test_a_broken_entry_is_refused_naming_its_file(tmp_path):
    folder = tmp_path / "checks" / "population"
    folder.mkdir(parents=True)
    entry = {
        "id": "population.x",
        "criterion": "đúng",
        "severity": "fatal",
        "description_vi": "a",
        "description_en": "b",
        "fails_when": "true",
    }
    model = {
        "name": "chk_x",
        "config": {"meta": {"feed": "population", "asset": "landing/x", "rules": [entry]}},
    }
    (folder / "_population__checks.yml").write_text(yaml.safe_dump({"models": [model]}, allow_unicode=True))
    with pytest.raises(catalogue.CatalogueError, match="severity 'fatal'"):
        catalogue.load(tmp_path / "checks")
