"""What the OCOP feed writes (docs/contracts/ocop.md): one workbook, its sheet, title rows and columns."""

from __future__ import annotations

FEED = "ocop"
FILE_NAME = "danh_sach_san_pham_ocop.xlsx"
SHEET_NAME = "Danh sách"
TITLE = "DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG"
HEADER_ROW = 4
"""1-based worksheet row of the header (row 1 title, row 2 as-of date, row 3 blank); data start on row 5."""
KEY_PREFIX = "HD-OCOP"


# Internal column → header of the published workbook, in column order.
HEADERS = {
    "stt": "STT",
    "key": "Mã sản phẩm",
    "name": "Tên sản phẩm",
    "producer": "Chủ thể",
    "producer_type": "Loại hình chủ thể",
    "address": "Địa chỉ",
    "commune_code": "Mã xã",
    "district": "Huyện",
    "group": "Nhóm sản phẩm",
    "stars": "Hạng sao",
    "potential": "Tiềm năng 5 sao",
    "score": "Điểm",
    "year": "Năm công nhận",
    "decision_no": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "expiry": "Ngày hết hạn",
}
WIDTHS = (6, 18, 44, 44, 16, 56, 8, 22, 34, 9, 10, 7, 10, 16, 12, 12)
