"""The rules of the report's dq fixture (tests/report/dq_fixture.py): ids, criteria, severities, descriptions, a
masked sample value and the share of records each fails in each of the fixture's runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    rule_id: str
    feed: str
    source: str
    criterion: str
    severity: str
    description_vi: str
    description_en: str
    value: str  # SQL over the source: the masked value a sample shows
    # failure share per run in basis points of the source's records (0: passes that run)
    shares: tuple[int, int, int, int, int]
    asset: str
    check_table: str


def _rule(rule_id, source, criterion, severity, vi, en, value, shares, asset, check_table) -> Rule:
    return Rule(
        rule_id, rule_id.split(".")[0], source, criterion, severity, vi, en, value, shares, asset, check_table
    )


RES, DOS, CELLS = "checks.chk_population__residents", "checks.chk_dossiers__dossiers", "checks.chk_bts__cells"
RULES = [
    _rule(
        "population.birth_date_after_as_of",
        "residents",
        "đúng",
        "critical",
        "Ngày sinh sau ngày chốt số liệu",
        "Birth date after the as-of date",
        "strftime(birth_date + interval 40 year, '%Y-%m-%d')",
        (40, 40, 45, 45, 50),
        "landing/population_snapshot",
        RES,
    ),
    _rule(
        "population.citizen_id_invalid",
        "residents",
        "đúng",
        "critical",
        "Số định danh cá nhân sai cấu trúc (mã tỉnh, thế kỷ, năm sinh)",
        "Citizen ID malformed (province, century, birth year)",
        "left(citizen_id, 3) || '******' || right(citizen_id, 3)",
        (120, 120, 120, 130, 130),
        "landing/population_snapshot",
        RES,
    ),
    _rule(
        "population.duplicate_record",
        "residents",
        "sạch",
        "warn",
        "Một công dân xuất hiện nhiều lần trong sổ",
        "A citizen listed more than once",
        "'hộ ' || household_id",
        (60, 90, 90, 110, 140),
        "landing/population_snapshot",
        RES,
    ),
    _rule(
        "population.household_head_missing",
        "residents",
        "đủ",
        "warn",
        "Hộ không có chủ hộ",
        "Household without a head",
        "'hộ ' || household_id",
        (30, 30, 30, 0, 0),
        "landing/population_snapshot",
        RES,
    ),
    _rule(
        "dossiers.due_before_received",
        "dossiers",
        "đúng",
        "critical",
        "Ngày hẹn trả trước ngày tiếp nhận",
        "Due date before the reception date",
        "strftime(received_at, '%d/%m/%Y') || ' → ' || strftime(received_at - interval 2 day, '%d/%m/%Y')",
        (25, 25, 0, 25, 0),
        "landing/dossiers",
        DOS,
    ),
    _rule(
        "dossiers.procedure_unknown",
        "dossiers",
        "đủ",
        "critical",
        "Mã thủ tục không có trong danh mục",
        "Procedure code not in the catalogue",
        "'TTHC ' || procedure_code || 'X'",
        (0, 0, 0, 15, 20),
        "landing/dossiers",
        DOS,
    ),
    _rule(
        "dossiers.applicant_phone_malformed",
        "dossiers",
        "sạch",
        "warn",
        "Số điện thoại người nộp sai định dạng",
        "Applicant phone number malformed",
        "left(applicant_phone, 2) || '******' || right(applicant_phone, 2)",
        (0, 80, 0, 85, 95),
        "landing/dossiers",
        DOS,
    ),
    _rule(
        "bts.cell_outside_province",
        "cells",
        "đúng",
        "critical",
        "Toạ độ trạm nằm ngoài địa giới tỉnh",
        "Cell coordinates outside the province",
        "printf('%.3f, %.3f', lat + 1.5, lon)",
        (50, 50, 55, 55, 90),
        "landing/bts_cells",
        CELLS,
    ),
    _rule(
        "bts.cell_not_updated_365d",
        "cells",
        "sống",
        "warn",
        "Ô phủ sóng không được cập nhật quá 365 ngày",
        "Cell not updated for over 365 days",
        "'cập nhật ' || cast(updated_date_key as varchar)",
        (300, 300, 310, 320, 330),
        "landing/bts_cells",
        CELLS,
    ),
    _rule(
        "bts.site_permit_missing",
        "sites",
        "đủ",
        "warn",
        "Vị trí trạm thiếu số giấy phép xây dựng",
        "Site without a building permit number",
        "'giấy phép: (trống)'",
        (150, 150, 150, 150, 150),
        "landing/bts_sites",
        "checks.chk_bts__sites",
    ),
    _rule(
        "ocop.stars_out_of_range",
        "products",
        "đúng",
        "critical",
        "Số sao ngoài khoảng 3–5",
        "Stars outside 3–5",
        "cast(stars + 3 as varchar) || ' sao'",
        (120, 120, 0, 0, 0),
        "landing/ocop_products",
        "checks.chk_ocop__products",
    ),
    _rule(
        "ocop.decision_missing",
        "products",
        "đủ",
        "warn",
        "Sản phẩm thiếu số quyết định công nhận",
        "Product without a recognition decision number",
        "'quyết định: (trống)'",
        (0, 0, 0, 200, 200),
        "landing/ocop_products",
        "checks.chk_ocop__products",
    ),
    _rule(
        "cross_feed.dossier_agency_without_district",
        "dossiers",
        "đúng",
        "warn",
        "Cơ quan xử lý hồ sơ không thuộc huyện nào của tỉnh",
        "Dossier handling agency in no district of the province",
        "'cơ quan ' || coalesce(agency_code, '?')",
        (10, 10, 0, 10, 10),
        "marts/fct_dossiers",
        "checks.chk_cross_feed__dossier_agencies",
    ),
]
# delivery-level rules: one record per delivery (the day or the file), failing on the runs listed
DELIVERY_RULES = [
    (
        _rule(
            "dossiers.daily_file_delivered",
            "",
            "sống",
            "critical",
            "Không nhận được tệp hồ sơ TTHC của ngày",
            "The day's dossiers file did not arrive",
            "'không có tệp'",
            (0, 0, 0, 0, 1),
            "landing/dossiers",
            "checks.chk_dossiers__deliveries",
        ),
        lambda day: day,
    ),
    (
        _rule(
            "population.events_file_readable",
            "",
            "sống",
            "critical",
            "Tệp biến động dân cư bị từ chối (không đọc được)",
            "Population events file refused (unreadable)",
            "'mã hoá Windows-1258'",
            (0, 0, 0, 1, 1),
            "landing/population_events",
            "checks.chk_population__deliveries",
        ),
        lambda day: "population/events/2023/2023-12-30.csv",
    ),
]
