"""Plausible results of the quality stage for the report's tests, written in the `dq` schema the report reads
(docs/quality_report.md): five nightly runs over a built warehouse, the last one on the warehouse's last day.

The failing records are real records of the warehouse (chosen by a hash of their key, so the same each time and
more of them as a rule's failure share rises), with their commune, district, agency and operator as the
warehouse holds them; samples are masked. The runs tell a story: rules that start and stop failing, counts that
rise, a failed run (the third: the quality stage did not finish, only the landing rules were written), a refused
events file (fourth and fifth), and on the last day a missing dossiers delivery with the scorecard held back.
Nothing here judges the data: it stands in for the quality stage until that stage writes `dq.*` itself.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

RUNS = 5
LAST_DAY = "2023-12-31"

# the records each feed's rules look at: key, place, agency, operator, and the value a sample shows (masked)
SOURCES = {
    "residents": """
        select p.record_id as record_key, p.commune_code, c.district_code, null as agency_code,
               null as operator, p.birth_date, p.citizen_id, p.household_id
        from landing.population_snapshot p left join reference.legacy_communes c using (commune_code)""",
    "dossiers": """
        select d.dossier_code as record_key, a.commune_code, a.district_code, d.agency_code, null as operator,
               d.received_at, d.due_at, d.applicant_phone, d.procedure_code
        from landing.dossiers d left join marts.dim_agency a using (agency_code)""",
    "cells": """
        select c.cell_key as record_key, u.unit_code as commune_code, u.district_code, null as agency_code,
               coalesce(o.register_name, o.operator_name) as operator, c.lat, c.lon, c.updated_date_key
        from marts.fct_cells c
        left join marts.dim_admin_unit u on u.admin_unit_key = c.admin_unit_key and u.unit_level = 'commune'
        left join marts.dim_operator o on o.operator_key = c.operator_key""",
    "sites": """
        select s.site_id as record_key, s.commune_code, c.district_code, null as agency_code,
               null as operator, s.permit_no
        from landing.bts_sites s left join reference.legacy_communes c using (commune_code)""",
    "products": """
        select p.product_id as record_key, p.commune_code, c.district_code, null as agency_code,
               null as operator, p.stars, p.decision_no
        from landing.ocop_products p left join reference.legacy_communes c using (commune_code)""",
}


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
FAILED_RUN = 2  # 0-based: the quality stage stopped after the landing rules
LANDING_ONLY = ("population", "bts")


def _run_rows(con: duckdb.DuckDBPyConnection) -> list[dict]:
    first_load, last_load = con.execute(
        "select min(loaded_at), max(loaded_at) from landing.load_ledger"
    ).fetchone()
    last_day = datetime.fromisoformat(LAST_DAY).date()
    runs = []
    for k in range(RUNS):
        back = RUNS - 1 - k
        started = (first_load - timedelta(minutes=5)) - timedelta(days=back)
        finished = (last_load + timedelta(minutes=3)) - timedelta(days=back)
        held, message, status = [], None, "completed_with_failures"
        if k == FAILED_RUN:
            status, finished = "failed", None
            message = "dbt build dừng lỗi ở marts.fct_dossiers; kiểm tra chất lượng chỉ chạy ở tầng landing."
        if k == RUNS - 1:
            held = [
                {
                    "node": "model.kho06.scorecard_766_district",
                    "reason": "thiếu tệp hồ sơ TTHC ngày 31/12/2023 (dossiers.daily_file_delivered)",
                },
            ]
            message = "Thiếu tệp hồ sơ TTHC ngày 31/12/2023: bảng điểm 766 giữ số liệu của lần chạy trước."
        runs.append(
            {
                "run_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"kho06-report-fixture/{k}")),
                "run_started_at": started,
                "run_finished_at": finished,
                "status": status,
                "as_of_date": last_day - timedelta(days=back),
                "held_back": json.dumps(held, ensure_ascii=False),
                "message": message,
            }
        )
    return runs


DDL = """
create schema if not exists dq;
create or replace table dq.runs (run_id varchar, run_started_at timestamp, run_finished_at timestamp,
    status varchar, as_of_date date, held_back varchar, message varchar);
create or replace table dq.check_results (run_id varchar, run_started_at timestamp, feed varchar, asset varchar,
    check_table varchar, rule_id varchar, criterion varchar, severity varchar, evaluated_records bigint,
    failed_records bigint, passed boolean, description_vi varchar, description_en varchar, sample varchar,
    query varchar);
create or replace table dq.failed_records (run_id varchar, feed varchar, rule_id varchar, criterion varchar,
    record_key varchar, commune_code varchar, district_code varchar, agency_code varchar, operator varchar);
create or replace table dq.scores (run_id varchar, run_started_at timestamp, feed varchar, criterion varchar,
    evaluated_records bigint, failed_records bigint, score double);
"""


def _query_text(rule: Rule) -> str:
    return (
        f"select record_key from {rule.check_table}\nwhere not ({rule.rule_id.split('.', 1)[1]})"
        if rule.source
        else f"select expected_delivery from {rule.check_table}\nwhere delivered_file is null"
    )


def write_quality_results(db: Path) -> None:
    """Write five runs of `dq.*` and `marts.kpi_figure_inputs` into the warehouse `db` (replacing them)."""
    with duckdb.connect(str(db)) as con:
        con.execute(DDL)
        runs = _run_rows(con)
        con.executemany("insert into dq.runs values (?, ?, ?, ?, ?, ?, ?)", [list(r.values()) for r in runs])
        for name, sql in SOURCES.items():
            con.execute(f"create or replace temp table src_{name} as {sql}")
        for k, run in enumerate(runs):
            rules = [r for r in RULES if k != FAILED_RUN or r.feed in LANDING_ONLY]
            for rule in rules:
                _write_rule(con, run, rule, k)
            for rule, key in DELIVERY_RULES:
                if k != FAILED_RUN or rule.feed in LANDING_ONLY:
                    _write_delivery_rule(con, run, rule, k, key(str(run["as_of_date"])))
        con.execute(
            """
            insert into dq.scores
            select r.run_id, r.run_started_at, r.feed, r.criterion, max(r.evaluated_records),
                   coalesce(max(f.n), 0),
                   case when max(r.evaluated_records) > 0 then
                       100.0 * (max(r.evaluated_records) - coalesce(max(f.n), 0)) / max(r.evaluated_records) end
            from dq.check_results r
            left join (select run_id, feed, criterion, count(distinct record_key) as n
                       from dq.failed_records group by all) f using (run_id, feed, criterion)
            group by all"""
        )
        _write_figure_inputs(con, runs[-1]["run_id"])


def _write_rule(con, run: dict, rule: Rule, k: int) -> None:
    share = rule.shares[k]
    picked = f"select * from src_{rule.source} where hash(record_key || '{rule.rule_id}') % 10000 < {share}"
    con.execute(
        f"""insert into dq.failed_records
            select ?, ?, ?, ?, record_key, commune_code, district_code, agency_code, operator from ({picked})""",
        [run["run_id"], rule.feed, rule.rule_id, rule.criterion],
    )
    evaluated, failed, sample = con.execute(
        f"""select (select count(*) from src_{rule.source}), count(*),
                   to_json(list({{'record_key': record_key, 'value': {rule.value}}} order by record_key)[1:10])
            from ({picked})"""
    ).fetchone()
    _insert_result(con, run, rule, evaluated, failed, sample if failed else "[]")


def _write_delivery_rule(con, run: dict, rule: Rule, k: int, key: str) -> None:
    failed = rule.shares[k]
    if failed:
        con.execute(
            "insert into dq.failed_records values (?, ?, ?, ?, ?, null, null, null, null)",
            [run["run_id"], rule.feed, rule.rule_id, rule.criterion, key],
        )
    sample = json.dumps(
        [{"record_key": key, "value": rule.value.strip("'")}] if failed else [], ensure_ascii=False
    )
    _insert_result(con, run, rule, 1, failed, sample)


def _insert_result(con, run: dict, rule: Rule, evaluated: int, failed: int, sample: str) -> None:
    con.execute(
        "insert into dq.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run["run_id"],
            run["run_started_at"],
            rule.feed,
            rule.asset,
            rule.check_table,
            rule.rule_id,
            rule.criterion,
            rule.severity,
            evaluated,
            failed,
            failed == 0,
            rule.description_vi,
            rule.description_en,
            sample,
            _query_text(rule),
        ],
    )


def _write_figure_inputs(con, run_id: str) -> None:
    """Per figure: the records of its feed, those it counts, and those each critical failing rule left out."""
    con.execute(
        """
        create or replace table marts.kpi_figure_inputs as
        with figures as (
            select indicator_id, split_part(feed, '+', 1) as feed from marts.kpi_article_figures
        ),
        source as (
            select 'population' as feed, count(*) as n from landing.population_snapshot
            union all select 'dossiers', count(*) from landing.dossiers
            union all select 'bts', count(*) from landing.bts_cells
            union all select 'ocop', count(*) from landing.ocop_products
        ),
        excluded as (
            select feed, rule_id, failed_records as n from dq.check_results
            where run_id = ? and severity = 'critical' and failed_records > 0 and evaluated_records > 1
        ),
        per_rule as (
            select f.indicator_id, f.feed, s.n as source_records, e.rule_id, e.n as excluded_records
            from figures f join source s using (feed) left join excluded e using (feed)
        )
        select indicator_id, feed, max(source_records) as source_records,
               max(source_records) - coalesce(sum(excluded_records), 0) as counted_records,
               null::varchar as rule_id, coalesce(sum(excluded_records), 0) as excluded_records
        from per_rule group by all
        union all
        select indicator_id, feed, source_records, source_records - sum(excluded_records) over (
                   partition by indicator_id), rule_id, excluded_records
        from per_rule where rule_id is not null
        """,
        [run_id],
    )
