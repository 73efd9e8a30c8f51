"""`kho06 report`: where the latest report is, or `--serve` it on localhost; `--build` renders it first."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

console = Console(stderr=True)


def site_dir(warehouse: Path | None = None) -> Path:
    from kho06 import settings as settings_mod

    return (warehouse.resolve() if warehouse else settings_mod.get_settings().warehouse_dir) / "report"


def report_line(warehouse_dir: Path) -> str:
    """One line for the end of `kho06 run`: where the report is, and whether it has quality results yet."""
    site = warehouse_dir / "report"
    index = site / "index.html"
    if not index.exists():
        return "[red]report not built[/red] (see the errors above)"
    try:
        manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if not manifest.get("latest_run"):
        return (
            f"report: {index} — no quality results yet (no dq tables in the warehouse): "
            "the page shows the deliveries and the figures only"
        )
    return f"report: {index}"


def report(
    serve: bool = typer.Option(False, "--serve", help="Serve the site on localhost until Ctrl-C."),
    port: int = typer.Option(8606, "--port", min=1, max=65535, help="Port for --serve."),
    build: bool = typer.Option(False, "--build", help="Render the site from the warehouse first."),
    full: bool = typer.Option(False, "--full", help="With --build: render every run's page again."),
    warehouse: Path = typer.Option(
        None, "--warehouse", help="Warehouse folder (default: $KHO06_WAREHOUSE_DIR or warehouse/)."
    ),
) -> None:
    """Print the path of the latest data-quality report (warehouse/report/index.html)."""
    site = site_dir(warehouse)
    if build:
        from kho06.report import build_site
        from kho06.report.guard import PersonalDataInReport
        from kho06.report.inputs import WarehouseBusy
        from kho06.settings import DB_FILENAME

        db = site.parent / DB_FILENAME
        try:
            built = build_site(db, site, full=full)
        except (PersonalDataInReport, WarehouseBusy) as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(3) from exc
        console.print(
            f"rendered {built.rendered} of {built.pages} pages, {built.bytes / 1e6:.2f} MB, in {built.seconds:.2f} s"
        )
    index = site / "index.html"
    if not index.exists():
        console.print(
            f"[red]error:[/red] no report at {index}: run `kho06 run`, or `kho06 report --build` over a warehouse"
        )
        raise typer.Exit(2)
    typer.echo(str(index))
    if serve:
        _serve(site, port)


def _serve(site: Path, port: int) -> None:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        console.print(f"serving {site} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            console.print("stopped")


def bench_report(
    db: Path = typer.Option(..., "--db", help="A warehouse with dq results (e.g. after `kho06 run`)."),
    repeat: int = typer.Option(3, "--repeat", min=1),
    work: Path = typer.Option(Path("/tmp/kho06-bench"), "--work", help="Scratch folder."),
) -> None:
    """The report's site from a warehouse: a first build (every page), a full rebuild, and the nightly build
    (the pages already published are kept: the latest page, index.html and history.html)."""
    import shutil

    import duckdb
    from rich.table import Table

    from kho06.bench.measure import measure, median

    out = work / "report"
    cold, full, nightly = [], [], []
    for i in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        with console.status(f"run {i + 1}/{repeat}: first build ..."):
            cold.append(measure("report_build", str(db), str(out)))
        with console.status(f"run {i + 1}/{repeat}: full rebuild ..."):
            full.append(measure("report_build", str(db), str(out), "full"))
        with console.status(f"run {i + 1}/{repeat}: nightly build ..."):
            nightly.append(measure("report_build", str(db), str(out)))
    table = Table(title=f"Report site from {db}")
    for col in ("build", "median s", "runs (s)", "peak MiB (max)", "pages rendered"):
        table.add_column(col, justify="left" if col == "build" else "right")
    for name, runs in (("first build, every page", cold), ("full rebuild", full), ("nightly", nightly)):
        table.add_row(
            name,
            f"{median([m.seconds for m in runs]):.2f}",
            " ".join(f"{m.seconds:.1f}" for m in runs),
            f"{max(m.peak_mib for m in runs):,.0f}",
            str(runs[-1].detail["rendered"]),
        )
    console.print(table)
    d = cold[-1].detail
    pages = sorted(out.rglob("*.html"), key=lambda p: p.stat().st_size)
    console.print(
        f"site: {d['pages']} pages, {d['bytes'] / 1e6:.2f} MB; largest page {pages[-1].stat().st_size / 1e3:,.0f} kB"
    )
    with duckdb.connect(str(db), read_only=True) as con:
        runs, failed = con.execute(
            "select count(distinct run_id), count(*) from dq.failed_records"
        ).fetchone()
    console.print(f"dq.failed_records: {failed:,} rows over {runs} runs")
