"""What each product is: the anchors (the products the province is known for) and the generated products' group,
stars and first-recognition year, their district and the kind of product made there."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.ocop.targets import (
    ANCHOR_YEAR,
    GROUP_TARGETS,
    GROUPS,
    POTENTIAL_TARGET,
    STAR_TARGETS,
    YEAR_TARGETS,
)
from kho06.simulator.ocop.vocabularies import ANCHORS, DISTRICT_WEIGHTS, GENERIC_KINDS, LOCAL_KINDS
from kho06.simulator.sampling import weighted_keys


def anchor_attributes() -> pl.DataFrame:
    return ANCHORS.select(
        "group",
        "district_code",
        "stars",
        "potential",
        pl.lit(ANCHOR_YEAR, pl.Int64).alias("year"),
        pl.col("name").alias("stem"),
        "commune_name",
        pl.lit(True).alias("anchor"),
    )


def generated_attributes(rng: np.random.Generator) -> pl.DataFrame:
    """Group, stars and first-recognition year of the non-anchor products: exact counts, shuffled."""
    anchors = ANCHORS.with_columns(pl.col("potential").cast(pl.Int64))
    groups = np.repeat(GROUPS, [GROUP_TARGETS[g] - (anchors["group"] == g).sum() for g in GROUPS])
    n = len(groups)
    four = STAR_TARGETS[4] + POTENTIAL_TARGET - anchors["stars"].eq(4).sum()
    stars = np.repeat([3, 4], [STAR_TARGETS[3], four])
    potential = np.zeros(n, dtype=bool)
    potential[n - (POTENTIAL_TARGET - anchors["potential"].sum()) :] = True  # among the 4★, none when 0
    years = np.repeat(
        list(YEAR_TARGETS), [c - (ANCHOR_YEAR == y) * anchors.height for y, c in YEAR_TARGETS.items()]
    )
    if not (len(stars) == len(years) == n):
        raise AssertionError("OCOP targets do not add up")
    star_order = rng.permutation(n)
    return pl.DataFrame(
        {
            "group": rng.permutation(groups),
            "district_code": pl.Series([None] * n, dtype=pl.String),
            "stars": stars[star_order],
            "potential": potential[star_order],
            "year": rng.permutation(years).astype(np.int64),
            "stem": pl.Series([None] * n, dtype=pl.String),
            "commune_name": pl.Series([None] * n, dtype=pl.String),
            "anchor": np.zeros(n, dtype=bool),
        },
        schema_overrides={"stars": pl.Int64},
    )


def _kinds() -> pl.DataFrame:
    """Every product kind: local specialties and kinds made anywhere."""
    generic = [(g, kind, None, None, 1) for g, kind in GENERIC_KINDS]
    return pl.DataFrame(
        LOCAL_KINDS + generic,
        schema=["group", "kind", "kind_district", "kind_commune", "weight"],
        orient="row",
    ).with_columns(pl.col("kind_district").is_not_null().alias("local"))


def choose_kinds(
    rng: np.random.Generator, products: pl.DataFrame, district_rng: np.random.Generator, cover_all: bool
) -> pl.DataFrame:
    """A district for each product without one (by weight; with `cover_all` every district at least once),
    then a kind of its group made there."""
    codes = np.array(list(DISTRICT_WEIGHTS))
    missing = products["district_code"].is_null().to_numpy()
    k = int(missing.sum())
    p = np.array(list(DISTRICT_WEIGHTS.values()))
    if cover_all:
        drawn = np.concatenate(
            [np.arange(len(codes)), district_rng.choice(len(codes), k - len(codes), p=p / p.sum())]
        )
        drawn = district_rng.permutation(drawn)
    else:
        drawn = district_rng.choice(len(codes), k, p=p / p.sum())
    filled = products["district_code"].to_numpy().copy()
    filled[missing] = codes[drawn]
    products = products.with_columns(pl.Series("district_code", filled, dtype=pl.String))
    chosen = weighted_pick(
        rng,
        products.filter(~pl.col("anchor"))
        .join(_kinds(), on="group", how="inner")
        .filter(pl.col("kind_district").is_null() | (pl.col("kind_district") == pl.col("district_code"))),
    )
    return (
        products.join(
            chosen.select("idx", "kind", "kind_commune", "local"), on="idx", how="left", maintain_order="left"
        )
        .with_columns(
            pl.coalesce("stem", "kind").alias("kind"),
            pl.coalesce("commune_name", "kind_commune").alias("commune_name"),
            pl.col("local").fill_null(True),
        )
        .drop("stem", "kind_commune")
        .sort("idx")
    )


def weighted_pick(rng: np.random.Generator, candidates: pl.DataFrame) -> pl.DataFrame:
    """One candidate row per `idx`, with probability proportional to `weight` (Efraimidis–Spirakis keys)."""
    candidates = candidates.sort("idx", "kind")
    keys = weighted_keys(rng, candidates["weight"].to_numpy())
    return (
        candidates.with_columns(pl.Series("_key", keys))
        .sort(["idx", "_key"], descending=[False, True])
        .group_by("idx", maintain_order=True)
        .first()
        .drop("_key")
    )
