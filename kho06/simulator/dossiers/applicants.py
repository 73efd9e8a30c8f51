"""Registers of the applicants (people and businesses), drawn once; each dossier picks its applicant from them."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.datafiles import csv_column, csv_rows
from kho06.simulator.dossiers.layout import FEED
from kho06.simulator.names import full_names
from kho06.simulator.sampling import pick

_PACKAGE = "kho06.simulator.dossiers"
REAL_PEOPLE = 400_000  # distinct citizens who file dossiers over the period at scale 1
REAL_BUSINESSES = 40_000
HOME_PREFIX = "030"  # citizen IDs registered in Hải Dương
TAX_WEIGHTS = np.array([31, 29, 23, 19, 17, 13, 7, 5, 3])  # check-digit weights of an enterprise code

BUSINESS_FORMS = np.array(csv_column(_PACKAGE, "business_forms.csv", "form"))
BUSINESS_TRADES = np.array(csv_column(_PACKAGE, "business_trades.csv", "trade"))
BUSINESS_WORDS = np.array(csv_column(_PACKAGE, "business_name_words.csv", "word"))
ID_PREFIX_NEIGHBOURS = np.array(csv_column(_PACKAGE, "citizen_id_prefixes_elsewhere.csv", "prefix"))
PHONE_PREFIXES = np.array(csv_column(_PACKAGE, "mobile_prefixes.csv", "prefix"))
MAIL_DOMAINS = np.repeat(
    [row["domain"] for row in csv_rows(_PACKAGE, "mail_domains.csv")],
    [int(row["count"]) for row in csv_rows(_PACKAGE, "mail_domains.csv")],
)


def _citizen_ids(rng, n: int, female: np.ndarray) -> pl.Series:
    """12 digits: birth-registration province, century-and-sex digit, two-digit birth year, six random digits."""
    prefix = np.where(rng.random(n) < 0.88, 0, rng.integers(1, len(ID_PREFIX_NEIGHBOURS) + 1, n))
    born = rng.integers(1945, 2006, n)
    frame = pl.DataFrame(
        {
            "p": prefix,
            "c": np.where(born >= 2000, 2, 0) + female,
            "y": born % 100,
            "r": rng.integers(0, 1_000_000, n),
        }
    )
    prefixes = pl.Series([HOME_PREFIX, *ID_PREFIX_NEIGHBOURS.tolist()])
    return frame.select(
        pl.concat_str(
            [
                prefixes.gather(frame["p"]),
                pl.col("c").cast(pl.String),
                pl.col("y").cast(pl.String).str.zfill(2),
                pl.col("r").cast(pl.String).str.zfill(6),
            ]
        )
    ).to_series()


def _tax_codes(rng, n: int) -> pl.Series:
    """10-digit enterprise codes of the province's tax office (prefix 08) with a valid check digit."""
    digits = np.column_stack([np.zeros(n, np.int64), np.full(n, 8), rng.integers(0, 10, (n, 7))])
    bump = digits @ TAX_WEIGHTS % 11 == 0  # its check digit would be 10, never issued: change the ninth digit
    digits[bump, 8] = (digits[bump, 8] + 1) % 10
    check = 10 - digits @ TAX_WEIGHTS % 11
    return pl.Series(digits @ (10 ** np.arange(8, -1, -1)) * 10 + check).cast(pl.String).str.zfill(10)


def _business_names(rng, n: int) -> pl.Series:
    form, trade = pick(rng, BUSINESS_FORMS, n), pick(rng, BUSINESS_TRADES, n)
    brand = pick(rng, BUSINESS_WORDS, n) + " " + pick(rng, BUSINESS_WORDS, n)
    return pl.select(
        pl.concat_str([form, pl.when(trade != "").then(" " + trade), pl.lit(" "), brand], ignore_nulls=True)
    ).to_series()


def _unaccent(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all("[đĐ]", "d")
        .str.to_lowercase()
    )


def _contacts(rng, names: pl.Series, mail_share: float, business: bool) -> pl.DataFrame:
    """Mobile number (10 digits) and, for some, an e-mail address made from the name."""
    n = len(names)
    words = _unaccent(pl.lit(names)).str.split(" ")
    local = (
        pl.concat_str([words.list.get(-2), words.list.last(), pl.lit(".hd")])
        if business
        else pl.concat_str(
            [
                words.list.last(),
                words.list.first(),
                pl.lit(pl.Series(rng.integers(1, 10_000, n))).cast(pl.String),
            ]
        )
    )
    return pl.select(
        (
            pick(rng, PHONE_PREFIXES, n)
            + pl.Series(rng.integers(0, 10_000_000, n)).cast(pl.String).str.zfill(7)
        ).alias("SoDienThoai"),
        pl.when(pl.lit(pl.Series(rng.random(n) < mail_share)))
        .then(pl.concat_str([local, pl.lit("@"), pl.lit(pick(rng, MAIL_DOMAINS, n))]))
        .alias("Email"),
    )


def build_applicants(cfg: SimConfig) -> pl.DataFrame:
    """People (LoaiDoiTuong 1) then businesses (2): name, ID or tax code, phone, e-mail."""
    rng = cfg.rng(FEED, "clean-applicants")
    n_people, n_firms = max(1_000, cfg.scaled(REAL_PEOPLE)), max(200, cfg.scaled(REAL_BUSINESSES))
    female = rng.random(n_people) < 0.5
    people_names = full_names(rng, female)
    people = pl.DataFrame(
        {
            "ChuHoSo": people_names,
            "LoaiDoiTuong": np.ones(n_people, np.int8),
            "MaDoiTuong": _citizen_ids(rng, n_people, female.astype(np.int64)),
        }
    )
    firm_names = _business_names(rng, n_firms)
    firms = pl.DataFrame(
        {
            "ChuHoSo": firm_names,
            "LoaiDoiTuong": np.full(n_firms, 2, np.int8),
            "MaDoiTuong": _tax_codes(rng, n_firms),
        }
    )
    return pl.concat(
        [
            pl.concat([people, _contacts(rng, people_names, 0.25, business=False)], how="horizontal"),
            pl.concat([firms, _contacts(rng, firm_names, 0.7, business=True)], how="horizontal"),
        ]
    )
