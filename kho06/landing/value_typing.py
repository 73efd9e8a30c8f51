"""SQL that types the text of a delivery: one expression per column, and a reason when a value does not fit.

Values are kept as delivered (an empty string is NULL); only what cannot be read as the column's type is
refused, with a reason naming the column and the value (never the value of a personal column), so the row goes
to quarantine instead of being lost.
Each value is parsed once: an inner select parses, the outer ones derive the reason and the format flags.
"""

from __future__ import annotations

from kho06.landing.contract import Column
from kho06.warehouse.sql import identifier as q


def _r(i: int) -> str:
    return f'"__r{i}"'


def _t(i: int) -> str:
    return f'"__t{i}"'


def _p(i: int) -> str:
    return f'"__p{i}"'


def _is_text(col: Column) -> bool:
    return col.type in ("VARCHAR", "JSON")


def _has_variants(col: Column) -> bool:
    return col.type in ("DATE", "TIMESTAMP") and len(col.formats) > 1


def _strptime(value: str, col: Column, fmt: str) -> str:
    return f"try_strptime({value}, '{fmt}')" + ("::date" if col.type == "DATE" else "")


def _typed_from_raw(i: int, col: Column) -> str:
    """The typed value, from the trimmed text `__r<i>` (and the primary-format parse `__p<i>`)."""
    if col.type == "VARCHAR":
        return f"nullif({q(col.source)}, '')"
    if col.type == "JSON":
        return f"{q(col.source)}::json"
    if col.type in ("DATE", "TIMESTAMP"):
        if not _has_variants(col):
            return _strptime(_r(i), col, col.formats[0])
        return f"coalesce({_p(i)}, {', '.join(_strptime(_r(i), col, f) for f in col.formats[1:])})"
    return f"try_cast({_r(i)} as {col.type})"


def _failure(i: int, col: Column) -> str | None:
    if _is_text(col):
        return None
    what = {"DATE": "a date", "TIMESTAMP": "a date-time", "DOUBLE": "a number"}.get(col.type, "an integer")
    fmt = f" ({' or '.join(col.formats)})" if col.formats else ""
    # the value is quoted to help find the fault, unless it is personal data (the row's raw text keeps it)
    value = "'the value'" if col.personal else f"left({_r(i)}, 40)"
    return (
        f"case when {_r(i)} is not null and {_t(i)} is null then "
        f"'{col.name}: ' || {value} || ' is not {what}{fmt}' end"
    )


def typing_sql(columns: tuple[Column, ...], source: str, keep: str = "true") -> str:
    """A select over `source` (text columns named as delivered, plus `_path`, `_g`, `_line`, `_extra`,
    `_pre_reason`, `_raw_text`) giving the typed columns, `_reason` ('' when the row lands) and
    `_format_variants` (columns read with a tolerated variant format). `keep` filters rows after numbering.
    Each value is trimmed once and parsed once per format, level by level."""
    raw = ", ".join(
        f"nullif(trim({q(c.source)}), '') as {_r(i)}" for i, c in enumerate(columns) if not _is_text(c)
    )
    primary = ", ".join(
        f"{_strptime(_r(i), c, c.formats[0])} as {_p(i)}" for i, c in enumerate(columns) if _has_variants(c)
    )
    typed_cols = ", ".join(f"{_typed_from_raw(i, c)} as {_t(i)}" for i, c in enumerate(columns))
    reasons = [r for i, c in enumerate(columns) if (r := _failure(i, c))]
    variants = [
        f"case when {_p(i)} is null and {_t(i)} is not null then '{c.name}' end"
        for i, c in enumerate(columns)
        if _has_variants(c)
    ]
    reason = f"concat_ws('; ', nullif(_pre_reason, ''), {', '.join(reasons)})" if reasons else "_pre_reason"
    variants_sql = f"nullif(concat_ws(',', {', '.join(variants)}), '')" if variants else "null::varchar"
    raw_json = (
        "to_json(struct_pack(" + ", ".join(f"{q(c.source)} := {q(c.source)}" for c in columns) + "))::varchar"
    )
    names = ", ".join(f"{_t(i)} as {q(c.name)}" for i, c in enumerate(columns))
    level1 = f"select *{', ' + raw if raw else ''} from ({source}) where {keep}"
    level2 = f"select *{', ' + primary if primary else ''} from ({level1})"
    return f"""
        select _path, _g, _line, {names}, _extra, _format_variants, _reason,
               case when _reason <> '' then coalesce(_raw_text, {raw_json}) end as _raw_text
        from (
            select *, {variants_sql} as _format_variants, coalesce({reason}, '') as _reason
            from (select *, {typed_cols} from ({level2}))
        )"""
