"""The report in a real headless browser (Debian's chromium driven by Playwright): it loads without console
errors, asks for nothing outside its own folder, shows the score grid, the map and the heat table, trend charts
and a failing rule's masked sample, and reads on a phone as on a desktop. Screenshots go to the test's tmp dir.

`make test` installs chromium with apt-get when /usr/bin/chromium is missing (Playwright's own browser download
cannot work here, so the system browser is launched by path).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kho06.report import build_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(report_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser_site") / "report"
    build_site(report_warehouse["db"], out)
    return out


def open_page(browser, site: Path, page_file: str, **context):
    """The page with every request intercepted: only files of the site are served, anything else is refused
    and recorded, as are console errors and uncaught exceptions."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    seen = {"outside": [], "errors": [], "requests": []}
    root = site.resolve().as_uri() + "/"

    def route(r):
        url = r.request.url
        seen["requests"].append(url)
        if url.startswith(root):
            r.continue_()
        else:
            seen["outside"].append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto((site / page_file).resolve().as_uri())
    page.wait_for_load_state("load")
    return ctx, page, seen


def test_the_latest_report_on_a_desktop(browser, site, tmp_path):
    ctx, page, seen = open_page(browser, site, "index.html", viewport={"width": 1366, "height": 900})
    assert seen["outside"] == [] and seen["errors"] == []
    assert seen["requests"] == [(site / "index.html").resolve().as_uri()]
    assert page.locator("[data-testid=score-grid]").is_visible()
    assert page.locator("[data-testid=score-grid] svg.spark polyline").first.is_visible()
    assert page.locator("[data-testid=map] svg.map").first.is_visible()
    assert page.locator("[data-testid=map] svg.map circle").count() > 100
    assert page.locator("[data-testid=heat-table]").is_visible()
    rule = page.locator("#rule-population\\.citizen_id_invalid")
    rule.scroll_into_view_if_needed()
    assert rule.is_visible()
    sample = rule.locator("[data-testid=sample]")
    assert sample.is_visible()
    assert "******" in sample.inner_text()
    # the night that went wrong is the first thing on the page
    first_alert = page.locator("[role=alert]").first
    assert first_alert.is_visible() and first_alert.bounding_box()["y"] < 400
    # the map's feed tabs recolour the communes for that feed (no script: radio buttons and CSS)
    fills = "() => [...document.querySelectorAll('svg.map circle')].map(c => getComputedStyle(c).fill)"
    first = page.evaluate(fills)
    assert len(set(first)) >= 3  # a ramp, not one colour
    tabs = page.locator(".maps .tabs label")
    assert tabs.count() >= 3
    tabs.nth(2).click()
    assert page.evaluate(fills) != first
    assert page.locator(".maps .panel").nth(2).is_visible()
    assert not page.locator(".maps .panel").nth(0).is_visible()
    # the English labels can be hidden
    english = page.locator("#grid h2 .en")
    assert english.is_visible()
    page.locator("#hide-en").check()
    assert not english.is_visible()
    shot = tmp_path / "report-desktop.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"desktop screenshot: {shot}")
    ctx.close()


def test_the_latest_report_on_a_phone(browser, site, tmp_path):
    ctx, page, seen = open_page(
        browser,
        site,
        "index.html",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    assert seen["outside"] == [] and seen["errors"] == []
    # nothing wider than the screen but the tables that scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("[data-testid=score-grid]").is_visible()
    assert page.locator("[data-testid=map] svg.map").first.is_visible()
    box = page.locator("[data-testid=map] svg.map").first.bounding_box()
    assert box["width"] > 300  # the map takes the phone's width
    shot = tmp_path / "report-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"phone screenshot: {shot}")
    ctx.close()


def test_every_page_of_the_site_loads_cleanly(browser, site):
    pages = ["history.html", *(f"runs/{p.name}" for p in sorted((site / "runs").glob("*.html")))]
    assert len(pages) == 6
    for name in pages:
        ctx, page, seen = open_page(browser, site, name, viewport={"width": 1280, "height": 800})
        assert seen["outside"] == [] and seen["errors"] == [], name
        if name.startswith("runs/"):
            assert page.locator("[data-testid=score-grid], .notice.danger").first.is_visible(), name
        # the links between pages stay inside the site
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            assert href.startswith(site.resolve().as_uri()), (name, href)
            if "#" not in href:
                assert Path(href.removeprefix("file://")).exists(), (name, href)
        ctx.close()
