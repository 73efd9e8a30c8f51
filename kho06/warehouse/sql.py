"""Quoting for SQL written in Python: one way to quote an identifier and a string literal for DuckDB."""


def identifier(name: str) -> str:
    """`name` as a quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """`text` as a string literal."""
    return "'" + text.replace("'", "''") + "'"
