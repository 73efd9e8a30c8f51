"""The bad-input catalogue for JSON Lines deliveries (daily dossier sync files)."""

import gzip
import json

from kho06.landing.feeds.dossiers import DOSSIERS
from kho06.landing.ledger_summary import conservation_failures

REL = "dossiers/daily/2023/2023-06-09.jsonl"


def line(code: str, received="20230609091500", status=10) -> str:
    record = {
        "MaHoSo": code,
        "MaTTHC": "1.005129",
        "TenTTHC": "Đăng ký khai sinh",
        "KenhThucHien": 2,
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": 1,
        "MaDoiTuong": "030090000001",
        "NgayTiepNhan": received,
        "NgayHenTra": "20230612170000",
        "TrangThaiHoSo": status,
        "DonViXuLy": "000.04.38.H23",
        "DanhSachLePhi": [],
        "QuaTrinhXuLy": [{"TrangThai": status}],
    }
    return json.dumps(
        {
            "session": "s",
            "madonvi": "000.00.00.H23",
            "service": "DongBoHoSoMC",
            "isUpdating": False,
            "data": [record],
        },
        ensure_ascii=False,
    )


def jsonl(*lines: str) -> bytes:
    return "".join(x + "\n" for x in lines).encode()


def test_lines_land_typed_with_nested_lists_kept_as_json(lander):
    lander.write(REL, jsonl(line("A-1"), line("A-2")))
    out = lander.land(DOSSIERS)[REL]
    assert (out.status, out.partition_day.isoformat(), out.rows_landed) == ("loaded", "2023-06-09", 2)
    row = lander.db.execute(
        "select dossier_code, channel, received_at::varchar, status, progress->>'$[0].TrangThai', _source_row "
        "from landing.dossiers order by _source_row"
    ).fetchone()
    assert row == ("A-1", 2, "2023-06-09 09:15:00", 10, "10", 1)


def test_invalid_json_and_wrong_shape_lines_are_quarantined(lander):
    no_record = json.dumps({"session": "s", "data": []})
    lander.write(REL, jsonl(line("A-1"), '{"session": "s", "data": [{"MaHoSo": "A-2"', no_record, "[1, 2]"))
    out = lander.land(DOSSIERS)[REL]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (4, 1, 3)
    reasons = [r[1] for r in lander.quarantine("dossiers")]
    assert reasons == [
        "not valid JSON",
        'expected one record in "data", found 0',
        'JSON without a "data" record list',
    ]
    assert conservation_failures(lander.db, "dossiers") == []


def test_truncated_last_line_is_quarantined_with_its_text(lander):
    data = jsonl(line("A-1"), line("A-2"))
    lander.write(REL, data[:-25])
    out = lander.land(DOSSIERS)[REL]
    assert (out.rows_landed, out.rows_quarantined) == (1, 1)
    [(row, reason, raw)] = lander.quarantine("dossiers")
    assert row == 2 and reason == "not valid JSON" and raw.startswith('{"session"')


def test_mixed_date_formats_land_flagged_and_garbage_dates_are_quarantined(lander):
    lander.write(
        REL,
        jsonl(line("A-1"), line("A-2", received="2023-06-09 09:20:00"), line("A-3", received="09/06/2023")),
    )
    out = lander.land(DOSSIERS)[REL]
    assert (out.rows_landed, out.rows_quarantined) == (2, 1)
    flagged = lander.db.execute(
        "select dossier_code, received_at::varchar, _format_variants from landing.dossiers order by 1"
    ).fetchall()
    assert flagged == [("A-1", "2023-06-09 09:15:00", None), ("A-2", "2023-06-09 09:20:00", "received_at")]
    assert "received_at: 09/06/2023 is not a date-time" in lander.quarantine("dossiers")[0][1]


def test_wrong_type_in_one_record_is_quarantined(lander):
    lander.write(REL, jsonl(line("A-1"), line("A-2", status="mười")))
    out = lander.land(DOSSIERS)[REL]
    assert (out.rows_landed, out.rows_quarantined) == (1, 1)
    assert lander.quarantine("dossiers")[0][1] == "status: mười is not an integer"


def test_gzip_day_file_lands_and_a_cut_one_is_refused(lander):
    lander.write(REL + ".gz", gzip.compress(jsonl(line("A-1"))))
    cut = gzip.compress(jsonl(line("B-1"), line("B-2")))
    lander.write("dossiers/daily/2023/2023-06-10.jsonl.gz", cut[:-12])
    outcomes = lander.land(DOSSIERS)
    assert outcomes[REL + ".gz"].rows_landed == 1
    bad = outcomes["dossiers/daily/2023/2023-06-10.jsonl.gz"]
    assert bad.status == "rejected" and "gzip" in bad.message
    assert lander.rows("dossiers") == 1


def test_only_the_days_asked_for_are_loaded(lander):
    import datetime as dt

    lander.write(REL, jsonl(line("A-1")))
    lander.write("dossiers/daily/2023/2023-06-10.jsonl", jsonl(line("B-1"), line("B-2")))
    day = dt.date(2023, 6, 10)
    outcomes = lander.land(DOSSIERS, days=(day, day))
    assert list(outcomes) == ["dossiers/daily/2023/2023-06-10.jsonl"]
    assert lander.rows("dossiers") == 2


def test_a_changed_day_file_replaces_the_day(lander):
    path = lander.write(REL, jsonl(line("A-1"), line("A-2")))
    lander.land(DOSSIERS)
    path.write_bytes(jsonl(line("A-1"), line("A-2"), line("A-3")))
    assert lander.land(DOSSIERS)[REL].status == "replaced"
    assert lander.rows("dossiers") == 3


def test_an_empty_day_file_is_a_day_without_dossiers(lander):
    lander.write(REL, b"")
    out = lander.land(DOSSIERS)[REL]
    assert (out.status, out.rows_read, out.rows_landed) == ("loaded", 0, 0)
    assert out.message == "no records (an empty day)" and out.warnings == []
    assert conservation_failures(lander.db, "dossiers") == []
