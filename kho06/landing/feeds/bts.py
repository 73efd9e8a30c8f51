"""Landing contracts of the BTS feed: OpenCelliD cells (no header) and the site register (docs/contracts/bts.md)."""

from kho06.landing.contract import Column as C
from kho06.landing.contract import TableContract

DMY = ("%d/%m/%Y", "%Y-%m-%d")

CELLS = TableContract(
    feed="bts",
    table="bts_cells",
    fmt="csv_noheader",
    pattern="bts/cells/*.csv",
    description="Mobile cells in the OpenCelliD layout (MCC 452), one row per observed cell.",
    columns=(
        C("radio", "radio"),
        C("mcc", "mcc", "INTEGER"),
        C("net", "net", "INTEGER"),
        C("area", "area", "BIGINT"),
        C("cell", "cell", "BIGINT"),
        C("unit", "unit", "INTEGER"),
        C("lon", "lon", "DOUBLE"),
        C("lat", "lat", "DOUBLE"),
        C("range", "range_m", "INTEGER"),
        C("samples", "samples", "INTEGER"),
        C("changeable", "changeable", "INTEGER"),
        C("created", "created_unix", "BIGINT"),
        C("updated", "updated_unix", "BIGINT"),
        C("averageSignal", "average_signal_dbm", "INTEGER"),
    ),
)

SITES = TableContract(
    feed="bts",
    table="bts_sites",
    fmt="csv",
    pattern="bts/sites/*.csv",
    expects_bom=True,
    description="The regulator's register of BTS sites (vị trí trạm), shared by several operators.",
    columns=(
        C("Mã vị trí", "site_id"),
        C("Địa chỉ", "address"),
        C("Mã xã", "commune_code"),
        C("Kinh độ", "lon", "DOUBLE"),
        C("Vĩ độ", "lat", "DOUBLE"),
        C("Loại cột", "mast_type"),
        C("Chiều cao cột (m)", "mast_height_m", "DOUBLE"),
        C("Số giấy phép xây dựng", "permit_no"),
        C("Ngày cấp phép", "permit_date", "DATE", DMY),
        C("Ngày kiểm định", "inspection_date", "DATE", DMY),
        C("Doanh nghiệp dùng chung", "operators"),
    ),
)
