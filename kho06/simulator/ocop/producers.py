"""Where each product is made and by whom: commune and address, the producer (chủ thể), the product's name."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator import names
from kho06.simulator.ocop.vocabularies import (
    BRANDS,
    COMPANY_FORMS,
    COMPANY_TRADES,
    COOP_TRADES,
    PRODUCER_TYPES,
)


def place(rng: np.random.Generator, products: pl.DataFrame, geo: Geography) -> pl.DataFrame:
    """A commune for each product (the pinned one, else one of its district at random) and its address."""
    communes = geo.communes.sort("district_code", "commune_code").with_row_index("pos")
    spans = communes.group_by("district_code", maintain_order=True).agg(
        pl.col("pos").min().alias("first"), pl.len().alias("count")
    )
    pinned = communes.select("district_code", "commune_name", pl.col("pos").alias("pinned"))
    located = products.join(spans, on="district_code", how="left", maintain_order="left").join(
        pinned, on=["district_code", "commune_name"], how="left", maintain_order="left"
    )
    if located["commune_name"].is_not_null().sum() != located["pinned"].is_not_null().sum():
        raise AssertionError("a pinned OCOP commune is not in its district")
    drawn = located["first"].to_numpy() + np.floor(rng.random(located.height) * located["count"].to_numpy())
    pos = np.where(located["pinned"].is_null().to_numpy(), drawn, located["pinned"].fill_null(0).to_numpy())
    place = communes[pos.astype(np.int64)].select(
        "commune_code", "commune_name", "commune_short", "commune_type", "district_name", "district_code"
    )
    hamlet = pl.Series("hamlet", names.hamlet_names(rng, located.height))
    return (
        located.drop("commune_name", "first", "count", "pinned", "district_code")
        .hstack(place)
        .hstack([hamlet])
        .with_columns(
            pl.concat_str(
                pl.when(pl.col("commune_type") == "Xã").then(pl.col("hamlet") + ", ").otherwise(pl.lit("")),
                "commune_name",
                pl.lit(", "),
                "district_name",
            ).alias("address")
        )
        .drop("hamlet")
    )


def producers(rng: np.random.Generator, products: pl.DataFrame) -> pl.DataFrame:
    """The producer (chủ thể) of each product and the brand its name carries."""
    n = products.height
    kind = np.array(list(PRODUCER_TYPES))[rng.choice(len(PRODUCER_TYPES), n, p=list(PRODUCER_TYPES.values()))]
    female = rng.random(n) < 0.55
    owner = names.full_names(rng, female)
    brand = BRANDS[rng.integers(0, len(BRANDS), n)]
    madam = (kind == "Hộ kinh doanh") & female & (rng.random(n) < 0.5)
    form = np.array(list(COMPANY_FORMS))[rng.choice(len(COMPANY_FORMS), n, p=list(COMPANY_FORMS.values()))]
    trade = COMPANY_TRADES[rng.integers(0, len(COMPANY_TRADES), n)]
    coop = COOP_TRADES[rng.integers(0, len(COOP_TRADES), n)]
    return (
        products.with_columns(
            pl.Series("producer_type", kind),
            pl.Series("_owner", owner),
            pl.Series("_brand", brand),
            pl.Series("_madam", madam),
            pl.Series("_form", form),
            pl.Series("_trade", trade),
            pl.Series("_coop", coop),
        )
        .with_columns(
            pl.when("_madam")
            .then(pl.lit("Bà ") + pl.col("_owner").str.split(" ").list.last())
            .otherwise("_brand")
            .alias("brand"),
            pl.when(pl.col("producer_type") == "Công ty")
            .then(pl.concat_str("_form", pl.lit(" "), "_trade", "_brand"))
            .when(pl.col("producer_type") == "Hợp tác xã")
            .then(pl.concat_str(pl.lit("HTX "), "_coop", pl.lit(" "), "commune_short"))
            .when(pl.col("producer_type") == "Hộ kinh doanh")
            .then(pl.lit("Hộ kinh doanh ") + pl.col("_owner"))
            .otherwise(pl.lit("Tổ hợp tác ") + pl.col("_brand"))
            .alias("producer"),
        )
        .drop("_owner", "_brand", "_madam", "_form", "_trade", "_coop")
    )


def name_products(rng: np.random.Generator, products: pl.DataFrame, taken: pl.Series) -> pl.DataFrame:
    """Tên sản phẩm: anchors keep their name; local kinds add the brand; other kinds add brand or place.

    Names are unique case-insensitively, also against `taken`; a clash gets a fresh brand and the district.
    """
    n = products.height
    pattern = rng.choice(3, n, p=[0.55, 0.25, 0.20])
    products = products.with_columns(pl.Series("_pattern", pattern))
    name_expr = (
        pl.when("anchor")
        .then("kind")
        .when(pl.col("local") | (pl.col("_pattern") == 0))
        .then(pl.concat_str("kind", pl.lit(" "), "brand"))
        .when(pl.col("_pattern") == 1)
        .then(pl.concat_str("kind", pl.lit(" "), "commune_short"))
        .otherwise(
            pl.concat_str(
                "kind", pl.lit(" "), "brand", pl.lit(" "), pl.col("district_name").pipe(short_district)
            )
        )
    )
    products = products.with_columns(name_expr.alias("name"))
    taken_lower = taken.str.to_lowercase()
    for _ in range(50):
        lower = products["name"].str.to_lowercase()
        clash = (lower.is_duplicated() & ~lower.is_first_distinct()) | lower.is_in(taken_lower.implode())
        clash = clash & ~products["anchor"]
        if not clash.any():
            return products.drop("_pattern")
        fresh = pl.lit(pl.Series(BRANDS[rng.integers(0, len(BRANDS), n)]))
        products = products.with_columns(
            pl.when(pl.lit(clash))
            .then(
                pl.concat_str(
                    "kind", pl.lit(" "), fresh, pl.lit(" "), pl.col("district_name").pipe(short_district)
                )
            )
            .otherwise("name")
            .alias("name")
        )
    raise RuntimeError("could not make OCOP product names unique")


def short_district(district_name: pl.Expr) -> pl.Expr:
    """'Huyện Thanh Hà' → 'Thanh Hà' (also for Thành phố / Thị xã)."""
    return district_name.str.replace(r"^(Huyện|Thị xã|Thành phố) ", "")
