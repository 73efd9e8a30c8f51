"""What the population feed writes (docs/contracts/population.md): the columns of the snapshot and event files,
their coded values, and the record ids."""

from __future__ import annotations

import polars as pl

from kho06.simulator.population.vocabularies import RELIGIONS

FEED = "population"

SNAPSHOT_COLUMNS = {
    "rid": "Mã bản ghi",
    "name": "Họ chữ đệm và tên",
    "birth": "Ngày sinh",
    "sex": "Giới tính",
    "pid": "Số định danh cá nhân",
    "ethnic": "Dân tộc",
    "religion": "Tôn giáo",
    "nationality": "Quốc tịch",
    "province": "Tỉnh",
    "district_name": "Huyện",
    "commune_name": "Xã",
    "commune_code": "Mã xã",
    "hamlet": "Thôn/Xóm",
    "relation": "Quan hệ với chủ hộ",
    "head_pid": "Số định danh chủ hộ",
    "hh_code": "Mã hộ",
    "status": "Tình trạng",
    "updated": "Ngày cập nhật",
}
EVENT_COLUMNS = {
    "eid": "Mã biến động",
    "type": "Loại biến động",
    "rid": "Mã bản ghi",
    "pid": "Số định danh cá nhân",
    "day_text": "Ngày hiệu lực",
    "commune_code": "Mã xã",
    "other_code": "Mã xã chuyển đến/đi",
    "field": "Trường đính chính",
    "old": "Giá trị cũ",
    "new": "Giá trị mới",
}
DATE_FORMAT = "%d/%m/%Y"

ALIVE, DEAD = "Còn sống", "Đã chết"
NATIONALITY = "Việt Nam"
BIRTH, DEATH, MOVE_OUT, MOVE_IN, CORRECTION = "Khai sinh", "Khai tử", "Chuyển đi", "Chuyển đến", "Đính chính"
EVENT_TYPES = (BIRTH, DEATH, MOVE_OUT, MOVE_IN, CORRECTION)  # also the order of events within a day's file

HEAD_RELATION = "Chủ hộ"
RELATIONS = ("Chủ hộ", "Vợ", "Chồng", "Con", "Con dâu", "Cháu", "Bố", "Mẹ")

# Column types of the typed snapshot (small categorical columns as Enum to keep 2 million rows compact).
SEX = pl.Enum(["Nam", "Nữ"])
ETHNIC = pl.Enum([f"{i:02d}" for i in range(100)])  # 01–54 valid; the rest can only come from defects
RELIGION = pl.Enum(list(RELIGIONS))
RELATION = pl.Enum(list(RELATIONS))
STATUS = pl.Enum([ALIVE, DEAD])

RID = pl.concat_str(pl.lit("DC01-"), "rid_district", pl.lit("-"), pl.col("seq").cast(pl.String).str.zfill(7))
"""Mã bản ghi from the typed snapshot: 'DC01-<district of first registration>-<7-digit number in it>'."""
HH_CODE = pl.lit("HO") + (pl.col("hh") + 1).cast(pl.String).str.zfill(8)
"""Mã hộ from the household number."""


def enum_of(values, dtype: pl.Enum, index) -> pl.Series:
    """values[index] as a column of the Enum `dtype`."""
    return pl.Series(list(values)).cast(dtype).gather(index)


def labels(values, index) -> pl.Series:
    """values[index] as a string column (cheaper than converting a numpy string array)."""
    return pl.Series(list(values), dtype=pl.String).gather(index)
