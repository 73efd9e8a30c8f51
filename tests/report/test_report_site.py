"""The report's site over a real small warehouse and five runs of quality results: a page per run, the night that
went wrong shown first, clear pages when tables are missing, pages kept once published, no personal data."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import LAST_DAY

from kho06.report import build_site
from kho06.report.figures import scorecard, weights_766
from kho06.report.guard import PersonalDataInReport, scan_text
from kho06.report.inputs import Inputs


def text_of(html: str) -> str:
    return re.sub(r"\s+([:,.;)])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module")
def site(report_warehouse, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("site") / "report"
    built = build_site(report_warehouse["db"], out)
    with duckdb.connect(str(report_warehouse["db"]), read_only=True) as con:
        runs = con.execute("select run_id, status from dq.runs order by run_started_at").fetchall()
    return {
        "out": out,
        "built": built,
        "runs": runs,
        "index": (out / "index.html").read_text(encoding="utf-8"),
    }


def test_one_page_per_run_and_the_index_is_the_latest(site):
    out, runs = site["out"], site["runs"]
    assert sorted(p.stem for p in (out / "runs").glob("*.html")) == sorted(r for r, _ in runs)
    assert site["built"].pages == len(runs) + 2  # + index.html, history.html
    assert site["built"].latest_run == runs[-1][0]
    latest = (out / "runs" / f"{runs[-1][0]}.html").read_text(encoding="utf-8")
    assert text_of(latest).count("31/12/2023") == text_of(site["index"]).count("31/12/2023")
    history = (out / "history.html").read_text(encoding="utf-8")
    assert all(f"runs/{r}.html" in history for r, _ in runs)


def test_the_night_that_went_wrong_comes_first(site):
    """The latest run: the missing dossiers file, the held-back scorecard and the refused file, as alerts at
    the top of the page, before the score grid."""
    html = site["index"]
    alerts = html[: html.index('id="grid"')]
    text = text_of(alerts)
    assert "Không nhận được tệp Hồ sơ TTHC (hằng ngày) ngày 31/12/2023" in text
    assert "Bảng điểm 766 theo huyện (scorecard_766_district) bị giữ lại" in text
    assert "1 tệp bị từ chối" in text
    assert alerts.count('role="alert"') >= 3
    # the scorecard section says it shows the previous build's figures
    scorecard = text_of(html[html.index('id="scorecard"') :])
    assert "Bảng điểm 766 bị giữ lại lần này" in scorecard


def test_a_failed_run_is_shown_as_failed(site, warehouse_copy, tmp_path):
    failed = next(r for r, status in site["runs"] if status == "failed")
    page = (site["out"] / "runs" / f"{failed}.html").read_text(encoding="utf-8")
    assert "Lần chạy này THẤT BẠI" in page and "dbt build dừng lỗi" in page
    # when the failed run is the latest, the index leads with it
    with duckdb.connect(str(warehouse_copy)) as con:
        started = con.execute("select run_started_at from dq.runs where run_id = ?", [failed]).fetchone()[0]
        con.execute("delete from dq.runs where run_started_at > ?", [started])
    build_site(warehouse_copy, tmp_path / "report")
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert index.index("Lần chạy này THẤT BẠI") < index.index('id="grid"')
    # its score grid shows what the failed run did evaluate, and says which feeds it did not check
    news = text_of(index[index.index('id="news"') : index.index('id="where"')])
    assert "Hồ sơ TTHC: không có kết quả kiểm tra lần này" in news


def test_what_is_new_since_the_previous_run(site):
    news = text_of(site["index"][site["index"].index('id="news"') : site["index"].index('id="where"')])
    started = news[news.index("Bắt đầu lỗi") : news.index("Hết lỗi")]
    stopped = news[news.index("Hết lỗi") : news.index("Số lỗi tăng")]
    rose = news[news.index("Số lỗi tăng") : news.index("Số lỗi giảm")]
    assert "Không nhận được tệp hồ sơ TTHC của ngày" in started
    assert "Ngày hẹn trả trước ngày tiếp nhận" in stopped
    assert "Toạ độ trạm nằm ngoài địa giới tỉnh" in rose
    assert "Hồ sơ TTHC (hằng ngày): không nhận được tệp ngày no file for 31/12/2023" in news


def test_every_failing_rule_with_its_sample_and_query(site, report_warehouse):
    html = site["index"]
    with duckdb.connect(str(report_warehouse["db"]), read_only=True) as con:
        failing = con.execute(
            "select rule_id, failed_records, evaluated_records, query from dq.check_results "
            "where run_id = ? and failed_records > 0",
            [site["runs"][-1][0]],
        ).fetchall()
    assert failing
    for rule_id, failed, evaluated, query in failing:
        start = html.index(f'id="rule-{rule_id}"')
        card = html[start : html.index("</article>", start)]
        assert f"{failed:,}".replace(",", ".") in text_of(card) and f"{evaluated:,}".replace(",", ".") in card
        assert query.splitlines()[0] in card.replace("&#39;", "'")
        assert 'data-testid="sample"' in card
    card = html[html.index('id="rule-population.citizen_id_invalid"') :]
    assert re.search(r"\d{3}\*{6}\d{3}", card[: card.index("</article>")])


def test_where_lists_places_agencies_and_operators(site):
    where = site["index"][site["index"].index('id="where"') : site["index"].index('id="rules"')]
    assert where.count('<svg class="map"') == 1 and where.count('name="mapfeed"') >= 3  # a layer per feed
    assert 'data-testid="heat-table"' in where and "Huyện Bình Giang" in where
    text = text_of(where)
    assert "Viettel" in text and "VNPT" in text
    assert "UBND" in text or "Sở" in text


def test_deliveries_show_refusals_quarantine_reasons_and_freshness(site, report_warehouse):
    section = site["index"][site["index"].index('id="deliveries"') : site["index"].index('id="figures"')]
    text = text_of(section)
    assert "population/events/2023/2023-12-30.csv" in text and "Windows-1258" in text
    assert "effective_date: … is not a date" in text
    assert "Độ mới của từng nguồn" in text
    # quarantine raw_text may hold personal data: it is never shown, nor the quarantined value
    with duckdb.connect(str(report_warehouse["db"]), read_only=True) as con:
        raw_texts = [r[0] for r in con.execute("select raw_text from landing.quarantine").fetchall()]
    assert raw_texts
    values = [v for raw in raw_texts for v in json.loads(raw).values() if v and any(c.isdigit() for c in v)]
    assert any(re.fullmatch(r"\d{12}", v) for v in values)  # the quarantined row carries a citizen ID
    assert not [v for v in values if v in site["index"]], "a quarantined value reached the report"


def test_figures_carry_the_quality_of_their_inputs(site):
    section = site["index"][site["index"].index('id="figures"') : site["index"].index('id="scorecard"')]
    assert section.count('data-testid="figure"') == 15
    text = text_of(section)
    assert "bts.cell_outside_province" in text and "Bản ghi nguồn" in text
    assert "Khớp mục tiêu nhưng dữ liệu đầu vào có vấn đề" in text


def test_province_766_is_the_marts_own_row_with_the_dbt_weights(report_warehouse):
    """The page's province figures are the province mart's monthly rows (one computation, in dbt), and the
    weights it shows are the dbt macro's."""
    assert set(weights_766()) == {
        "on_time_rate",
        "online_rate",
        "digitisation_rate",
        "online_payment_rate",
        "positive_rating_rate",
    }
    with Inputs(report_warehouse["db"]) as inputs:
        section = scorecard(inputs, None)
    with duckdb.connect(str(report_warehouse["db"]), read_only=True) as con:
        mart = dict(
            con.execute(
                "select period_start, score_766 from marts.scorecard_766_province where period_type = 'month'"
            ).fetchall()
        )
    assert section["province"]["score_766"] == pytest.approx(mart[section["last"]])
    districts = {d["code"] for d in section["districts"]}
    assert None in districts and len([d for d in section["districts"] if d["code"] is None]) == 2


def test_pages_are_kept_once_published(site, report_warehouse, tmp_path):
    out = tmp_path / "report"
    first = build_site(report_warehouse["db"], out)
    assert first.rendered == len(site["runs"]) + 2
    again = build_site(report_warehouse["db"], out)
    assert again.rendered == 3  # the latest run's page, index.html, history.html
    assert build_site(report_warehouse["db"], out, full=True).rendered == first.rendered


def test_the_report_needs_no_writer(report_warehouse, tmp_path):
    """Built from a warehouse file that cannot be written."""
    db = tmp_path / "kho06.duckdb"
    shutil.copy(report_warehouse["db"], db)
    os.chmod(db, 0o444)
    try:
        assert build_site(db, tmp_path / "report").latest_run
    finally:
        os.chmod(db, 0o644)


def test_no_dq_tables_yet_gives_a_clear_page(warehouse_copy, tmp_path):
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("drop schema dq cascade")
        con.execute("drop table marts.kpi_figure_inputs")
    built = build_site(warehouse_copy, tmp_path / "report")
    assert not built.dq_history and built.pages == 2
    text = text_of((tmp_path / "report" / "index.html").read_text(encoding="utf-8"))
    assert "Chưa có kết quả kiểm tra chất lượng" in text and "dq.runs" in text
    assert "Tiếp nhận tệp" in text and "Chỉ tiêu Đề án 06" in text and "Bảng điểm Quyết định 766" in text
    assert "Chưa có bảng marts.kpi_figure_inputs" in text


def test_an_empty_or_missing_warehouse_gives_a_clear_page(tmp_path):
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    build_site(tmp_path / "empty.duckdb", tmp_path / "a")
    text = text_of((tmp_path / "a" / "index.html").read_text(encoding="utf-8"))
    assert "Thiếu bảng landing.load_ledger" in text and "Thiếu bảng marts.kpi_article_figures" in text
    build_site(tmp_path / "nowhere.duckdb", tmp_path / "b")
    assert "Chưa có kho dữ liệu" in (tmp_path / "b" / "index.html").read_text(encoding="utf-8")


def test_personal_data_stops_the_build_and_nothing_is_published(report_warehouse, warehouse_copy, tmp_path):
    """A sample carrying a citizen ID in clear (a quality stage that forgot to mask) fails the build loudly,
    and the published site is left as it was."""
    out = tmp_path / "report"
    build_site(warehouse_copy, out)
    before = (out / "index.html").read_bytes()
    with duckdb.connect(str(warehouse_copy)) as con:
        citizen_id = con.execute("select citizen_id from landing.population_snapshot limit 1").fetchone()[0]
        latest = con.execute("select run_id from dq.runs order by run_started_at desc limit 1").fetchone()[0]
        con.execute(
            "update dq.check_results set sample = ? where run_id = ? and rule_id = 'population.citizen_id_invalid'",
            [json.dumps([{"record_key": "DC01-288-0000037", "value": citizen_id}]), latest],
        )
    with pytest.raises(PersonalDataInReport) as raised:
        build_site(warehouse_copy, out)
    assert "index.html" in str(raised.value) and citizen_id not in str(raised.value)
    assert (out / "index.html").read_bytes() == before


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("CCCD 030080653535 of a resident", 1),
        ("phone 0946873507", 1),
        ("phone 0946 873 507", 1),
        ("phone +84 946.873.507 or 0946.873.507", 1),
        ("mail hangnguyen4012@yahoo.com", 1),
        ("cell LTE:452:4:12345:123456789 and run 3bef767d-0a6e-523f-bdd4-a6e14a0e9012", 0),
        ("counts 1.234.567.890 and 98,5% and 030******535 and 2023-12-31", 0),
    ],
)
def test_the_personal_data_scan(text, kinds):
    assert len({f.kind for f in scan_text(text, Path("x.html"))}) == kinds


def test_last_day_of_the_fixture_is_the_latest_run(report_warehouse):
    with duckdb.connect(str(report_warehouse["db"]), read_only=True) as con:
        assert str(con.execute("select max(as_of_date) from dq.runs").fetchone()[0]) == LAST_DAY


def test_a_refused_file_arrived_it_is_not_reported_missing(site):
    """The population events of 30/12 were delivered and refused: the run of that day lists the refusal, and
    does not call the day's file missing; the dossiers of 31/12 never came, and the last run says so."""
    run_of_30 = site["runs"][-2][0]
    text = text_of((site["out"] / "runs" / f"{run_of_30}.html").read_text(encoding="utf-8"))
    assert "population/events/2023/2023-12-30.csv" in text and "Bị từ chối" in text
    assert "Không nhận được tệp Biến động dân cư" not in text
    assert "Không nhận được tệp Hồ sơ TTHC (hằng ngày) ngày 31/12/2023" in text_of(site["index"])
