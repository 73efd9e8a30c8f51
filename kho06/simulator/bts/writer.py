"""The feed's two files, and the feed's steps in order: sites, stations, cells, register, defects, writing."""

from __future__ import annotations

import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.bts.cells import build_cells
from kho06.simulator.bts.defects import cell_defects, register_defects
from kho06.simulator.bts.layout import CELL_COLUMNS, CELLS_FILE, FEED, SITES_FILE, as_of_unix
from kho06.simulator.bts.register import build_register
from kho06.simulator.bts.sites import build_sites
from kho06.simulator.bts.stations import build_stations
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    progress.start(5)
    as_of = as_of_unix(cfg.end)
    sites = build_sites(cfg, geo)
    progress.advance()
    stations = build_stations(cfg, sites, as_of)
    cells = build_cells(cfg, stations, sites, as_of)
    register = build_register(cfg, sites, stations, as_of)
    progress.advance()
    cells = cell_defects(cfg, cells, truth, as_of)
    progress.advance()
    register = register_defects(cfg, register, truth, as_of)
    progress.advance()
    written = [_write_cells(cfg, cells), _write_register(cfg, register)]
    progress.advance()
    return FeedResult(
        FEED, files=2, records=len(cells) + len(register), bytes=sum(p.stat().st_size for p in written)
    )


def _decimal6(col: str) -> pl.Expr:
    """Micro-degrees as a decimal with exactly six places."""
    v = pl.col(col)
    sign = pl.when(v < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(
        [
            sign,
            (v.abs() // 1_000_000).cast(pl.String),
            pl.lit("."),
            (v.abs() % 1_000_000).cast(pl.String).str.zfill(6),
        ]
    )


def _write_cells(cfg: SimConfig, cells: pl.DataFrame):
    path = cfg.feed_dir(FEED) / CELLS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    (
        cells.sort(
            ["radio", "mcc", "net", "area", "cell", "updated", "samples", "lat_u", "lon_u", "range"],
            nulls_last=True,
        )
        .with_columns(_decimal6("lon_u").alias("lon"), _decimal6("lat_u").alias("lat"))
        .select(CELL_COLUMNS)
        .write_csv(path, include_header=False)
    )
    return path


def _write_register(cfg: SimConfig, register: pl.DataFrame):
    path = cfg.feed_dir(FEED) / SITES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    (
        register.sort("site_id")
        .select(
            pl.col("site_id").alias("Mã vị trí"),
            pl.col("address").alias("Địa chỉ"),
            pl.col("commune_code").alias("Mã xã"),
            _decimal6("lon_u").alias("Kinh độ"),
            _decimal6("lat_u").alias("Vĩ độ"),
            pl.col("mast").alias("Loại cột"),
            pl.col("height").alias("Chiều cao cột (m)"),
            pl.col("permit_no").alias("Số giấy phép xây dựng"),
            pl.col("permit_date").dt.strftime("%d/%m/%Y").alias("Ngày cấp phép"),
            pl.col("inspected").dt.strftime("%d/%m/%Y").alias("Ngày kiểm định"),
            pl.col("operators").alias("Doanh nghiệp dùng chung"),
        )
        .write_csv(path, include_bom=True)
    )
    return path
