"""The published data-quality report: a static site rendered from the `dq` results, the load ledger and the
marts (`build_site`). Inputs in `inputs.py` (documented in docs/quality_report.md), the page model in `model.py`
(what every section shares in `page.py`, the sections on where failures are, the deliveries and the figures in
`where.py`, `deliveries.py` and `figures.py`), charts in `charts.py`, the personal-data gate in `guard.py`, templates and stylesheet beside them."""

from kho06.report.site_build import SiteBuild, build_site

__all__ = ["SiteBuild", "build_site"]
