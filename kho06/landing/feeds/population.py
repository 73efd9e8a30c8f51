"""Landing contracts of the population feed: the register snapshot per district and the daily events
(docs/contracts/population.md). Every column is text in the file; dates are dd/mm/yyyy."""

from kho06.landing.contract import Column as C
from kho06.landing.contract import TableContract

DMY = ("%d/%m/%Y", "%Y-%m-%d")

SNAPSHOT = TableContract(
    feed="population",
    table="population_snapshot",
    fmt="csv",
    pattern="population/snapshot/*.csv",
    expects_bom=True,
    description="The resident register (form DC01) at the end of the period, one row per person record.",
    columns=(
        C("Mã bản ghi", "record_id"),
        C("Họ chữ đệm và tên", "full_name", personal=True),
        C("Ngày sinh", "birth_date", "DATE", DMY, personal=True),
        C("Giới tính", "sex"),
        C("Số định danh cá nhân", "citizen_id", personal=True),
        C("Dân tộc", "ethnic_code"),
        C("Tôn giáo", "religion"),
        C("Quốc tịch", "nationality"),
        C("Tỉnh", "province_name"),
        C("Huyện", "district_name"),
        C("Xã", "commune_name"),
        C("Mã xã", "commune_code"),
        C("Thôn/Xóm", "hamlet"),
        C("Quan hệ với chủ hộ", "relation_to_head"),
        C("Số định danh chủ hộ", "head_citizen_id", personal=True),
        C("Mã hộ", "household_id"),
        C("Tình trạng", "status"),
        C("Ngày cập nhật", "updated_on", "DATE", DMY),
    ),
)

EVENTS = TableContract(
    feed="population",
    table="population_events",
    fmt="csv",
    pattern="population/events/*/*.csv",
    daily=True,
    expects_bom=True,
    description="Life events of the register (births, deaths, moves, corrections), one file per day.",
    columns=(
        C("Mã biến động", "event_id"),
        C("Loại biến động", "event_type"),
        C("Mã bản ghi", "record_id"),
        C("Số định danh cá nhân", "citizen_id", personal=True),
        C("Ngày hiệu lực", "effective_date", "DATE", DMY),
        C("Mã xã", "commune_code"),
        C("Mã xã chuyển đến/đi", "other_commune_code"),
        C("Trường đính chính", "corrected_field"),
        C("Giá trị cũ", "old_value", personal=True),
        C("Giá trị mới", "new_value", personal=True),
    ),
)
