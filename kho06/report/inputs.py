"""What the report reads, and nothing else: SQL over the warehouse through a read-only connection.

Every figure is aggregated in DuckDB; the largest table (`dq.failed_records`, hundreds of thousands of rows per run
at full scale) is only ever grouped, never fetched row by row. `landing.quarantine.raw_text` is never selected:
it may hold personal data. The tables read are listed in `TABLES` (and in docs/quality_report.md).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

import duckdb

TABLES = (
    "dq.runs",
    "dq.check_results",
    "dq.failed_records",
    "dq.scores",
    "landing.load_ledger",
    "landing.quarantine",
    "marts.kpi_article_figures",
    "marts.kpi_figure_inputs",
    "marts.scorecard_766_province",
    "marts.scorecard_766_district",
    "marts.dim_agency",
    "marts.dim_admin_unit",
    "reference.legacy_communes",
    "reference.legacy_districts",
)
# the facts whose rows are each feed's records, by administrative unit (the denominators of the failure rates)
FEED_RECORDS = {
    "population": "marts.fct_residents",
    "dossiers": "marts.fct_dossiers",
    "bts": "marts.fct_cells",
    "ocop": "marts.fct_ocop_certifications",
}
DQ_TABLES = ("dq.runs", "dq.check_results", "dq.failed_records", "dq.scores")


class WarehouseBusy(RuntimeError):
    """The warehouse is held by a writer (DuckDB allows no reader beside another process's writer)."""


class Inputs:
    """The warehouse, opened read-only (the report never needs a writer)."""

    def __init__(self, db: Path):
        self.db = Path(db)
        try:
            self.con = duckdb.connect(str(self.db), read_only=True)
        except duckdb.IOException as exc:
            raise WarehouseBusy(
                f"{self.db} cannot be opened for reading ({exc}); a pipeline run is probably writing it: build "
                "the report when it has finished"
            ) from exc
        self._cache: dict[str, Any] = {}
        self.present = {
            f"{s}.{t}"
            for s, t in self.con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has(self, *tables: str) -> bool:
        return all(t in self.present for t in tables)

    def missing(self, *tables: str) -> list[str]:
        return [t for t in tables if t not in self.present]

    def rows(self, sql: str, params: list | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    # --- runs and scores -------------------------------------------------------------------------------------

    def runs(self) -> list[dict]:
        """Every run, oldest first, with the end of its window (finished, else the next start, else open)."""
        return self.rows(
            """select run_id, run_started_at, run_finished_at, status, as_of_date, held_back, message,
                      coalesce(run_finished_at, lead(run_started_at) over (order by run_started_at))
                          as window_end
               from dq.runs order by run_started_at, run_id"""
        )

    def scores(self, run_ids: list[str]) -> list[dict]:
        return self.rows(
            """select run_id, feed, criterion, evaluated_records, failed_records, score
               from dq.scores where run_id in (select unnest(?))""",
            [run_ids],
        )

    def rule_history(self, run_ids: list[str]) -> list[dict]:
        """Failed records per rule over `run_ids` (a few hundred rules × runs: small)."""
        return self.rows(
            """select run_id, rule_id, failed_records, evaluated_records from dq.check_results
               where run_id in (select unnest(?))""",
            [run_ids],
        )

    def check_results(self, run_id: str) -> list[dict]:
        return self.rows(
            """select feed, asset, check_table, rule_id, criterion, severity, evaluated_records,
                      failed_records, passed, description_vi, description_en, sample, query
               from dq.check_results where run_id = ? order by feed, rule_id""",
            [run_id],
        )

    # --- where -------------------------------------------------------------------------------------------------

    def failures_by(self, run_id: str, column: str) -> list[dict]:
        """Distinct failing records per feed and `column` (commune_code, district_code, agency_code, operator)."""
        assert column in ("commune_code", "district_code", "agency_code", "operator")
        return self.rows(
            f"""select feed, {column} as unit, count(distinct record_key) as failed,
                       count(distinct rule_id) as rules
                from dq.failed_records where run_id = ? and {column} is not null
                group by all order by feed, failed desc""",
            [run_id],
        )

    def _once(self, name: str, compute) -> list[dict] | dict:
        """Queries that do not depend on the run are read once per build, not once per page."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def records_by_unit(self) -> list[dict]:
        return self._once("records_by_unit", self._records_by_unit)

    def _records_by_unit(self) -> list[dict]:
        """Each feed's records per commune and per district (from its fact): the failure rates' denominators."""
        if not self.has("marts.dim_admin_unit"):
            return []
        parts = [
            f"""select '{feed}' as feed, u.unit_level, u.unit_code, u.district_code, count(*) as n
                from {table} f join marts.dim_admin_unit u using (admin_unit_key)
                where u.unit_level in ('commune', 'district') group by all"""
            for feed, table in FEED_RECORDS.items()
            if self.has(table)
        ]
        if not parts:
            return []
        return self.rows(
            f"""with units as ({" union all ".join(parts)})
                select feed, 'commune' as level, unit_code as unit, sum(n) as records from units
                where unit_level = 'commune' group by all
                union all
                select feed, 'district', district_code, sum(n) from units
                where district_code is not null group by all"""
        )

    def communes(self) -> list[dict]:
        return self._once("communes", self._communes)

    def _communes(self) -> list[dict]:
        return self.rows(
            """select commune_code, commune_name, district_code, district_name, lat, lon,
                      lat_min, lat_max, lon_min, lon_max
               from reference.legacy_communes order by commune_code"""
        )

    def districts(self) -> list[dict]:
        return self.rows(
            "select district_code, district_name from reference.legacy_districts order by district_code"
        )

    def agencies(self) -> dict[str, str]:
        return self._once("agencies", self._agencies)

    def _agencies(self) -> dict[str, str]:
        if not self.has("marts.dim_agency"):
            return {}
        return dict(self.con.execute("select agency_code, agency_name from marts.dim_agency").fetchall())

    # --- deliveries ----------------------------------------------------------------------------------------------

    def deliveries(
        self, first_day: date | None, last_day: date | None, start: datetime | None, end: datetime | None
    ) -> list[dict]:
        """Ledger rows of a run: daily files of its days (first_day, last_day], other files loaded in its window."""
        return self.rows(
            """select feed, table_name, status, count(*) as files, coalesce(sum(rows_read), 0) as rows_read,
                      coalesce(sum(rows_landed), 0) as rows_landed,
                      coalesce(sum(rows_quarantined), 0) as rows_quarantined,
                      min(partition_day) as first_day, max(partition_day) as last_day
               from landing.load_ledger
               where (partition_day is not null and (?::date is null or partition_day > ?::date)
                      and (?::date is null or partition_day <= ?::date))
                  or (partition_day is null and (?::timestamp is null or loaded_at >= ?::timestamp)
                      and (?::timestamp is null or loaded_at <= ?::timestamp))
               group by all order by feed, table_name, status""",
            [first_day, first_day, last_day, last_day, start, start, end, end],
        )

    def daily_tables(self) -> list[dict]:
        """Landing tables delivered one file per day, with the days they have ever had files for."""
        return self._once(
            "daily_tables",
            lambda: self.rows(
                """select feed, table_name, min(partition_day) as first_day, max(partition_day) as last_day
               from landing.load_ledger where partition_day is not null group by all order by 1, 2"""
            ),
        )

    def days_delivered(self, table: str, first_day: date | None, last_day: date) -> list[date]:
        """Days with a file (landed or refused: a refused file arrived, and is listed with the refusals)."""
        return [
            r[0]
            for r in self.con.execute(
                """select distinct partition_day from landing.load_ledger
                   where table_name = ? and partition_day <= ?
                     and (?::date is null or partition_day > ?::date) order by 1""",
                [table, last_day, first_day, first_day],
            ).fetchall()
        ]

    def refusals(self, end: datetime | None) -> list[dict]:
        """Files whose latest delivery up to `end` was refused, with the message (outstanding refusals)."""
        return self.rows(
            """select feed, table_name, source_file, status, message, loaded_at from (
                   select *, row_number() over (partition by table_name, source_file
                                                order by loaded_at desc, is_current desc) as rn
                   from landing.load_ledger where ?::timestamp is null or loaded_at <= ?::timestamp)
               where rn = 1 and status not in ('loaded') order by feed, table_name, source_file""",
            [end, end],
        )

    def quarantine_reasons(self, end: datetime | None, limit: int = 30) -> list[dict]:
        """Quarantined rows per table and reason, the value in the reason masked (`col: … is not a date`): a
        quarantined value may be personal data."""
        return self.rows(
            """select table_name, regexp_replace(reason, ': .{0,40}? is not ', ': … is not ', 'g') as reason,
                      count(*) as rows, count(distinct source_file) as files
               from landing.quarantine
               where ?::timestamp is null or quarantined_at <= ?::timestamp
               group by all order by rows desc, reason limit ?""",
            [end, end, limit],
        )

    def freshness(self, as_of: date | None, end: datetime | None) -> list[dict]:
        """Per landing table: the last day delivered (daily tables) and the last file landed, up to the run."""
        return self.rows(
            """select feed, table_name,
                      max(partition_day) filter (where status = 'loaded'
                          and (?::date is null or partition_day <= ?::date)) as last_day,
                      max(loaded_at) filter (where status = 'loaded'
                          and (?::timestamp is null or loaded_at <= ?::timestamp)) as last_loaded,
                      bool_or(partition_day is not null) as daily
               from landing.load_ledger group by all order by feed, table_name""",
            [as_of, as_of, end, end],
        )

    # --- figures -------------------------------------------------------------------------------------------------

    def figures(self) -> list[dict]:
        return self.rows(
            """select indicator_id, label, feed, value, target, unit, target_as_of, computed_as_of, matches
               from marts.kpi_article_figures order by feed, indicator_id"""
        )

    def figure_inputs(self) -> list[dict]:
        return self.rows(
            """select indicator_id, feed, source_records, counted_records, rule_id, excluded_records
               from marts.kpi_figure_inputs order by indicator_id, rule_id nulls first"""
        )

    def scorecard(self, months: int = 13) -> list[dict]:
        """The last `months` months of the Decision 766 scorecard: the province's row (unit_kind `province`) and
        the district rows (the districts, the provincial departments, an unknown agency), counts and rates as
        the marts compute them."""
        columns = """period_start as month_start, dossiers_received, dossiers_judged, dossiers_judged_on_time,
                     dossiers_online, dossiers_digitised, dossiers_with_fee, dossiers_paid_online, dossiers_rated,
                     dossiers_rated_positive, dossiers_national_portal_procedure, on_time_rate, online_rate,
                     digitisation_rate, online_payment_rate, positive_rating_rate, national_portal_procedure_rate,
                     score_766"""
        return self.rows(
            f"""with months as (
                   select period_start from marts.scorecard_766_province where period_type = 'month'
                   order by period_start desc limit ?
               )
               select 'province' as unit_kind, null as district_code, 'Toàn tỉnh' as district_name, {columns}
               from marts.scorecard_766_province
               where period_type = 'month' and period_start in (select period_start from months)
               union all
               select unit_kind, district_code, district_name, {columns}
               from marts.scorecard_766_district
               where period_type = 'month' and period_start in (select period_start from months)
               order by unit_kind = 'province' desc, district_code nulls last, unit_kind, month_start""",
            [months],
        )
