"""The OCOP feed: the product workbook read back as a consumer would, its exact figures, its defects."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest

from kho06.simulator import ocop
from kho06.simulator.config import SimConfig
from kho06.simulator.ocop import defects as ocop_defects
from kho06.simulator.ocop import vocabularies
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import CRITERIA, IN_PLACE, DefectLog, defect_count

HEADER_ROW_INDEX = 3  # 0-based: the contract puts the header on worksheet row 4
AS_OF = date(2023, 12, 31)
COLUMNS = [
    "STT", "Mã sản phẩm", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Địa chỉ", "Mã xã", "Huyện",
    "Nhóm sản phẩm", "Hạng sao", "Tiềm năng 5 sao", "Điểm", "Năm công nhận", "Số quyết định",
    "Ngày quyết định", "Ngày hết hạn",
]  # fmt: skip
SIX_GROUPS = {
    "Thực phẩm": 293,
    "Đồ uống": 23,
    "Thảo dược": 14,
    "Vải và may mặc": 0,
    "Lưu niệm – nội thất – trang trí": 17,
    "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch": 4,
}


def workbook_path(cfg):
    return cfg.out / "ocop" / "danh_sach_san_pham_ocop.xlsx"


def read_list(cfg) -> pl.DataFrame:
    return pl.read_excel(
        workbook_path(cfg),
        sheet_name="Danh sách",
        engine="calamine",
        read_options={"header_row": HEADER_ROW_INDEX},
        infer_schema_length=None,
    )


def normalised(col: str) -> pl.Expr:
    """The contract's name key: NFC, lower case, whitespace collapsed and trimmed."""
    return pl.col(col).str.normalize("NFC").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


@pytest.fixture(scope="module")
def dirty(simulate_feed):
    return simulate_feed(ocop, scale=0.002)


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(ocop, scale=0.002, defect_rate=0)


@pytest.fixture(scope="module")
def clean_list(clean):
    return read_list(clean[0])


@pytest.fixture(scope="module")
def dirty_list(dirty):
    return read_list(dirty[0])


# ---------------------------------------------------------------------------------------------------------
# Format


def test_workbook_layout_title_rows_header_and_date_cells(dirty):
    cfg, result, _ = dirty
    wb = openpyxl.load_workbook(workbook_path(cfg))
    assert wb.sheetnames == ["Danh sách"]
    ws = wb["Danh sách"]
    assert ws["A1"].value == "DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG"
    assert ws["A2"].value == "(Tính đến ngày 31/12/2023)"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:P1", "A2:P2"}
    assert all(c.value is None for c in ws[3])
    assert [c.value for c in ws[4]] == COLUMNS
    assert all(c.font.b for c in ws[4])
    assert ws.freeze_panes == "A5"
    assert ws.max_row == 4 + result.records
    assert ws.column_dimensions["C"].width > 20
    for row in (5, ws.max_row):
        for col in (15, 16):
            cell = ws.cell(row, col)
            assert cell.is_date and isinstance(cell.value, datetime)
            assert cell.number_format == "dd/mm/yyyy"
        assert ws.cell(row, 7).data_type == "s"  # Mã xã is text
    assert wb.properties.created == datetime(2023, 12, 31, 17, 0)


def test_consumer_read_gives_typed_columns(dirty_list, dirty):
    assert dirty_list.columns == COLUMNS
    assert dirty_list.height == dirty[1].records
    schema = dirty_list.schema
    for col in ("STT", "Hạng sao", "Điểm", "Năm công nhận"):
        assert schema[col] == pl.Int64, col
    for col in ("Ngày quyết định", "Ngày hết hạn"):
        assert schema[col] == pl.Date, col
    assert schema["Mã xã"] == pl.String
    assert dirty_list["STT"].to_list() == list(range(1, dirty_list.height + 1))
    assert dirty_list["Mã sản phẩm"].is_unique().all()


# ---------------------------------------------------------------------------------------------------------
# Calibration of the clean list


def test_exact_figures_of_the_clean_list(clean_list):
    df = clean_list
    assert df.height == 351
    assert df.filter(pl.col("Năm công nhận") <= 2022).height == 234
    assert df.filter(pl.col("Năm công nhận") == 2023).height == 117
    assert set(df["Năm công nhận"]) == {2019, 2020, 2021, 2022, 2023}
    stars = {(s, p): n for s, p, n in df.group_by("Hạng sao", "Tiềm năng 5 sao").len().iter_rows()}
    assert stars == {(3, None): 231, (4, None): 118, (4, "x"): 2}
    groups = dict(df.group_by("Nhóm sản phẩm").len().iter_rows())
    assert groups == {g: n for g, n in SIX_GROUPS.items() if n}


def test_clean_rows_are_complete_unique_nfc_and_in_the_province(clean_list, geo):
    df = clean_list
    assert df.null_count().drop("Tiềm năng 5 sao").sum_horizontal().item() == 0
    assert df.select(normalised("Tên sản phẩm")).to_series().is_unique().all()
    keys = df.select(pl.col("Mã sản phẩm").str.extract(r"^HD-OCOP-(\d{4})-\d{4}$").cast(pl.Int64)).to_series()
    assert keys.to_list() == df["Năm công nhận"].to_list()
    for col in ("Tên sản phẩm", "Chủ thể", "Địa chỉ", "Huyện", "Nhóm sản phẩm", "Loại hình chủ thể"):
        assert all(unicodedata.is_normalized("NFC", v) for v in df[col]), col
    assert set(df["Loại hình chủ thể"]) == {"Công ty", "Hợp tác xã", "Hộ kinh doanh", "Tổ hợp tác"}
    communes = geo.communes.select("commune_code", "commune_name", "district_name")
    placed = df.join(communes, left_on="Mã xã", right_on="commune_code", how="left")
    assert placed["commune_name"].null_count() == 0
    assert (placed["district_name"] == placed["Huyện"]).all()
    assert (
        placed.select(pl.col("Địa chỉ").str.contains(pl.col("commune_name"), literal=True)).to_series().all()
    )
    assert set(df["Huyện"]) == set(geo.districts["district_name"])  # every district has products


def test_known_products_sit_in_their_districts(clean_list):
    expected = {
        "Vải thiều Thanh Hà": "Huyện Thanh Hà",
        "Bánh đậu xanh Hải Dương": "Thành phố Hải Dương",
        "Gốm Chu Đậu": "Huyện Nam Sách",
        "Bánh gai Ninh Giang": "Huyện Ninh Giang",
        "Cà rốt Đức Chính": "Huyện Cẩm Giàng",
        "Gạo nếp cái hoa vàng Kinh Môn": "Thị xã Kinh Môn",
    }
    found = dict(
        clean_list.filter(pl.col("Tên sản phẩm").is_in(list(expected))).select("Tên sản phẩm", "Huyện").rows()
    )
    assert found == expected
    assert clean_list.filter(pl.col("Tên sản phẩm").str.starts_with("Vải thiều Thanh Hà"))[
        "Huyện"
    ].unique().to_list() == ["Huyện Thanh Hà"]


def test_scores_fit_the_stars(clean_list):
    df = clean_list
    three = df.filter(pl.col("Hạng sao") == 3)["Điểm"]
    four = df.filter((pl.col("Hạng sao") == 4) & pl.col("Tiềm năng 5 sao").is_null())["Điểm"]
    potential = df.filter(pl.col("Tiềm năng 5 sao") == "x")
    assert three.min() >= 50 and three.max() <= 69
    assert four.min() >= 70 and four.max() <= 89
    assert (
        (potential["Hạng sao"] == 4).all()
        and potential["Điểm"].min() >= 90
        and potential["Điểm"].max() <= 100
    )


def test_decisions_expire_36_months_later_and_none_has_expired(clean_list):
    df = clean_list
    expected = df.select(pl.col("Ngày quyết định").dt.offset_by("36mo")).to_series()
    assert (df["Ngày hết hạn"] == expected).all()
    assert df["Ngày quyết định"].max() <= AS_OF < df["Ngày hết hạn"].min()
    assert df["Số quyết định"].str.contains(r"^\d+/QĐ-UBND$").all()
    # numbers restart every year: one number of a year, one decision date
    decisions = df.group_by("Số quyết định", pl.col("Ngày quyết định").dt.year().alias("y"))
    assert decisions.agg(pl.col("Ngày quyết định").n_unique())["Ngày quyết định"].max() == 1
    decided = df.select(pl.col("Ngày quyết định").dt.year() - pl.col("Năm công nhận")).to_series()
    assert decided.min() >= 0
    # products of 2019–2020 would have expired by the end of 2023: they carry their re-recognition (3 years on)
    early = df.filter(pl.col("Năm công nhận") <= 2020)
    assert early.height == 89
    assert (early["Ngày quyết định"].dt.year() - early["Năm công nhận"] == 3).all()


def test_a_shorter_period_lists_the_same_products_filtered(simulate_feed, clean_list):
    cfg, result, truth = simulate_feed(ocop, scale=0.002, defect_rate=0, end=date(2022, 12, 31))
    df = read_list(cfg)
    assert result.records == df.height == 234 and truth.height == 0
    assert openpyxl.load_workbook(workbook_path(cfg))["Danh sách"]["A2"].value == "(Tính đến ngày 31/12/2022)"
    full = clean_list.select("Mã sản phẩm", "Tên sản phẩm", "Chủ thể", "Năm công nhận", "Điểm")
    assert (
        df.select(full.columns)
        .sort("Mã sản phẩm")
        .equals(full.filter(pl.col("Năm công nhận") <= 2022).sort("Mã sản phẩm"))
    )
    assert df["Ngày quyết định"].max() <= date(2022, 12, 31) < df["Ngày hết hạn"].min()


# ---------------------------------------------------------------------------------------------------------
# Determinism and independence from the defect rate


def _digests(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_config_gives_byte_identical_files(dirty, geo, tmp_path):
    cfg, _, _ = dirty
    again = SimConfig(out=tmp_path, scale=cfg.scale, seed=cfg.seed, defect_rate=cfg.defect_rate)
    truth = DefectLog()
    ocop.simulate(again, geo, truth, FeedProgress())
    truth.write(tmp_path)
    first = _digests(cfg.out)
    assert set(first) == {"ocop/danh_sach_san_pham_ocop.xlsx", "_truth/defects.csv"}
    assert _digests(tmp_path) == first


def test_the_list_is_whole_at_every_scale(simulate_feed, clean):
    cfg, _, _ = simulate_feed(ocop, scale=1.0, defect_rate=0)
    assert _digests(cfg.out) == _digests(clean[0].out)


def test_clean_rows_keep_their_bytes_at_any_defect_rate(clean_list, dirty_list, dirty):
    truth = dirty[2]
    altered = set(
        truth.filter(
            pl.col("defect_class").is_in([c.name for c in ocop_defects.CLASSES if c.kind == IN_PLACE])
        )["record_key"]
    )
    assert len(altered) == 6 * 4
    head = dirty_list.head(clean_list.height)
    assert head["Mã sản phẩm"].to_list() == clean_list["Mã sản phẩm"].to_list()
    untouched = ~pl.col("Mã sản phẩm").is_in(list(altered))
    assert head.filter(untouched).equals(clean_list.filter(untouched))
    assert clean_list.filter(untouched).height == 351 - 24


# ---------------------------------------------------------------------------------------------------------
# Defects


def flagged(df: pl.DataFrame, geo) -> dict[str, set[str]]:
    """The contract's criterion of each defect class, applied to the published list."""
    codes = geo.communes["commune_code"].implode()
    districts = geo.districts["district_name"].implode()
    band_3 = pl.col("Điểm").is_between(50, 69)
    band_4 = pl.col("Điểm").is_between(70, 89)
    rules = {
        "score_star_mismatch": pl.when(pl.col("Tiềm năng 5 sao") == "x")
        .then(pl.col("Điểm") < 90)
        .when(pl.col("Hạng sao") == 3)
        .then(~band_3)
        .when(pl.col("Hạng sao") == 4)
        .then(~band_4)
        .otherwise(False),
        "commune_not_in_province": ~pl.col("Mã xã").is_in(codes),
        "invalid_group": ~pl.col("Nhóm sản phẩm").is_in(list(SIX_GROUPS)),
        "missing_mandatory_field": pl.any_horizontal(
            pl.col(c).is_null() for c in ("Chủ thể", "Số quyết định", "Hạng sao")
        ),
        "duplicate_product": normalised("Tên sản phẩm").is_duplicated()
        & ~normalised("Tên sản phẩm").is_first_distinct(),
        "non_nfc_text": pl.any_horizontal(
            pl.col(c) != pl.col(c).str.normalize("NFC") for c in ("Tên sản phẩm", "Chủ thể")
        ).fill_null(False),
        "inconsistent_district_spelling": ~pl.col("Huyện").is_in(districts),
        "expired_still_listed": pl.col("Ngày hết hạn") < AS_OF,
    }
    ordered = df.sort("STT")
    return {cls: set(ordered.filter(rule)["Mã sản phẩm"]) for cls, rule in rules.items()}


def test_every_class_has_exact_count_valid_criterion_and_existing_keys(dirty, dirty_list):
    _, _, truth = dirty
    truth = truth.filter(pl.col("feed") == "ocop")
    count = defect_count(0.01, 351)
    assert count == 4
    counts = dict(truth.group_by("defect_class").len().iter_rows())
    assert counts == {cls.name: count for cls in ocop_defects.CLASSES}
    assert len(counts) >= 6
    assert set(truth["criterion"]) <= set(CRITERIA)
    for cls in ocop_defects.CLASSES:
        assert set(truth.filter(pl.col("defect_class") == cls.name)["criterion"]) == {cls.criterion}
    assert truth["record_key"].is_unique().all()  # at most one class per row
    assert set(truth["record_key"]) <= set(dirty_list["Mã sản phẩm"])
    assert dirty_list.height == 351 + 2 * count


def test_each_defect_is_in_the_file_and_nothing_else_trips_its_check(dirty, dirty_list, geo):
    truth = dirty[2]
    found = flagged(dirty_list, geo)
    for cls in (c.name for c in ocop_defects.CLASSES):
        assert found[cls] == set(truth.filter(pl.col("defect_class") == cls)["record_key"]), cls


def test_defects_alter_what_they_say(dirty, dirty_list, clean_list):
    truth = dirty[2]

    def keys(cls: str) -> list[str]:
        return truth.filter(pl.col("defect_class") == cls)["record_key"].to_list()

    before = clean_list.filter(pl.col("Mã sản phẩm").is_in(keys("invalid_group"))).sort("Mã sản phẩm")
    after = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("invalid_group"))).sort("Mã sản phẩm")
    aliases = {a: g for g, names in vocabularies.GROUP_ALIASES.items() for a in names}
    assert [aliases[a] for a in after["Nhóm sản phẩm"]] == before["Nhóm sản phẩm"].to_list()

    nfd = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("non_nfc_text"))).sort("Mã sản phẩm")
    ref = clean_list.filter(pl.col("Mã sản phẩm").is_in(keys("non_nfc_text"))).sort("Mã sản phẩm")
    for col in ("Tên sản phẩm", "Chủ thể"):
        assert [unicodedata.normalize("NFC", v) for v in nfd[col]] == ref[col].to_list()

    spelt = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("inconsistent_district_spelling")))
    assert spelt.select(pl.col("Địa chỉ").str.ends_with(pl.col("Huyện"))).to_series().all()

    foreign = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("commune_not_in_province")))
    assert foreign["Mã xã"].str.contains(r"^\d{5}$").all()
    assert foreign["Địa chỉ"].str.contains(r"Tỉnh|Thành phố Hải Phòng").all()

    originals = {
        re.search(r"HD-OCOP-\d{4}-\d{4}", d).group()
        for d in truth.filter(pl.col("defect_class") == "duplicate_product")["detail"]
    }
    dup = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("duplicate_product")))
    src = clean_list.filter(pl.col("Mã sản phẩm").is_in(list(originals)))
    assert set(dup.select(normalised("Tên sản phẩm")).to_series()) == set(
        src.select(normalised("Tên sản phẩm")).to_series()
    )
    assert not set(dup["Tên sản phẩm"]) & set(src["Tên sản phẩm"])  # typed differently
    assert not set(dup["Mã sản phẩm"]) & set(clean_list["Mã sản phẩm"])  # a key of its own

    expired = dirty_list.filter(pl.col("Mã sản phẩm").is_in(keys("expired_still_listed")))
    assert not set(expired["Mã sản phẩm"]) & set(clean_list["Mã sản phẩm"])
    assert (
        expired["Ngày hết hạn"] == expired.select(pl.col("Ngày quyết định").dt.offset_by("36mo")).to_series()
    ).all()
    assert (expired["Năm công nhận"] == expired["Ngày quyết định"].dt.year()).all()


def test_contract_kpi_formulas_give_the_clean_figures_despite_defects(dirty_list, geo):
    """The contract's formulas: active rows, one per normalised name, stars/groups recovered from Điểm/aliases."""
    aliases = {a: g for g, names in vocabularies.GROUP_ALIASES.items() for a in names}
    products = (
        dirty_list.filter(pl.col("Ngày hết hạn") >= AS_OF)
        .with_columns(normalised("Tên sản phẩm").alias("_name"))
        .sort("Mã sản phẩm")
        .unique("_name", keep="first", maintain_order=True)
        .with_columns(
            pl.coalesce("Hạng sao", pl.when(pl.col("Điểm") >= 70).then(4).otherwise(3)).alias("_stars"),
            pl.col("Nhóm sản phẩm").replace(aliases).alias("_group"),
        )
    )
    assert products.height == 351
    assert products.filter(pl.col("Năm công nhận") <= 2022).height == 234
    stars = {(s, p): n for s, p, n in products.group_by("_stars", "Tiềm năng 5 sao").len().iter_rows()}
    assert stars == {(3, None): 231, (4, None): 118, (4, "x"): 2}
    assert dict(products.group_by("_group").len().iter_rows()) == {g: n for g, n in SIX_GROUPS.items() if n}
