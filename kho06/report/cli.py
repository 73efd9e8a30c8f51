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

        db = site.parent / "kho06.duckdb"
        try:
            built = build_site(db, site, full=full)
        except PersonalDataInReport as exc:
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
