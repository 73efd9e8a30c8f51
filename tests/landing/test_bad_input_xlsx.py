"""The bad-input catalogue for the OCOP workbook."""

import io
from datetime import datetime

import xlsxwriter

from kho06.landing.feeds.ocop import PRODUCTS
from kho06.landing.ledger_summary import conservation_failures

REL = "ocop/danh_sach_san_pham_ocop.xlsx"
ROW = [
    1,
    "HD-OCOP-2021-0001",
    "Vải thiều Thanh Hà",
    "HTX Nông nghiệp Thanh Sơn",
    "Hợp tác xã",
    "Xã Thanh Sơn, Huyện Thanh Hà",
    "10807",
    "Huyện Thanh Hà",
    "Thực phẩm",
    4,
    None,
    78,
    2021,
    "1234/QĐ-UBND",
    datetime(2021, 6, 15),
    datetime(2024, 6, 15),
]


def workbook(rows, header=None, title=True) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Danh sách")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    top = 0
    if title:
        ws.write(0, 0, "DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG")
        ws.write(1, 0, "(Tính đến ngày 31/12/2023)")
        top = 3
    ws.write_row(top, 0, header or PRODUCTS.source_names)
    for i, row in enumerate(rows, start=top + 1):
        for j, value in enumerate(row):
            if isinstance(value, datetime):
                ws.write_datetime(i, j, value, date_fmt)
            elif value is not None:
                ws.write(i, j, value)
    wb.close()
    return buf.getvalue()


def test_workbook_with_title_rows_lands_typed(lander):
    second = [2, "HD-OCOP-2021-0002", *ROW[2:11], "chín mươi", *ROW[12:]]
    lander.write(REL, workbook([ROW, second]))
    out = lander.land(PRODUCTS)[REL]
    assert (out.status, out.rows_read, out.rows_landed, out.rows_quarantined) == ("loaded", 2, 1, 1)
    row = lander.db.execute(
        "select product_id, stars, score, decision_date, expiry_date, _source_row from landing.ocop_products"
    ).fetchone()
    assert row == (
        "HD-OCOP-2021-0001",
        4,
        78.0,
        datetime(2021, 6, 15).date(),
        datetime(2024, 6, 15).date(),
        5,
    )
    [(sheet_row, reason, _raw)] = lander.quarantine("ocop_products")
    assert sheet_row == 6 and reason == "score: chín mươi is not a number"
    assert conservation_failures(lander.db, "ocop_products") == []


def test_text_dates_land_as_a_flagged_variant(lander):
    lander.write(REL, workbook([[*ROW[:14], "15/06/2021", "15/06/2024"]]))
    assert lander.land(PRODUCTS)[REL].rows_landed == 1
    assert lander.db.execute("select _format_variants from landing.ocop_products").fetchone()[0] == (
        "decision_date,expiry_date"
    )


def test_non_xlsx_file_with_an_xlsx_name_is_refused(lander):
    lander.write(REL, "STT,Mã sản phẩm\n1,HD-OCOP-2021-0001\n".encode())
    out = lander.land(PRODUCTS)[REL]
    assert out.status == "rejected" and "not a workbook" in out.message
    assert lander.rows("ocop_products") == 0


def test_damaged_workbook_is_refused(lander):
    data = workbook([ROW])
    lander.write(REL, data[: len(data) // 2])
    out = lander.land(PRODUCTS)[REL]
    assert out.status == "rejected" and "not a readable workbook" in out.message


def test_workbook_without_the_header_row_is_refused(lander):
    header = [h if h != "Mã sản phẩm" else "Mã SP" for h in PRODUCTS.source_names]
    lander.write(REL, workbook([ROW], header=header))
    out = lander.land(PRODUCTS)[REL]
    assert out.status == "rejected" and "no header row" in out.message


def test_workbook_missing_a_column_is_refused_naming_it(lander):
    header = [h if h != "Điểm" else "Tổng điểm" for h in PRODUCTS.source_names]
    lander.write(REL, workbook([ROW], header=header, title=False))
    out = lander.land(PRODUCTS)[REL]
    assert out.status == "rejected" and "'Điểm'" in out.message and "'Tổng điểm'" in out.message
