"""The provincial recognition decisions: the rounds of each year, their re-recognitions, the decision in force on
each product at the end of the period."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.ocop.layout import FEED
from kho06.simulator.ocop.targets import REPEAT_CYCLES, ROUND_MONTHS, VALIDITY_MONTHS


def decision_rounds(cfg: SimConfig) -> pl.DataFrame:
    """Every recognition decision: year, round, cycle (0 first recognition, c ≥ 1 re-recognition), date, number.

    Round r of a year is one provincial decision recognising a batch of products. The products of a round are
    re-recognised together by a decision 10–60 days before each 36-month expiry. Decision numbers restart
    every year and grow with the day of the year (a block of 10–12 numbers a day, the rate drawn per year);
    the decisions of one day take distinct numbers of that day's block, so a number never repeats within a
    year.
    """
    rng = cfg.rng(FEED, "clean-rounds")
    rows = [(y, r, m) for y, months in ROUND_MONTHS.items() for r, m in enumerate(months)]
    first = pl.DataFrame(rows, schema=["year", "round", "month"], orient="row").with_columns(
        pl.date("year", "month", pl.Series(rng.integers(5, 29, len(rows)))).alias("date"),
        pl.lit(0, pl.Int64).alias("cycle"),
    )
    cycles = [first]
    for cycle in range(1, REPEAT_CYCLES + 1):
        # each re-recognition comes before the previous decision expires
        lead = pl.duration(days=pl.Series(rng.integers(10, 61, first.height)))
        previous = cycles[-1]
        cycles.append(
            previous.with_columns(
                (pl.col("date").dt.offset_by(f"{VALIDITY_MONTHS}mo") - lead).alias("date"),
                pl.lit(cycle, pl.Int64).alias("cycle"),
            )
        )
    decisions = pl.concat(cycles).sort("date", "cycle", "year", "round")
    first_year = min(ROUND_MONTHS)
    per_day = pl.Series(rng.uniform(10.5, 12.5, 40))  # decisions a day, for each year from the first round on
    noise = pl.Series(rng.integers(0, 2, decisions.height))
    same_day = pl.int_range(pl.len()).over("date")  # up to 4 decisions a day keep distinct numbers
    daily = pl.lit(per_day).gather(pl.col("date").dt.year() - first_year)
    number = (pl.col("date").dt.ordinal_day() * daily).floor().cast(pl.Int64) + 1 + noise + 2 * same_day
    return (
        decisions.with_columns(pl.format("{}/QĐ-UBND", number).alias("decision_no"))
        .select("year", "round", "cycle", "date", "decision_no")
        .sort("year", "round", "cycle")
    )


def assign_rounds(rng: np.random.Generator, products: pl.DataFrame, rounds: pl.DataFrame) -> pl.DataFrame:
    """Each product's first-recognition round within its year (anchors: the first round)."""
    per_year = rounds.filter(pl.col("cycle") == 0).group_by("year").agg(pl.len().alias("_n"))
    products = products.join(per_year, on="year", how="left", maintain_order="left").sort("idx")
    drawn = np.floor(rng.random(products.height) * products["_n"].to_numpy()).astype(np.int64)
    first = rounds.filter(pl.col("cycle") == 0).select("year", "round", pl.col("date").alias("first_date"))
    return (
        products.with_columns(pl.when("anchor").then(0).otherwise(pl.Series(drawn)).alias("round"))
        .drop("_n")
        .join(first, on=["year", "round"], how="left", maintain_order="left")
        .sort("idx")
    )


def in_force(products: pl.DataFrame, rounds: pl.DataFrame, end: date) -> pl.DataFrame:
    """Products recognised by `end`, each with the latest decision on it taken by `end` and its expiry."""
    latest = (
        rounds.filter(pl.col("date") <= end)
        .sort("cycle")
        .group_by("year", "round", maintain_order=True)
        .last()
        .select("year", "round", pl.col("date").alias("decision_date"), "decision_no")
    )
    return (
        products.filter(pl.col("first_date") <= end)
        .join(latest, on=["year", "round"], how="inner")
        .with_columns(expiry("decision_date"))
        .sort("key")
    )


def expiry(col: str) -> pl.Expr:
    return pl.col(col).dt.offset_by(f"{VALIDITY_MONTHS}mo").alias("expiry")
