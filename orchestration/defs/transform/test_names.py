"""A dbt test's check name in words, for the run summary: `accepted_values_dim_channel_channel_code__False__1__2`
becomes "marts/dim_channel: channel_code has accepted values (1, 2)"."""

from __future__ import annotations

import json
from functools import cache

from orchestration.defs.transform.dbt import project


@cache
def _tests() -> dict[str, dict]:
    manifest = json.loads(project.manifest_path.read_text())
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "test"}


def in_words(check_name: str) -> str | None:
    """The test named `check_name` in words, or None when it is not a dbt test of the project."""
    node = _tests().get(check_name)
    if node is None:
        return None
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    column = kwargs.get("column_name")
    what = (meta.get("name") or node["name"]).replace("_", " ")
    values = kwargs.get("values")
    if values:
        shown = ", ".join(str(v) for v in values[:6]) + (", ..." if len(values) > 6 else "")
        what += f" ({shown})"
    if kwargs.get("expression"):
        what += f": {kwargs['expression']}"
    return f"{column}: {what}" if column else what
