"""Reading the population files back the way the warehouse reads them (CSV, UTF-8 with BOM, every column as
text), and `detect`: the contract's rule set (docs/contracts/population.md) written over those files."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import polars as pl

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator.population import layout

SCALE = 0.002


RATE = 0.01


BOM = b"\xef\xbb\xbf"


SNAPSHOT_HEADER = list(layout.SNAPSHOT_COLUMNS.values())


EVENT_HEADER = list(layout.EVENT_COLUMNS.values())


RID, NAME, BIRTH, SEX, PID = (
    "Mã bản ghi",
    "Họ chữ đệm và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh cá nhân",
)


ETHNIC, COMMUNE, HAMLET, RELATION = "Dân tộc", "Mã xã", "Thôn/Xóm", "Quan hệ với chủ hộ"


HEAD_PID, HOUSEHOLD, STATUS, UPDATED = "Số định danh chủ hộ", "Mã hộ", "Tình trạng", "Ngày cập nhật"


EID, TYPE, DAY, OTHER = "Mã biến động", "Loại biến động", "Ngày hiệu lực", "Mã xã chuyển đến/đi"


FIELD, OLD, NEW = "Trường đính chính", "Giá trị cũ", "Giá trị mới"


# ---------------------------------------------------------------------------------------------------------------
# reading the files back


def snapshot_files(out: Path) -> list[Path]:
    return sorted((out / "population" / "snapshot").glob("*.csv"))


def event_files(out: Path) -> list[Path]:
    return sorted((out / "population" / "events").glob("*/*.csv"))


def read_snapshot(out: Path) -> pl.DataFrame:
    frames = [
        pl.read_csv(path, infer_schema=False).with_columns(file=pl.lit(path.stem))
        for path in snapshot_files(out)
    ]
    return pl.concat(frames).with_columns(
        birth=pl.col(BIRTH).str.to_date("%d/%m/%Y", strict=False),
        updated=pl.col(UPDATED).str.to_date("%d/%m/%Y", strict=False),
    )


def read_events(out: Path) -> pl.DataFrame:
    files = [str(p) for p in event_files(out)]
    return (
        pl.scan_csv(files, infer_schema=False, include_file_paths="path")
        .with_columns(
            file_day=pl.col("path").str.extract(r"(\d{4}-\d{2}-\d{2})\.csv$").str.to_date("%Y-%m-%d"),
            day=pl.col(DAY).str.to_date("%d/%m/%Y"),
        )
        .collect()
    )


def surname(col: str) -> pl.Expr:
    return pl.col(col).str.extract(r"^(\S+)")


# ---------------------------------------------------------------------------------------------------------------
# the contract's defect rules (in the contract's order; a record is counted under the first rule it fails)


def detect(snap: pl.DataFrame, events: pl.DataFrame, as_of: date) -> dict[str, set[str]]:
    codes = set(citizen_id_prefixes())
    found: dict[str, set[str]] = {}
    left = snap

    def flag(defect_class: str, mask: pl.Expr) -> None:
        nonlocal left
        hit = left.filter(mask)
        found[defect_class] = set(hit[RID])
        left = left.filter(~pl.col(RID).is_in(hit[RID].implode()))

    flag("missing_mandatory_field", pl.col(NAME).is_null() | pl.col(BIRTH).is_null() | pl.col(PID).is_null())
    flag(
        "impossible_birth_date",
        (pl.col("birth") > as_of)
        | (pl.col("birth") < date(1900, 1, 1))
        | (pl.col("birth") > pl.col("updated")),
    )
    year = pl.col("birth").dt.year()
    digit4 = (year // 100 - 19) * 2 + (pl.col(SEX) == "Nữ").cast(pl.Int32)
    well_formed = (
        pl.col(PID).str.contains(r"^\d{12}$")
        & pl.col(PID).str.slice(0, 3).is_in(sorted(codes))
        & (pl.col(PID).str.slice(3, 1) == digit4.cast(pl.String))
        & (pl.col(PID).str.slice(4, 2) == (year % 100).cast(pl.String).str.zfill(2))
    )
    flag("invalid_id_structure", ~well_formed)
    flag("ethnic_code_out_of_list", ~pl.col(ETHNIC).is_in([f"{i:02d}" for i in range(1, 55)]))
    flag("non_nfc_name", pl.col(NAME) != pl.col(NAME).str.normalize("NFC"))
    same_person = [PID, NAME, BIRTH, SEX]
    flag("duplicate_record", pl.col(RID) != pl.col(RID).min().over(same_person))
    shared = pl.struct(NAME, BIRTH).n_unique().over(PID) > 1
    flag("shared_id", shared & (pl.col(RID) != pl.col(RID).min().over(PID)))

    living = snap.filter(pl.col(STATUS) == "Còn sống")
    headless = (
        living.group_by(HOUSEHOLD)
        .agg((pl.col(RELATION) == "Chủ hộ").sum().alias("heads"), pl.col(HEAD_PID).first().alias("head"))
        .filter(pl.col("heads") == 0)
    )
    found["household_without_head"] = set(
        living.join(headless, left_on=[HOUSEHOLD, PID], right_on=[HOUSEHOLD, "head"])[RID]
    )
    died = events.filter(pl.col(TYPE) == "Khai tử")[RID].implode()
    dead_active = living.filter(pl.col(RID).is_in(died))
    found["dead_still_active"] = set(dead_active[RID])
    ten_years = as_of.replace(year=as_of.year - 10)
    stale = living.filter(pl.col("updated") < ten_years)
    found["stale_update"] = set(stale[RID]) - set().union(*found.values())
    content = [c for c in EVENT_HEADER if c != EID]
    found["duplicate_event"] = set(events.filter(pl.col(EID) != pl.col(EID).min().over(content))[EID])
    return found


def indicators(snap: pl.DataFrame, events: pl.DataFrame, as_of: date) -> tuple[int, float]:
    """population_records_digitised and population_digitised_pct as the contract computes them."""
    flagged = detect(snap, events, as_of)
    removed = flagged["duplicate_record"] | flagged["dead_still_active"]
    records = snap.filter((pl.col(STATUS) == "Còn sống") & ~pl.col(RID).is_in(sorted(removed))).height
    died = events.filter(pl.col(TYPE) == "Khai tử")[RID].implode()
    arrived = events.filter(pl.col(TYPE).is_in(["Khai sinh", "Chuyển đến"]) & ~pl.col(RID).is_in(died))
    unrecorded = arrived.filter(~pl.col(RID).is_in(snap[RID].implode()))[RID].n_unique()
    return records, 100 * records / (records + unrecorded)


# ---------------------------------------------------------------------------------------------------------------
# determinism and defect-rate independence


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def lines(paths: list[Path]) -> dict[str, str]:
    """Data lines of the files keyed by their first field (Mã bản ghi / Mã biến động)."""
    out = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            out[line.split(",", 1)[0]] = line
    return out
