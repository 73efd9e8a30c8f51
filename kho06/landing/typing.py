"""SQL that types the text of a delivery: one expression per column, and a reason when a value does not fit.

Values are kept as delivered (an empty string is NULL); only what cannot be read as the column's type is
refused, with a reason naming the column and the value, so the row goes to quarantine instead of being lost.
"""

from __future__ import annotations

from kho06.landing.contract import Column


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def _raw(col: Column) -> str:
    return f"nullif(trim({q(col.source)}), '')"


def _parse(col: Column, fmt: str) -> str:
    cast = "::date" if col.type == "DATE" else ""
    return f"try_strptime({_raw(col)}, '{fmt}'){cast}"


def typed(col: Column) -> str:
    """The typed value of a column."""
    if col.type == "VARCHAR":
        return f"nullif({q(col.source)}, '')"
    if col.type == "JSON":
        return f"{q(col.source)}::json"
    if col.type in ("DATE", "TIMESTAMP"):
        parts = [_parse(col, f) for f in col.formats]
        return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
    return f"try_cast({_raw(col)} as {col.type})"


def failure(col: Column) -> str | None:
    """A reason (text) when the value is present but cannot be read as the column's type, else NULL."""
    if col.type in ("VARCHAR", "JSON"):
        return None
    what = {"DATE": "a date", "TIMESTAMP": "a date-time", "DOUBLE": "a number"}.get(col.type, "an integer")
    fmt = f" ({' or '.join(col.formats)})" if col.formats else ""
    return (
        f"case when {_raw(col)} is not null and {typed(col)} is null then "
        f"'{col.name}: ' || left({_raw(col)}, 40) || ' is not {what}{fmt}' end"
    )


def variant(col: Column) -> str | None:
    """The column's name when its value was read with a tolerated variant format, else NULL."""
    if col.type not in ("DATE", "TIMESTAMP") or len(col.formats) < 2:
        return None
    return f"case when {_parse(col, col.formats[0])} is null and {typed(col)} is not null then '{col.name}' end"


def select_typed(columns: tuple[Column, ...]) -> tuple[str, str, str]:
    """(typed select list, reason expression, variants expression) for a staged table of text columns."""
    select = ",\n    ".join(f"{typed(c)} as {q(c.name)}" for c in columns)
    reasons = [r for r in (failure(c) for c in columns) if r]
    variants = [v for v in (variant(c) for c in columns) if v]
    reason = f"concat_ws('; ', {', '.join(reasons)})" if reasons else "''"
    variants_sql = f"nullif(concat_ws(',', {', '.join(variants)}), '')" if variants else "null::varchar"
    return select, reason, variants_sql
