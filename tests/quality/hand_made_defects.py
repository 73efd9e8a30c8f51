"""Defects written by hand straight into simulated raw files (not by the simulator, not in its truth file), the
way a real delivery goes wrong: `write(raw)` edits the files and returns, per defect, the rule that must flag it
and the record key it must flag (the keys of dq.failed_records)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl


def _edit_csv(path: Path, edit) -> None:
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    edit(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _sites(raw: Path, expected: list[tuple[str, str]]) -> None:
    def edit(rows):  # header: Mã vị trí, ..., Chiều cao cột (m) [6], ..., Ngày cấp phép [8], ...
        # 12 more sites delivered under the id of the first (added rows: the simulator's records keep their keys)
        rows.extend([rows[1][0], *r[1:]] for r in rows[20:32])
        rows[40][6] = "950"  # a mast 950 m high
        rows[41][8] = "03/09/2031"  # a permit dated after the end of dim_date's calendar
        expected.extend(
            [
                ("bts.site_id_duplicated", rows[1][0]),
                ("bts.mast_height_out_of_range", rows[40][0]),
                ("bts.site_date_after_as_of", rows[41][0]),
            ]
        )

    _edit_csv(raw / "bts/sites/so_dang_ky_vi_tri_tram.csv", edit)


def _agencies(raw: Path, expected: list[tuple[str, str]]) -> None:
    def edit(rows):  # MaDonVi, TenDonVi, CapDonVi, ...: a commune's People's Committee delivered as 'Phường'
        row = next(r for r in rows[1:] if r[2] == "Xã")
        row[2] = "Phường"
        expected.append(("dossiers.agency_level_out_of_list", row[0]))

    _edit_csv(raw / "dossiers/catalogue/don_vi_xu_ly.csv", edit)


def _dossiers(raw: Path, expected: list[tuple[str, str]]) -> None:
    days = sorted((raw / "dossiers/daily").glob("*/*.jsonl"), key=lambda p: p.stat().st_size)
    day = days[-1]  # the day with the most dossiers
    objs = [json.loads(line) for line in day.read_text(encoding="utf-8").splitlines()]
    d = [x for o in objs for x in o["data"]]
    d[0]["NgayHenTra"] = "20000101170000"
    d[1]["Email"] = "khong-co-a-cong.gmail.com"
    d[2]["SoDienThoai"] = "0119999999"
    d[3]["DanhGiaHaiLong"] = 9
    expected.extend(
        [
            ("dossiers.due_before_received", d[0]["MaHoSo"]),
            ("dossiers.email_invalid", d[1]["MaHoSo"]),
            ("dossiers.phone_invalid", d[2]["MaHoSo"]),
            ("dossiers.rating_out_of_scale", d[3]["MaHoSo"]),
        ]
    )
    day.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n", encoding="utf-8")


def _ocop(raw: Path, expected: list[tuple[str, str]]) -> None:
    path = raw / "ocop/danh_sach_san_pham_ocop.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header_row = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), 1) if "Hạng sao" in row)
    header = next(sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    code, stars, score = (header.index(name) + 1 for name in ("Mã sản phẩm", "Hạng sao", "Điểm"))
    for r in range(header_row + 1, header_row + 7):  # six products rated 7 stars
        sheet.cell(r, stars).value = 7
        expected.append(("ocop.stars_out_of_scale", sheet.cell(r, code).value))
    sheet.cell(header_row + 8, score).value = 120  # a score above 100
    expected.append(("ocop.score_out_of_range", sheet.cell(header_row + 8, code).value))
    book.save(path)


def _population(raw: Path, expected: list[tuple[str, str]]) -> None:
    snapshot = min((raw / "population/snapshot").glob("*.csv"))

    def residents(rows):  # Mã bản ghi [0], Họ chữ đệm và tên [1], Ngày sinh [2], ...
        rows[2][2] = "01/01/2031"  # born after the as-of date
        rows[3][2] = "01/01/1890"
        expected.extend(
            [
                ("population.birth_date_after_as_of", rows[2][0]),
                ("population.birth_date_before_1900", rows[3][0]),
            ]
        )

    _edit_csv(snapshot, residents)


def write(raw: Path) -> list[tuple[str, str]]:
    """Write the defects into the simulated raw folder; returns (rule id, record key) for each."""
    expected: list[tuple[str, str]] = []
    for edit in (_sites, _agencies, _dossiers, _ocop, _population):
        edit(raw, expected)
    return expected
