"""The province's procedure catalogue (1,899 procedures, whole at every scale): names, levels, codes, fees and
how often each procedure is asked for."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.layout import CAP_NAMES, FEED
from kho06.simulator.dossiers.procedures import ESSENTIALS, FIELD_INDEX, FIELDS
from kho06.simulator.sampling import apportion, weighted_mask

# Catalogue figures (kpi_targets.csv): exact by construction.
N_PROCEDURES = 1899
N_FULL_ONLINE = 573
N_ON_NATIONAL_PORTAL = 618

COLUMNS = {
    "name": pl.String,
    **dict.fromkeys(["field", "cap", "days", "fee"], pl.Int64),
    "essential": pl.Boolean,
    "level": pl.Int64,
    **dict.fromkeys(["share", "biz"], pl.Float64),
    "dept": pl.Int64,
}


def _field_procedures(
    rng: np.random.Generator, fi: int, quota: int, essential_names: set[str]
) -> pl.DataFrame:
    """`quota` procedures of field `fi` drawn from its names, with handling level, legal days and fee."""
    f = FIELDS[fi]
    candidates = [n for n in f.candidates if n not in essential_names]
    if len(candidates) < quota:
        raise ValueError(f"field {f.code} has {len(candidates)} procedure names for {quota} places")
    chosen = [candidates[i] for i in np.sort(rng.permutation(len(candidates))[:quota])]
    has_fee = rng.random(quota) < f.fee_p
    cap = rng.choice(3, size=quota, p=np.array(f.cap) / sum(f.cap))
    days = rng.choice(np.array(f.days), size=quota)
    fee = np.where(has_fee, rng.choice(np.array(f.fees), size=quota), 0)
    columns = {
        "name": chosen,
        "field": [fi] * quota,
        "cap": cap,
        "days": days,
        "fee": fee,
        "essential": [False] * quota,
        "level": [0] * quota,
        "share": [0.0] * quota,
        "biz": [f.biz] * quota,
        "dept": [f.dept] * quota,
    }
    return pl.DataFrame(columns, schema=COLUMNS)


def _essentials() -> pl.DataFrame:
    rows = [
        (
            e.name,
            FIELD_INDEX[e.field],
            e.cap,
            e.days,
            e.fee,
            True,
            e.level,
            e.share,
            e.biz,
            e.dept if e.dept is not None else FIELDS[FIELD_INDEX[e.field]].dept,
        )
        for e in ESSENTIALS
    ]
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


def build_catalogue(cfg: SimConfig) -> pl.DataFrame:
    """The procedure catalogue with its published columns and the internal columns the dossiers draw on."""
    rng = cfg.rng(FEED, "clean-catalogue")
    essential_names = {e.name for e in ESSENTIALS}
    quotas = apportion(N_PROCEDURES - len(ESSENTIALS), np.array([f.n for f in FIELDS], dtype=float))
    parts = [_field_procedures(rng, fi, int(q), essential_names) for fi, q in enumerate(quotas)]
    cat = pl.concat([*parts, _essentials()])
    cat = _assign_levels(rng, cat)
    cat = _assign_codes(rng, cat)
    return _assign_popularity(rng, cat)


def _assign_levels(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Service level (exactly N_FULL_ONLINE at level 4) and national-portal integration (exactly 618)."""
    essential = cat["essential"].to_numpy()
    online = np.array([FIELDS[f].online for f in cat["field"].to_numpy()])
    level = cat["level"].to_numpy().copy()
    free = ~essential
    n4 = N_FULL_ONLINE - int((level[essential] == 4).sum())
    pick4 = np.zeros(len(cat), dtype=bool)
    pick4[free] = weighted_mask(rng, online[free], n4)
    level[pick4] = 4
    rest = free & ~pick4
    pick3 = np.zeros(len(cat), dtype=bool)
    pick3[rest] = weighted_mask(rng, online[rest], round(0.45 * rest.sum()))
    level[pick3] = 3
    level[rest & ~pick3] = 2
    portal = essential.copy()
    portal_weight = np.select([level == 4, level == 3], [6.0, 2.0], 0.3)
    portal[free] = weighted_mask(rng, portal_weight[free], N_ON_NATIONAL_PORTAL - int(essential.sum()))
    return cat.with_columns(pl.Series("level", level), pl.Series("portal", portal))


def _assign_codes(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Codes like 1.005129 (ministry-published) or 2.002492, unique; rows sorted by field and code."""
    n = len(cat)
    series_two = rng.random(n) < 0.25
    numbers = np.where(
        series_two,
        rng.choice(np.arange(100, 3_000), n, replace=False),
        rng.choice(np.arange(1_000, 13_000), n, replace=False),
    )
    codes = (
        pl.Series(np.where(series_two, 2, 1)).cast(pl.String)
        + "."
        + pl.Series(numbers).cast(pl.String).str.zfill(6)
    )
    return cat.with_columns(codes.alias("code")).sort("field", "code")


def _assign_popularity(rng: np.random.Generator, cat: pl.DataFrame) -> pl.DataFrame:
    """Probability of each procedure for one dossier: essentials by share, the rest Zipf within their field."""
    field_idx = cat["field"].to_numpy()
    essential = cat["essential"].to_numpy()
    vol = np.array([f.vol for f in FIELDS])
    rank = np.zeros(len(cat))
    for fi in range(len(FIELDS)):
        members = np.flatnonzero((field_idx == fi) & ~essential)
        rank[members] = rng.permutation(len(members)) + 1
    zipf = np.where(essential, 0.0, np.maximum(rank, 1) ** -1.1)
    field_total = np.bincount(field_idx, weights=zipf, minlength=len(FIELDS))
    other = np.where(
        essential, 0.0, zipf / np.maximum(field_total[field_idx], 1e-12) * vol[field_idx] / vol.sum()
    )
    essential_share = cat["share"].to_numpy()
    p = other * (1 - essential_share.sum()) + essential_share
    return cat.with_columns(pl.Series("p", p / p.sum()))


def catalogue_table(cat: pl.DataFrame) -> pl.DataFrame:
    """The published catalogue columns."""
    return cat.select(
        pl.col("code").alias("MaTTHC"),
        pl.col("name").alias("TenTTHC"),
        pl.col("field").replace_strict(list(range(len(FIELDS))), [f.code for f in FIELDS]).alias("MaLinhVuc"),
        pl.col("field")
        .replace_strict(list(range(len(FIELDS))), [f.name for f in FIELDS])
        .alias("TenLinhVuc"),
        pl.col("cap").replace_strict([0, 1, 2], list(CAP_NAMES)).alias("CapThucHien"),
        pl.col("level").alias("MucDo"),
        pl.col("portal").cast(pl.Int64).alias("CongDVCQG"),
        pl.col("essential").cast(pl.Int64).alias("ThietYeuDA06"),
        pl.col("days").alias("ThoiHanGiaiQuyet"),
        (pl.col("fee") > 0).cast(pl.Int64).alias("CoPhiLePhi"),
        pl.col("fee").alias("PhiLePhi"),
    )


def subject(name: str) -> str:
    """The gist of a procedure name for a dossier's summary: cut before its first qualifier."""
    cut = len(name)
    for marker in (" đối với ", " cho ", " do ", " tại ", " có yếu tố", " của ", " từ ", ", ", " (", " khi "):
        pos = name.find(marker, 8)
        if pos > 0:
            cut = min(cut, pos)
    return "Đề nghị " + name[:1].lower() + name[1:cut]
