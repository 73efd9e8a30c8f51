"""Build the static site: `index.html` (the latest run), `runs/<run_id>.html` (one page per run), `history.html`.

A run's page is written once its run is over and kept as it was published (the morning's view of that night,
figures included); it is written again only when the run changes (it finishes, its status changes) or the
templates change. Each build therefore renders the latest run, the history and the runs new since the last build
— a few pages, whatever the length of the history. Pages are rendered into a staging folder, scanned for
personal data (`guard`), and only then moved into the site: a page that fails the scan is never published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

import jinja2

from kho06.report import charts, guard
from kho06.report.inputs import Inputs
from kho06.report.model import CRITERIA, Page, build_page, label

MANIFEST = "site.json"


@dataclass(frozen=True)
class SiteBuild:
    index: Path
    pages: int  # pages in the site
    rendered: int  # pages written by this build
    bytes: int  # size of the site
    seconds: float
    dq_history: bool  # whether the warehouse had dq results
    latest_run: str | None


def _fingerprint() -> str:
    """Changes whenever a template, the stylesheet or the report's code changes."""
    h = hashlib.sha256()
    package = resources.files("kho06.report")
    for name in sorted(p.name for p in package.iterdir() if p.name.endswith((".py", ".csv", ".css"))):
        h.update(package.joinpath(name).read_bytes())
    for p in sorted(package.joinpath("templates").iterdir(), key=lambda p: p.name):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kho06.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=fmt_number, pct=fmt_percent, day=fmt_day, when=fmt_when, signed=fmt_signed)
    env.globals.update(label=label, criteria=CRITERIA, charts_bar=lambda v, top: charts.bar(v, top))
    return env


def fmt_number(value, digits: int = 0) -> str:
    """Vietnamese digits: 1.234.567 and 98,5."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt_percent(value, digits: int = 1, scale: float = 100.0) -> str:
    return "–" if value is None else fmt_number(value * scale, digits) + "%"


def fmt_signed(value, digits: int = 1, scale: float = 1.0) -> str:
    if value is None:
        return ""
    v = value * scale
    if round(v, digits) == 0:
        return "±0"
    return ("+" if v > 0 else "−") + fmt_number(abs(v), digits)


def fmt_day(value) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")


def fmt_when(value) -> str:
    return "–" if value is None else value.strftime("%H:%M %d/%m/%Y")


def _stylesheet() -> str:
    return resources.files("kho06.report").joinpath("style.css").read_text(encoding="utf-8")


def render_page(env: jinja2.Environment, page: Page, prefix: str, css: str) -> str:
    return env.get_template("run.html").render(page=page, s=page.sections, prefix=prefix, css=css)


def build_site(db: Path, out: Path, full: bool = False, now: datetime | None = None) -> SiteBuild:
    """Render the site of the warehouse `db` into `out`; `full` renders every run's page again."""
    t0 = time.perf_counter()
    now = now or datetime.now()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "runs").mkdir(parents=True)
    env = _environment()
    css = _stylesheet()
    fingerprint = _fingerprint()
    manifest_path = out / MANIFEST
    try:
        before = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    if full or before.get("fingerprint") != fingerprint:
        before = {}
    kept = before.get("runs", {})
    published: dict[str, dict] = {}
    rendered = 0
    try:
        if not Path(db).exists():
            page = Page(run=None, runs=[], is_latest=True, generated_at=now)
            html = env.get_template("no_warehouse.html").render(db=str(db), css=css, page=page, prefix="")
            (staging / "index.html").write_text(html, encoding="utf-8")
            rendered, latest_id, has_dq, runs = 1, None, False, []
        else:
            with Inputs(db) as inputs:
                has_dq = inputs.has("dq.runs")
                runs = inputs.runs() if has_dq else []
                latest_id = runs[-1]["run_id"] if runs else None
                for run in runs:
                    state = {"status": run["status"], "finished": str(run["run_finished_at"])}
                    is_latest = run["run_id"] == latest_id
                    page_file = out / "runs" / f"{run['run_id']}.html"
                    if not is_latest and kept.get(run["run_id"]) == state and page_file.exists():
                        published[run["run_id"]] = state
                        continue
                    page = build_page(inputs, run["run_id"], is_latest=is_latest, now=now)
                    html = render_page(env, page, "../", css)
                    (staging / "runs" / f"{run['run_id']}.html").write_text(html, encoding="utf-8")
                    if is_latest:
                        (staging / "index.html").write_text(render_page(env, page, "", css), encoding="utf-8")
                        rendered += 1
                    rendered += 1
                    published[run["run_id"]] = state
                if not runs:
                    page = build_page(inputs, None, is_latest=True, now=now)
                    (staging / "index.html").write_text(render_page(env, page, "", css), encoding="utf-8")
                    rendered += 1
                history = env.get_template("history.html").render(
                    runs=list(reversed(runs)),
                    css=css,
                    prefix="",
                    generated_at=now,
                    has_dq=has_dq,
                    page=Page(run=None, runs=runs, is_latest=False, generated_at=now),
                )
                (staging / "history.html").write_text(history, encoding="utf-8")
                rendered += 1
        guard.assert_clean(staging)  # raises before anything is published
        manifest = {
            "fingerprint": fingerprint,
            "generated_at": now.isoformat(timespec="seconds"),
            "latest_run": latest_id,
            "runs": published,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _publish(staging, out, keep={f"{r}.html" for r in published})
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [p for p in out.rglob("*") if p.is_file()]
    return SiteBuild(
        index=out / "index.html",
        pages=sum(1 for p in files if p.suffix == ".html"),
        rendered=rendered,
        bytes=sum(p.stat().st_size for p in files),
        seconds=time.perf_counter() - t0,
        dq_history=bool(has_dq and runs),
        latest_run=latest_id,
    )


def _publish(staging: Path, out: Path, keep: set[str]) -> None:
    """Move the staged pages into the site; drop run pages of runs no longer in the history."""
    (out / "runs").mkdir(exist_ok=True)
    for old in (out / "runs").glob("*.html"):
        if old.name not in keep:
            old.unlink()
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            target = out / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    shutil.rmtree(staging, ignore_errors=True)
