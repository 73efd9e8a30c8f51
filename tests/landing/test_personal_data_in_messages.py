"""Refusal and quarantine reasons name the file, the line and the column, never the values of personal fields;
the quarantine keeps the raw text (it is the place for it), and nothing else repeats it."""

import duckdb
import pytest
from deliveries import SNAPSHOT_PEOPLE, event_csv, event_path, event_rows, snapshot_csv, snapshot_rows

from kho06.landing.file_inspection import safe_message

VALUES = [v for person in SNAPSHOT_PEOPLE for v in person[:5]]


def assert_no_personal_value(text: str) -> None:
    assert not [v for v in VALUES if v in text], text


def test_a_snapshot_without_its_header_is_refused_without_quoting_its_first_row(lander):
    lander.write("population/snapshot/288.csv", snapshot_csv(header=False))
    lander.write("population/snapshot/290.csv", snapshot_csv())
    lander.write(
        event_path("2023-06-01"), b"\xef\xbb\xbf" + "\n".join(event_rows("2023-06-01", 3)).encode() + b"\n"
    )
    lander.write(event_path("2023-06-02"), event_csv("2023-06-02", 2))
    outcomes = lander.land_all()
    bad = outcomes["population/snapshot/288.csv"]
    assert bad.status == "rejected" and "no header row" in bad.message
    assert_no_personal_value(bad.message)
    assert outcomes[event_path("2023-06-01")].status == "rejected"
    assert "030203000" not in outcomes[event_path("2023-06-01")].message
    ledger = lander.db.execute(
        "select string_agg(coalesce(message, ''), ' ') from landing.load_ledger"
    ).fetchone()
    assert_no_personal_value(ledger[0])
    assert lander.rows("population_snapshot") == 3 and lander.rows("population_events") == 2
    lander.accounted()


def test_a_personal_value_that_does_not_type_is_not_quoted_in_its_reason(lander):
    rows = snapshot_rows()
    rows[1] = rows[1].replace("02/11/1979", "1979-02-30")
    lander.write("population/snapshot/288.csv", snapshot_csv(rows))
    out = lander.land_all()["population/snapshot/288.csv"]
    assert (out.rows_landed, out.rows_quarantined) == (2, 1)
    [(line, reason, raw)] = lander.quarantine("population_snapshot")
    assert line == 3 and reason == "birth_date: the value is not a date (%d/%m/%Y or %Y-%m-%d)"
    assert "1979-02-30" in raw  # the quarantine keeps the row as delivered
    lander.accounted()


def test_a_value_of_a_column_that_is_not_personal_is_still_quoted(lander):
    rows = snapshot_rows()
    rows[0] = rows[0].replace(",31/12/2023", ",31/13/2023")
    lander.write("population/snapshot/288.csv", snapshot_csv(rows))
    lander.land_all()
    [(_line, reason, _raw)] = lander.quarantine("population_snapshot")
    assert reason.startswith("updated_on: 31/13/2023 is not a date")


@pytest.mark.parametrize(
    "sql",
    [
        (
            "select * from read_json('{file}', format = 'newline_delimited', "
            "columns = {{'MaDoiTuong': 'VARCHAR', 'ChuHoSo': 'VARCHAR'}})"
        ),
        'select json_transform_strict(\'{{"ChuHoSo":"Nguyễn Thị Hoa"}}\', \'{{"ChuHoSo":"VARCHAR","x":"VARCHAR"}}\')',
        "select 'Nguyễn Thị Hoa'::integer",
        'select json(\'{{"ChuHoSo": "Nguyễn Thị Hoa"\')',
    ],
)
def test_a_reader_error_is_reported_without_the_values_it_quotes(sql, tmp_path):
    file = tmp_path / "doubled.jsonl"
    file.write_text(
        '{"MaDoiTuong": "030185004321", "ChuHoSo": "Nguyễn Thị Hoa", "MaDoiTuong": "030079001234"}\n'
    )
    with pytest.raises(duckdb.Error) as raised:
        duckdb.sql(sql.format(file=file)).fetchall()
    assert [v for v in VALUES if v in str(raised.value)]  # DuckDB quotes them
    message = safe_message(raised.value)
    assert_no_personal_value(message)
    assert message.split(":")[0].endswith("Exception")
