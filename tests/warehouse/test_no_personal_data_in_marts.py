"""No column of any mart holds a raw name, citizen ID, phone number or e-mail.

The personal values actually delivered are collected from the landing tables; every text column of every
table in the marts schema is joined against them: the count must be zero.
"""

PERSONAL = [
    ("population_snapshot", "full_name"),
    ("population_snapshot", "citizen_id"),
    ("population_snapshot", "head_citizen_id"),
    ("population_events", "citizen_id"),
    ("dossiers", "applicant_name"),
    ("dossiers", "applicant_id"),
    ("dossiers", "applicant_phone"),
    ("dossiers", "applicant_email"),
]


def personal_values_sql() -> str:
    parts = [f"select {col} as v from landing.{table} where {col} is not null" for table, col in PERSONAL]
    # names are also matched in capitals and in title case, as a mart might reformat them
    return (
        "select distinct v from (" + " union all ".join(parts) + ") "
        "union select distinct upper(applicant_name) from landing.dossiers where applicant_name is not null"
    )


def test_landing_holds_personal_data_to_look_for(warehouse):
    n = warehouse.execute(f"select count(*) from ({personal_values_sql()})").fetchone()[0]
    assert n > 1000


def test_no_mart_column_holds_personal_values(warehouse):
    warehouse.execute(f"create or replace temp table personal as {personal_values_sql()}")
    columns = warehouse.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR' order by 1, 2"
    ).fetchall()
    assert len(columns) > 20
    leaks = []
    for table, column in columns:
        n = warehouse.execute(
            f'select count(*) from marts."{table}" m join personal p on m."{column}" = p.v'
        ).fetchone()[0]
        if n:
            leaks.append((table, column, n))
    assert leaks == []


def test_the_scan_finds_a_leak_when_there_is_one(warehouse):
    warehouse.execute(f"create or replace temp table personal as {personal_values_sql()}")
    warehouse.execute(
        "create or replace temp table leaky as select full_name as x from landing.population_snapshot"
    )
    assert warehouse.execute("select count(*) from leaky m join personal p on m.x = p.v").fetchone()[0] > 0
