"""The marts' documentation is where analysts look: every mart and every column of the warehouse carries its
YAML description as a DuckDB comment (dbt persist_docs, carried into the published file analysts open), and `make docs` writes dbt's documentation site as one
file that a browser shows without asking the network for anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from small_build import copy_of

ROOT = Path(__file__).resolve().parents[2]
MARTS = ROOT / "dbt_project" / "models" / "marts"
CHROMIUM = Path("/usr/bin/chromium")


def described_columns() -> dict[tuple[str, str], str]:
    """(model, column) → description, for every column of every mart's YAML."""
    out = {}
    for path in MARTS.rglob("_*__marts.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            for column in model.get("columns", []):
                out[(model["name"], column["name"])] = " ".join(column.get("description", "").split())
    return out


@pytest.mark.parametrize("db", ["warehouse", "published"])
def test_every_mart_column_carries_its_description_in_the_warehouse(db, request):
    warehouse = request.getfixturevalue(db)  # the build, and the file analysts open
    described = described_columns()
    comments = {
        (t, c): " ".join((comment or "").split())
        for t, c, comment in warehouse.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
        ).fetchall()
    }
    built = {t for t, _ in comments}
    expected = {k: v for k, v in described.items() if k[0] in built}
    assert len(expected) > 400 and {t for t, _ in expected} == built
    assert {k: comments.get(k) for k in expected} == expected
    relations = warehouse.execute(
        """select table_name, comment from duckdb_tables() where schema_name = 'marts'
           union all select view_name, comment from duckdb_views() where schema_name = 'marts'"""
    ).fetchall()
    assert {t for t, c in relations if not c} == set()
    assert {"fct_residents_counted", "fct_ocop_products_counted"} <= {t for t, _ in relations}


@pytest.fixture(scope="module")
def docs_site(built_warehouse, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_docs")
    wh = copy_of(built_warehouse[1], tmp)  # dbt opens the file to write: not the shared read-only one
    done = subprocess.run(
        ["make", "-s", "docs-site", f"WAREHOUSE_DB={wh['db']}", f"DOCS_DIR={tmp / 'docs'}"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "static_index.html" in done.stdout
    return tmp / "docs" / "static_index.html"


def test_make_docs_needs_a_built_warehouse(tmp_path):
    done = subprocess.run(
        [
            "make",
            "-s",
            "docs-site",
            f"WAREHOUSE_DB={tmp_path / 'none.duckdb'}",
            f"DOCS_DIR={tmp_path / 'docs'}",
        ],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "build it first (make run)" in done.stdout
    assert not (tmp_path / "none.duckdb").exists()


def test_make_docs_writes_one_file_a_browser_shows_offline(docs_site):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "chromium is missing: `make test` installs it (apt-get install chromium)"
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        page = browser.new_page()

        def route(r):  # the file itself (and dbt's unresolved favicon path beside it) or nothing
            if r.request.url.startswith((docs_site.parent.as_uri(), "data:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(docs_site.as_uri() + "#!/model/model.kho06.scorecard_766_district")
        page.wait_for_selector("text=Grain: one row per period of reception", timeout=60_000)
        body = page.inner_text("body")
        browser.close()
    assert "dossiers_judged_on_time" in body and "Numerator of on_time_rate" in body
    assert outside == []
