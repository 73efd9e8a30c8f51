"""How each OCOP defect class changes the list: six alter rows in place (returning the rows and a detail per row),
two make rows of their own (a second listing, an expired product)."""

from __future__ import annotations

import numpy as np
import polars as pl
from vietnamadminunits.database import query

from kho06.simulator.config import SimConfig
from kho06.simulator.geography import Geography
from kho06.simulator.ocop.kinds import choose_kinds
from kho06.simulator.ocop.layout import FEED, HEADERS
from kho06.simulator.ocop.producers import name_products, place, producers, short_district
from kho06.simulator.ocop.products import published, score
from kho06.simulator.ocop.rounds import decision_rounds, expiry
from kho06.simulator.ocop.targets import GROUP_TARGETS, GROUPS, SCORE_BANDS, VALIDITY_MONTHS
from kho06.simulator.ocop.vocabularies import GROUP_ALIASES, NEIGHBOUR_PROVINCES

MANDATORY_FIELDS = ("producer", "decision_no", "stars")


def replace_at(df: pl.DataFrame, rows: np.ndarray, column: str, values) -> pl.DataFrame:
    """`df` with `column` set to `values` at row positions `rows`."""
    if len(rows) == 0:
        return df
    series = df[column].clone()
    series.scatter(rows, pl.Series(values, dtype=series.dtype))
    return df.with_columns(series)


def score_star_mismatch(rng, df, rows):
    """A score outside the band of the stars: 3★ with 70–89 points, 4★ with 50–69."""
    part = df[rows].select(
        "stars",
        pl.when(pl.col("stars") == 3)
        .then(pl.Series(rng.integers(SCORE_BANDS[4][0], SCORE_BANDS[4][1] + 1, len(rows))))
        .otherwise(pl.Series(rng.integers(SCORE_BANDS[3][0], SCORE_BANDS[3][1] + 1, len(rows))))
        .alias("score"),
    )
    detail = part.select(pl.format("Hạng sao {}, Điểm {}", "stars", "score"))[:, 0]
    return replace_at(df, rows, "score", part["score"]), detail


def neighbour_communes() -> pl.DataFrame:
    """Communes of the neighbouring provinces (legacy units): wardCode, ward, district, province."""
    codes = ", ".join(f"'{c}'" for c in NEIGHBOUR_PROVINCES)
    return pl.DataFrame(
        query(
            f"select wardCode, ward, district, province from admin_units_legacy where provinceCode in ({codes})"
        )
    ).sort("wardCode")


def commune_not_in_province(rng, df, rows):
    """Mã xã and Địa chỉ of a commune of a neighbouring province (Huyện keeps the listed district)."""
    communes = neighbour_communes()
    other = communes[rng.choice(communes.height, len(rows), replace=False)]
    address = other.select(pl.concat_str("ward", "district", "province", separator=", "))[:, 0]
    detail = other.select(pl.format("Mã xã {} ({}, {})", "wardCode", "ward", "province"))[:, 0]
    df = replace_at(df, rows, "commune_code", other["wardCode"])
    return replace_at(df, rows, "address", address), detail


def group_aliases() -> pl.DataFrame:
    """group, alias: every non-canonical group label and the group it stands for."""
    return pl.DataFrame(
        [(g, i, a) for g, aliases in GROUP_ALIASES.items() for i, a in enumerate(aliases)],
        schema=["group", "_i", "alias"],
        orient="row",
    )


def invalid_group(rng, df, rows):
    """Nhóm sản phẩm written with a label outside the six groups (one that still means the right group)."""
    part = (
        df[rows]
        .select("group", pl.Series("_i", rng.integers(0, 2, len(rows))))
        .join(group_aliases(), on=["group", "_i"], how="left", maintain_order="left")
    )
    detail = part.select(pl.format("'{}' thay cho '{}'", "alias", "group"))[:, 0]
    return replace_at(df, rows, "group", part["alias"]), detail


def missing_mandatory_field(rng, df, rows):
    """One of Chủ thể, Số quyết định, Hạng sao left empty."""
    fields = np.array(MANDATORY_FIELDS)[rng.integers(0, len(MANDATORY_FIELDS), len(rows))]
    for field in MANDATORY_FIELDS:
        hit = rows[fields == field]
        df = replace_at(df, hit, field, pl.Series([None] * len(hit), dtype=df.schema[field]))
    return df, pl.Series(fields).replace_strict({f: HEADERS[f] for f in MANDATORY_FIELDS}) + " trống"


def non_nfc_text(rng, df, rows):
    """Tên sản phẩm or Chủ thể stored decomposed (NFD)."""
    fields = np.array(["name", "producer"])[rng.integers(0, 2, len(rows))]
    for field in ("name", "producer"):
        hit = rows[fields == field]
        df = replace_at(df, hit, field, df[field][hit].str.normalize("NFD"))
    return df, pl.Series(np.where(fields == "name", HEADERS["name"], HEADERS["producer"])) + " ở dạng NFD"


def district_variant(district: pl.Expr, kind: pl.Expr) -> pl.Expr:
    """A non-canonical spelling of a canonical district name: abbreviated, lower case, bare or upper case."""
    abbreviated = (
        district.str.replace(r"^Huyện ", "H. ")
        .str.replace(r"^Thị xã ", "TX ")
        .str.replace(r"^Thành phố ", "TP ")
    )
    return (
        pl.when(kind == 0)
        .then(abbreviated)
        .when(kind == 1)
        .then(district.str.to_lowercase())
        .when(kind == 2)
        .then(short_district(district))
        .otherwise(district.str.to_uppercase())
    )


def inconsistent_district_spelling(rng, df, rows):
    """Huyện (and the district at the end of Địa chỉ) spelt off the canonical name."""
    part = (
        df[rows]
        .select("district", "address", pl.Series("_kind", rng.integers(0, 4, len(rows))))
        .with_columns(district_variant(pl.col("district"), pl.col("_kind")).alias("variant"))
        .with_columns(
            (
                pl.col("address").str.head(
                    pl.col("address").str.len_chars() - pl.col("district").str.len_chars()
                )
                + pl.col("variant")
            ).alias("address")
        )
    )
    detail = part.select(pl.format("'{}' thay cho '{}'", "variant", "district"))[:, 0]
    df = replace_at(df, rows, "district", part["variant"])
    return replace_at(df, rows, "address", part["address"]), detail


def name_variant(name: pl.Expr, kind: pl.Expr) -> pl.Expr:
    """The same name typed differently: upper case, lower case, a doubled space or a trailing space."""
    return (
        pl.when(kind == 0)
        .then(name.str.to_uppercase())
        .when(kind == 1)
        .then(name.str.to_lowercase())
        .when(kind == 2)
        .then(name.str.replace(" ", "  ", literal=True))
        .otherwise(name + " ")
    )


def duplicate_listings(rng, clean, rows):
    """A second listing of a product: every field the same but its name typed differently (key assigned later)."""
    return (
        clean[rows]
        .with_columns(pl.Series("_kind", rng.integers(0, 4, len(rows))))
        .with_columns(
            name_variant(pl.col("name"), pl.col("_kind")).alias("name"),
            pl.lit("duplicate_product").alias("_class"),
            pl.format("trùng với {}", "key").alias("_detail"),
        )
        .drop("_kind")
    )


def expired(cfg: SimConfig, geo: Geography, clean: pl.DataFrame, count: int) -> pl.DataFrame:
    """Products recognised once and never re-recognised, whose certificate ran out before `cfg.end`.

    They come from first-recognition rounds more than 36 months before `cfg.end`; when no round is that old
    (a run ending before 2022-12) the class cannot occur and nothing is added.
    """
    rounds = decision_rounds(cfg).filter(pl.col("cycle") == 0)
    old = rounds.filter(pl.col("date").dt.offset_by(f"{VALIDITY_MONTHS}mo") < cfg.end)
    if old.height == 0:
        return clean.clear().with_columns(pl.lit(None, pl.String).alias(c) for c in ("_class", "_detail"))

    def rng(purpose: str) -> np.random.Generator:
        return cfg.rng(FEED, f"defects-expired-{purpose}")

    draw = rng("attributes")
    picked = old[draw.integers(0, old.height, count)]
    group_p = np.array([GROUP_TARGETS[g] for g in GROUPS], dtype=float)
    products = pl.DataFrame(
        {
            "group": np.array(GROUPS)[draw.choice(len(GROUPS), count, p=group_p / group_p.sum())],
            "district_code": pl.Series([None] * count, dtype=pl.String),
            "stars": np.where(draw.random(count) < 2 / 3, 3, 4),
            "potential": np.zeros(count, dtype=bool),
            "year": picked["year"],
            "stem": pl.Series([None] * count, dtype=pl.String),
            "commune_name": pl.Series([None] * count, dtype=pl.String),
            "anchor": np.zeros(count, dtype=bool),
        }
    ).with_row_index("idx")
    products = choose_kinds(rng("kinds"), products, rng("districts"), cover_all=False)
    products = place(rng("communes"), products, geo)
    products = producers(rng("producers"), products)
    products = name_products(rng("names"), products, taken=clean["name"])
    products = score(rng("scores"), products).with_columns(
        picked["date"].alias("decision_date"),
        picked["decision_no"],
        pl.lit("").alias("key"),
        pl.lit(None, pl.Int64).alias("stt"),
    )
    return (
        products.with_columns(expiry("decision_date"))
        .pipe(published)
        .with_columns(
            pl.lit("expired_still_listed").alias("_class"),
            pl.format("hết hạn {}", pl.col("expiry").dt.strftime("%d/%m/%Y")).alias("_detail"),
        )
    )
