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
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
from dq_fixture_rules import DELIVERY_RULES, RULES, Rule

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
