"""What personal data in clear looks like in a DuckDB file: a citizen ID (12 digits) or a Vietnamese phone number
(mobile 0[35789]xxxxxxxx or landline 02xxxxxxxxx, with or without +84) anywhere in the value of any VARCHAR
column, or a delivered full name as the value or as a part of it between punctuation (a value of a JSON sample of
failing values, `name / id`). A name inside a longer phrase is not looked for: a product named after its place
("Bánh đậu xanh Hải Dương Ngọc Mai") would hold a resident's name ("Dương Ngọc Mai")."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import duckdb

# digits or letters on either side: a longer number or a hex digest (a pseudonym), not an ID
CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?84|0)(?:[35789]\d{8}|2\d{9})(?![0-9A-Za-z])")
WORDS = re.compile(r"\w+")
PARTS = re.compile(r"[\"\[\]{}:;,/|()<>=]+")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).upper()


def delivered_names(build_db: Path) -> set[str]:
    """The full names of the raw population snapshot and of the dossiers' citizen applicants (type 1; type 2 is a
    business), as landed in the build."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        rows = con.execute(
            "select full_name from landing.population_snapshot "
            "union select applicant_name from landing.dossiers where applicant_type = 1"
        ).fetchall()
    names = {_words(n) for (n,) in rows if n}
    return {n for n in names if " " in n}  # a full name has two words or more


def _words(text: str) -> str:
    return " ".join(WORDS.findall(_normal(text)))


def _names_in(value: str, names: set[str]) -> set[str]:
    return {part for part in (_words(value), *(_words(p) for p in PARTS.split(value))) if part in names}


def personal_data_in(db: Path, names: set[str]) -> list[str]:
    """`schema.table.column: what` for every VARCHAR column of `db` that holds personal data in clear."""
    found = []
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where data_type = 'VARCHAR' and schema_name not in ('information_schema', 'pg_catalog') "
            "and database_name = current_database() and not internal"
        ).fetchall()
        for schema, table, column in columns:
            values = [
                v
                for (v,) in con.execute(
                    f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
                ).fetchall()
            ]
            where = f"{schema}.{table}.{column}"
            if ids := [v for v in values if CITIZEN_ID.search(v)]:
                found.append(f"{where}: citizen ID ({len(ids)} values, e.g. {ids[0][:80]!r})")
            if phones := [v for v in values if PHONE.search(v)]:
                found.append(f"{where}: phone number ({len(phones)} values, e.g. {phones[0][:80]!r})")
            if named := [v for v in values if _names_in(v, names)]:
                found.append(f"{where}: full name ({len(named)} values)")
    return found
