"""The bad-input catalogue for CSV deliveries (the BTS site register: UTF-8 with BOM, Vietnamese header)."""

import gzip
import unicodedata

from kho06.landing.feeds.bts import CELLS, SITES
from kho06.landing.ledger_summary import conservation_failures

HEADER = ",".join(SITES.source_names)
ROWS = [
    (
        'HD288-0001,"Khu 1, Phường Cẩm Thượng, Thành phố Hải Dương, Tỉnh Hải Dương",10507,106.317899,20.951091,'
        "Cột tự đứng,42,12/GPXD-SXD,03/04/2015,05/06/2022,Viettel; VNPT"
    ),
    (
        'HD288-0002,"Thôn Đông, Phường Bình Hàn, Thành phố Hải Dương, Tỉnh Hải Dương",10510,106.323698,20.946143,'
        "Cột dây co,36,13/GPXD-SXD,04/05/2016,06/07/2022,MobiFone"
    ),
    (
        'HD291-0001,"Thôn Phú Lạc, Xã An Lâm, Huyện Nam Sách, Tỉnh Hải Dương",10576,106.33,21.02,'
        "Cột trên nóc nhà,12,7/GPXD-UBND,01/02/2017,02/03/2023,Viettel"
    ),
]
REL = "bts/sites/so_dang_ky_vi_tri_tram.csv"
BOM = "\ufeff".encode()


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese software writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            vowel = unicodedata.normalize(
                "NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b")
            )
            out.append((vowel + "".join(m for m in marks if m not in "\u0302\u0306\u031b")).encode("cp1258"))
    return b"".join(out)


def csv_bytes(rows=ROWS, header=HEADER, bom=True, encoding="utf-8") -> bytes:
    text = header + "\n" + "".join(r + "\n" for r in rows)
    body = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return (BOM if bom else b"") + body


def assert_conserved(lander, table="bts_sites"):
    assert conservation_failures(lander.db, table) == []


def test_clean_file_lands_every_row_with_lineage(lander):
    lander.write(REL, csv_bytes())
    out = lander.land(SITES)[REL]
    assert (out.status, out.rows_read, out.rows_landed, out.rows_quarantined) == ("loaded", 3, 3, 0)
    rows = lander.db.execute(
        "select site_id, lat, permit_date, _source_file, _source_row, length(_file_hash) "
        "from landing.bts_sites order by _source_row"
    ).fetchall()
    assert rows[0][0] == "HD288-0001" and rows[0][1] == 20.951091 and str(rows[0][2]) == "2015-04-03"
    assert [r[4] for r in rows] == [2, 3, 4]
    assert {r[3] for r in rows} == {REL} and rows[0][5] == 64
    assert_conserved(lander)


def test_windows_1258_file_is_refused_naming_the_encoding(lander):
    lander.write(REL, csv_bytes(bom=False, encoding="cp1258"))
    out = lander.land(SITES)[REL]
    assert out.status == "rejected"
    assert "not UTF-8" in out.message and "Windows-1258" in out.message
    assert lander.rows("bts_sites") == 0
    assert lander.ledger("bts_sites")[0][1] == "rejected"


def test_missing_bom_loads_with_a_warning(lander):
    lander.write(REL, csv_bytes(bom=False))
    out = lander.land(SITES)[REL]
    assert out.status == "loaded" and out.rows_landed == 3
    assert any("no UTF-8 BOM" in w for w in out.warnings)


def test_doubled_bom_loads_with_a_warning(lander):
    lander.write(REL, BOM + csv_bytes())
    out = lander.land(SITES)[REL]
    assert out.status == "loaded" and out.rows_landed == 3
    assert any("2 BOMs" in w for w in out.warnings)


def test_truncated_last_line_is_quarantined_and_the_rest_lands(lander):
    data = csv_bytes()
    lander.write(REL, data[: data.rindex("Cột trên".encode())])  # cut inside the last record, no line ending
    out = lander.land(SITES)[REL]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (3, 2, 1)
    [(row, reason, raw)] = lander.quarantine("bts_sites")
    assert row == 4 and "MISSING COLUMNS" in reason and raw.startswith("HD291-0001")
    assert any("no line ending" in w for w in out.warnings)
    assert_conserved(lander)


def test_empty_file_is_refused(lander):
    lander.write(REL, b"")
    out = lander.land(SITES)[REL]
    assert out.status == "rejected" and "empty file" in out.message


def test_header_only_file_loads_nothing_and_says_so(lander):
    lander.write(REL, csv_bytes(rows=[]))
    out = lander.land(SITES)[REL]
    assert (out.status, out.rows_read, out.rows_landed) == ("loaded", 0, 0)
    assert "header only" in out.message and out.warnings == []
    assert_conserved(lander)


def test_extra_column_is_kept_in_extra(lander):
    lander.write(
        REL,
        csv_bytes(rows=[r + ",ghi chú " + str(i) for i, r in enumerate(ROWS)], header=HEADER + ",Ghi chú"),
    )
    out = lander.land(SITES)[REL]
    assert out.status == "loaded" and out.rows_landed == 3
    assert any("Ghi chú" in w for w in out.warnings)
    extra = lander.db.execute(
        "select _extra->>'Ghi chú' from landing.bts_sites order by _source_row"
    ).fetchall()
    assert [e[0] for e in extra] == ["ghi chú 0", "ghi chú 1", "ghi chú 2"]


def test_missing_column_is_refused_naming_it(lander):
    header = HEADER.replace(",Loại cột", "")
    rows = [",".join(r.split(",")[:6] + r.split(",")[7:]) for r in ROWS]
    lander.write(REL, csv_bytes(rows=rows, header=header))
    out = lander.land(SITES)[REL]
    assert out.status == "rejected" and "'Loại cột'" in out.message
    assert lander.rows("bts_sites") == 0


def test_renamed_column_is_refused_with_both_names(lander):
    lander.write(REL, csv_bytes(header=HEADER.replace("Vĩ độ", "Vi do")))
    out = lander.land(SITES)[REL]
    assert out.status == "rejected"
    assert "'Vĩ độ'" in out.message and "'Vi do'" in out.message


def test_wrong_type_in_one_row_quarantines_that_row(lander):
    rows = [ROWS[0], ROWS[1].replace("20.946143", "hai mươi"), ROWS[2]]
    lander.write(REL, csv_bytes(rows=rows))
    out = lander.land(SITES)[REL]
    assert (out.rows_landed, out.rows_quarantined) == (2, 1)
    [(row, reason, raw)] = lander.quarantine("bts_sites")
    assert row == 3 and reason == "lat: hai mươi is not a number" and "HD288-0002" in raw
    assert_conserved(lander)


def test_mixed_date_formats_land_flagged_and_unknown_formats_are_quarantined(lander):
    rows = [ROWS[0], ROWS[1].replace("04/05/2016", "2016-05-04"), ROWS[2].replace("01/02/2017", "2017.02.01")]
    lander.write(REL, csv_bytes(rows=rows))
    out = lander.land(SITES)[REL]
    assert (out.rows_landed, out.rows_quarantined) == (2, 1)
    flagged = lander.db.execute(
        "select site_id, permit_date, _format_variants from landing.bts_sites order by 1"
    ).fetchall()
    assert flagged[1] == ("HD288-0002", __import__("datetime").date(2016, 5, 4), "permit_date")
    assert flagged[0][2] is None
    assert "permit_date: 2017.02.01 is not a date" in lander.quarantine("bts_sites")[0][1]


def test_gzip_cut_short_is_refused_and_nothing_lands(lander):
    packed = gzip.compress(csv_bytes())
    lander.write(REL + ".gz", packed[: len(packed) // 2])
    out = lander.land(SITES)[REL + ".gz"]
    assert out.status == "rejected" and "gzip" in out.message
    assert lander.rows("bts_sites") == 0


def test_whole_gzip_lands(lander):
    lander.write(REL + ".gz", gzip.compress(csv_bytes()))
    assert lander.land(SITES)[REL + ".gz"].rows_landed == 3


def test_same_file_delivered_twice_lands_once(lander):
    lander.write(REL, csv_bytes())
    lander.land(SITES)
    lander.write("bts/sites/so_dang_ky_vi_tri_tram (1).csv", csv_bytes())
    outcomes = lander.land(SITES)
    assert outcomes[REL].status == "unchanged"
    dup = outcomes["bts/sites/so_dang_ky_vi_tri_tram (1).csv"]
    assert dup.status == "duplicate" and REL in dup.message
    assert lander.rows("bts_sites") == 3


def test_rerun_changes_nothing(lander):
    lander.write(REL, csv_bytes())
    lander.land(SITES)
    before = lander.ledger("bts_sites")
    assert lander.land(SITES)[REL].status == "unchanged"
    assert lander.ledger("bts_sites") == before and lander.rows("bts_sites") == 3


def test_corrected_file_replaces_its_earlier_version(lander):
    path = lander.write(REL, csv_bytes(rows=[ROWS[0], ROWS[1].replace("20.946143", "x")]))
    lander.land(SITES)
    assert lander.rows("bts_sites") == 1 and len(lander.quarantine("bts_sites")) == 1
    path.write_bytes(csv_bytes())
    out = lander.land(SITES)[REL]
    assert out.status == "replaced" and "replaces the version" in out.message
    assert lander.rows("bts_sites") == 3 and lander.quarantine("bts_sites") == []
    ledger = lander.ledger("bts_sites")
    assert [r[6] for r in ledger] == [False, True]
    assert_conserved(lander)


def test_broken_redelivery_keeps_the_landed_version(lander):
    path = lander.write(REL, csv_bytes())
    lander.land(SITES)
    path.write_bytes(b"")
    assert lander.land(SITES)[REL].status == "rejected"
    assert lander.rows("bts_sites") == 3


def test_conservation_check_fails_when_rows_go_missing(lander):
    lander.write(REL, csv_bytes())
    lander.land(SITES)
    lander.db.execute("delete from landing.bts_sites where site_id = 'HD288-0002'")
    [failure] = conservation_failures(lander.db, "bts_sites")
    assert failure == {"file": REL, "rows_read": 3, "landed": 2, "quarantined": 0}


def test_headerless_cells_with_a_wrong_field_count_are_quarantined(lander):
    good = "LTE,452,4,12001,31233025,101,106.317899,20.951091,1000,12,1,1500000000,1700000000,0"
    lander.write(
        "bts/cells/cell_towers_452.csv",
        (good + "\n" + good.replace(",0", ",0,9", 1)[:-2] + ",0,7\n").encode(),
    )
    out = lander.land(CELLS)["bts/cells/cell_towers_452.csv"]
    assert (out.rows_read, out.rows_landed, out.rows_quarantined) == (2, 1, 1)
    assert "TOO MANY COLUMNS" in lander.quarantine("bts_cells")[0][1]


def test_legacy_encoded_rows_under_a_utf8_header_refuse_the_whole_file(lander):
    body = "\n".join(ROWS).encode("utf-8")
    legacy = to_cp1258(ROWS[2])
    lander.write(REL, BOM + (HEADER + "\n").encode() + body.replace(ROWS[2].encode(), legacy) + b"\n")
    out = lander.land(SITES)[REL]
    assert out.status == "rejected"
    assert "not UTF-8" in out.message and "line 4" in out.message and "Windows-1258" in out.message
    assert lander.rows("bts_sites") == 0 and lander.quarantine("bts_sites") == []
