"""The clean product list on `cfg.end`: whole at every scale, in STT order."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.config import SimConfig
from kho06.simulator.ocop.kinds import anchor_attributes, choose_kinds, generated_attributes
from kho06.simulator.ocop.layout import FEED, KEY_PREFIX
from kho06.simulator.ocop.producers import name_products, place, producers
from kho06.simulator.ocop.rounds import assign_rounds, decision_rounds, in_force
from kho06.simulator.ocop.targets import POTENTIAL_BAND, SCORE_BANDS


def clean_products(cfg: SimConfig, geo: Geography) -> pl.DataFrame:
    """The clean product list on `cfg.end`, in STT order (columns as in HEADERS)."""

    def rng(purpose: str) -> np.random.Generator:
        return cfg.rng(FEED, f"clean-{purpose}")

    rounds = decision_rounds(cfg)
    products = pl.concat([anchor_attributes(), generated_attributes(rng("attributes"))], how="vertical")
    products = products.with_row_index("idx")
    products = choose_kinds(rng("kinds"), products, rng("districts"), cover_all=True)
    products = place(rng("communes"), products, geo)
    products = producers(rng("producers"), products)
    products = name_products(rng("names"), products, taken=pl.Series(dtype=pl.String))
    products = assign_rounds(rng("assign"), products, rounds)
    products = score(rng("scores"), products)
    products = product_keys(products)
    return in_force(products, rounds, cfg.end).with_row_index("stt", offset=1).pipe(published)


def score(rng: np.random.Generator, products: pl.DataFrame) -> pl.DataFrame:
    """Điểm inside the band of the product's stars (90–95 for a potential 5★)."""
    n = products.height
    three = rng.integers(SCORE_BANDS[3][0], SCORE_BANDS[3][1] + 1, n)
    four = rng.integers(SCORE_BANDS[4][0], SCORE_BANDS[4][1] + 1, n)
    five = rng.integers(POTENTIAL_BAND[0], POTENTIAL_BAND[0] + 6, n)
    stars = products["stars"].to_numpy()
    potential = products["potential"].to_numpy()
    score = np.where(potential, five, np.where(stars == 3, three, four))
    return products.with_columns(pl.Series("score", score, dtype=pl.Int64))


def product_keys(products: pl.DataFrame) -> pl.DataFrame:
    """Mã sản phẩm 'HD-OCOP-<first year>-<seq>', numbered within the year by first decision, district, name."""
    return products.sort("year", "first_date", "district_code", "name").with_columns(
        pl.format(
            "{}-{}-{}",
            pl.lit(KEY_PREFIX),
            "year",
            (pl.int_range(pl.len()).over("year") + 1).cast(pl.String).str.zfill(4),
        ).alias("key")
    )


def published(products: pl.DataFrame) -> pl.DataFrame:
    """The published columns with their types (district as its full canonical name)."""
    return products.select(
        pl.col("stt").cast(pl.Int64),
        "key",
        "name",
        "producer",
        "producer_type",
        "address",
        "commune_code",
        pl.col("district_name").alias("district"),
        "group",
        pl.col("stars").cast(pl.Int64),
        pl.when("potential").then(pl.lit("x")).otherwise(pl.lit(None, pl.String)).alias("potential"),
        pl.col("score").cast(pl.Int64),
        pl.col("year").cast(pl.Int64),
        "decision_no",
        "decision_date",
        "expiry",
    )
