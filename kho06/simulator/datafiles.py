"""The simulator's data files: vocabularies, catalogues and weights kept as CSV or YAML under each package's
`data/` folder (read with importlib.resources, so they travel with the package)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Any

import yaml


def _text(package: str, name: str) -> str:
    return (resources.files(package) / "data" / name).read_text(encoding="utf-8")


@cache
def csv_rows(package: str, name: str) -> tuple[dict[str, str], ...]:
    """The rows of `<package>/data/<name>` as dicts of strings, in file order."""
    return tuple(csv.DictReader(io.StringIO(_text(package, name))))


def csv_column(package: str, name: str, column: str) -> list[str]:
    """One column of a CSV data file, in file order."""
    return [row[column] for row in csv_rows(package, name)]


def csv_weights(package: str, name: str, key: str, weight: str = "weight") -> dict[str, float]:
    """A CSV data file of weighted values as {value: weight}, in file order."""
    return {row[key]: float(row[weight]) for row in csv_rows(package, name)}


@cache
def yaml_data(package: str, name: str) -> Any:
    # libyaml's loader when PyYAML has it: the procedure catalogue parses in a tenth of the time
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(_text(package, name), Loader=loader)
