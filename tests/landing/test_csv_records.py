"""CSV read as records, not lines: LF, CRLF and CR line endings (and a mix), quoted fields holding line breaks,
and a quote left open that costs its own line only — with the files beside them landing and rows conserved."""

import gzip

import pytest
from deliveries import BOM, EVENT_HEADER, event_csv, event_path, event_rows
from test_bad_input_csv import HEADER, REL, ROWS

from kho06.landing.csv_records import read_records
from kho06.landing.feeds.bts import CELLS, SITES
from kho06.landing.feeds.population import EVENTS

SITE_ROWS = ROWS + [ROWS[2].replace("HD291-0001", f"HD291-{i:04d}") for i in range(2, 18)]  # 19 records


def sites(rows, newline="\n") -> bytes:
    return (BOM + newline.join([HEADER, *rows]) + newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_ending_lands_every_record(lander, newline):
    lander.write(event_path("2023-06-01"), event_csv("2023-06-01", 5, newline=newline))
    lander.write(event_path("2023-06-02"), event_csv("2023-06-02", 2))
    out = lander.land(EVENTS)
    assert (out[event_path("2023-06-01")].rows_read, out[event_path("2023-06-01")].rows_landed) == (5, 5)
    assert lander.rows("population_events") == 7
    rows = lander.db.execute(
        "select _source_row, event_id from landing.population_events "
        "where _source_file = ? order by _source_row",
        [event_path("2023-06-01")],
    ).fetchall()
    assert [r[0] for r in rows] == [2, 3, 4, 5, 6] and rows[0][1] == "BD-20230601-00001"
    assert lander.accounted()[event_path("2023-06-01")] == "loaded"


def test_a_mix_of_line_endings_lands_every_record_on_its_line(lander):
    body = event_rows("2023-06-01", 4)
    mixed = EVENT_HEADER + "\r\n" + body[0] + "\n" + body[1] + "\r" + body[2] + "\r\n" + body[3] + "\n"
    lander.write(event_path("2023-06-01"), (BOM + mixed).encode())
    out = lander.land(EVENTS)[event_path("2023-06-01")]
    assert (out.status, out.rows_read, out.rows_landed, out.rows_quarantined) == ("loaded", 4, 4, 0)
    assert any("line endings" in w for w in out.warnings)
    lines = lander.db.execute("select _source_row from landing.population_events order by 1").fetchall()
    assert [r[0] for r in lines] == [2, 3, 4, 5]
    lander.accounted()


def test_quoted_fields_with_line_breaks_count_as_one_record_each(lander):
    rows = [
        ROWS[0].replace("Khu 1, ", "Khu 1,\n"),
        ROWS[1].replace("Thôn Đông, ", "Thôn Đông,\r\n\r\n"),
        ROWS[2],
    ]
    lander.write(REL, sites(rows))
    out = lander.land(SITES)[REL]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (3, 3, 0)
    landed = lander.db.execute(
        "select _source_row, site_id, address from landing.bts_sites order by 1"
    ).fetchall()
    assert [(r[0], r[1]) for r in landed] == [(2, "HD288-0001"), (4, "HD288-0002"), (7, "HD291-0001")]
    assert landed[0][2].startswith("Khu 1,\nPhường")
    lander.accounted()


def test_an_unclosed_quote_costs_its_own_record_only(lander):
    broken = SITE_ROWS[1].replace(
        'Tỉnh Hải Dương",', "Tỉnh Hải Dương,", 1
    )  # the address's quote never closes
    assert broken.count('"') == 1
    lander.write(REL, sites([SITE_ROWS[0], broken, *SITE_ROWS[2:]]))
    lander.write(
        "bts/cells/cell_towers_452.csv", b"LTE,452,4,12001,31233025,101,106.3,20.9,1000,12,1,15,17,0\n"
    )
    outcomes = lander.land_all()
    out = outcomes[REL]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (19, 18, 1)
    [(row, reason, raw)] = lander.quarantine("bts_sites")
    assert row == 3 and "UNTERMINATED QUOTE" in reason and raw == broken
    assert outcomes["bts/cells/cell_towers_452.csv"].rows_landed == 1
    lander.accounted()


def test_quotes_left_open_in_many_lines_are_quarantined_one_by_one(lander):
    rows = list(SITE_ROWS)
    for i in (3, 7, 8, 15):  # lines 5, 9, 10 and 17: a field opens a quote that never closes
        rows[i] = rows[i].replace(",Cột trên nóc nhà,", ',"Cột trên nóc nhà,', 1)
    lander.write(REL, sites(rows))
    out = lander.land(SITES)[REL]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (19, 15, 4)
    held = lander.quarantine("bts_sites")
    assert [r[0] for r in held] == [5, 9, 10, 17] and all("UNTERMINATED QUOTE" in r[1] for r in held)
    lander.accounted()


def test_a_gzipped_csv_with_cr_line_endings_lands(lander):
    lander.write(REL + ".gz", gzip.compress(sites(ROWS, newline="\r")))
    assert lander.land(SITES)[REL + ".gz"].rows_landed == 3
    lander.accounted()


def test_headerless_cells_with_a_quoted_line_break(lander):
    good = "LTE,452,4,12001,31233025,101,106.317899,20.951091,1000,12,1,1500000000,1700000000,0"
    lander.write(
        "bts/cells/cell_towers_452.csv",
        (good + '\n"LTE\n",452,4,1,2,3,1,2,3,4,1,1,2,0\n' + good + "\n").encode(),
    )
    out = lander.land(CELLS)["bts/cells/cell_towers_452.csv"]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (3, 3, 0)
    lander.accounted()


def test_read_records():
    text = 'a,b,c\n1,"x\ny",3\n\n4,x"y,6\n7,"open,9\n10,11,12\r13,14\r\n'
    records = read_records(text, 3, skip_lines=1)
    assert [(r.line, r.fields, r.problem and r.problem.split(":")[0]) for r in records] == [
        (2, ["1", "x\ny", "3"], None),
        (5, ["4", 'x"y', "6"], None),
        (6, [], "UNTERMINATED QUOTE"),
        (7, ["10", "11", "12"], None),
        (8, [], "MISSING COLUMNS"),
    ]
    assert records[2].text == '7,"open,9'
