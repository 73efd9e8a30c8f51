"""Landing contract of the OCOP feed: the provincial product list workbook (docs/contracts/ocop.md)."""

from kho06.landing.contract import Column as C
from kho06.landing.contract import TableContract

# a real date cell reads as "yyyy-mm-dd 00:00:00"; dates typed as text (dd/mm/yyyy) are tolerated variants
DATE_CELL = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%Y-%m-%d")

PRODUCTS = TableContract(
    feed="ocop",
    table="ocop_products",
    fmt="xlsx",
    pattern="ocop/*.xlsx",
    header_marker="Mã sản phẩm",
    description="The province's OCOP product list, one row per listed product (title rows above the header).",
    columns=(
        C("STT", "stt", "INTEGER"),
        C("Mã sản phẩm", "product_id"),
        C("Tên sản phẩm", "product_name"),
        C("Chủ thể", "producer_name"),
        C("Loại hình chủ thể", "producer_type"),
        C("Địa chỉ", "address"),
        C("Mã xã", "commune_code"),
        C("Huyện", "district_name"),
        C("Nhóm sản phẩm", "product_group"),
        C("Hạng sao", "stars", "INTEGER"),
        C("Tiềm năng 5 sao", "five_star_potential"),
        C("Điểm", "score", "DOUBLE"),
        C("Năm công nhận", "recognition_year", "INTEGER"),
        C("Số quyết định", "decision_no"),
        C("Ngày quyết định", "decision_date", "DATE", DATE_CELL),
        C("Ngày hết hạn", "expiry_date", "DATE", DATE_CELL),
    ),
)
