"""SQL written in Python: one way to quote an identifier and a string literal for DuckDB, and one way to tell
whether two relations hold the same rows."""

import duckdb


def identifier(name: str) -> str:
    """`name` as a quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """`text` as a string literal."""
    return "'" + text.replace("'", "''") + "'"


def content(con: duckdb.DuckDBPyConnection, relation: str, where: str = "") -> tuple[int, int]:
    """A relation's row count and sum of row hashes: equal for the same rows in any order."""
    row = con.execute(
        f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {relation} as t {where}"
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
