"""The feed's one file, the workbook as provinces publish it, and the feed's steps in order."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from kho06.reference.admin_units import Geography
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.ocop.defects import inject_defects
from kho06.simulator.ocop.layout import FEED, FILE_NAME, HEADER_ROW, HEADERS, SHEET_NAME, TITLE, WIDTHS
from kho06.simulator.ocop.products import clean_products
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    progress.start(3)
    clean = clean_products(cfg, geo)
    progress.advance()
    listed = inject_defects(cfg, geo, clean, truth)
    progress.advance()
    path = cfg.feed_dir(FEED) / FILE_NAME
    write_workbook(path, listed, cfg.end)
    progress.advance()
    return FeedResult(FEED, files=1, records=listed.height, bytes=path.stat().st_size)


def write_workbook(path: Path, listed: pl.DataFrame, end: date) -> None:
    """The list as provinces publish it: title rows, a bold frozen header, real date cells.

    Byte-identical across runs: the workbook is assembled in memory (xlsxwriter then stamps every zip member
    1980-01-01) and its creation time is fixed to 17:00 on `end`.
    """
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties(
        {
            "title": "Danh sách sản phẩm OCOP tỉnh Hải Dương",
            "subject": f"Sản phẩm OCOP tính đến ngày {end:%d/%m/%Y}",
            "author": "UBND tỉnh Hải Dương",
            "created": datetime(end.year, end.month, end.day, 17, 0, 0),
        }
    )
    sheet = workbook.add_worksheet(SHEET_NAME)
    title = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    subtitle = workbook.add_format({"italic": True, "align": "center"})
    header = workbook.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#DDEBF7",
        }
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    last_col = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last_col, TITLE, title)
    sheet.merge_range(1, 0, 1, last_col, f"(Tính đến ngày {end:%d/%m/%Y})", subtitle)
    sheet.write_row(HEADER_ROW - 1, 0, list(HEADERS.values()), header)
    for col, (column, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        is_date = listed.schema[column] == pl.Date
        sheet.set_column(col, col, width, date_format if is_date else None)
        sheet.write_column(HEADER_ROW, col, listed[column].to_list(), date_format if is_date else None)
    sheet.freeze_panes(HEADER_ROW, 0)
    sheet.autofilter(HEADER_ROW - 1, 0, HEADER_ROW - 1 + listed.height, last_col)
    workbook.close()
