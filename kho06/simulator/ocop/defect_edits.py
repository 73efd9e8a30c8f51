"""How each OCOP defect class changes the list: six alter rows in place (the row keeps its Mã sản phẩm), two add
rows with keys of their own (a second listing, an expired product). Each returns the rows it touched."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography, legacy_communes_of
from kho06.simulator.config import SimConfig
from kho06.simulator.edits import FrameEdits
from kho06.simulator.ocop.kinds import choose_kinds
from kho06.simulator.ocop.layout import FEED, HEADERS, KEY_PREFIX
from kho06.simulator.ocop.producers import name_products, place, producers, short_district
from kho06.simulator.ocop.products import published, score
from kho06.simulator.ocop.rounds import decision_rounds, expiry
from kho06.simulator.ocop.targets import GROUP_TARGETS, GROUPS, SCORE_BANDS, VALIDITY_MONTHS, YEAR_TARGETS
from kho06.simulator.ocop.vocabularies import GROUP_ALIASES, NEIGHBOUR_PROVINCES
from kho06.simulator.truth import Injected

MANDATORY_FIELDS = ("producer", "decision_no", "stars")


class OcopEdits(FrameEdits):
    """The listed rows as the classes alter them, the clean list they started from, and the added listings."""

    def __init__(self, cfg: SimConfig, geo: Geography, clean: pl.DataFrame, count: int) -> None:
        super().__init__(clean)
        self.cfg, self.geo, self.clean, self.count = cfg, geo, clean, count
        self._last = dict(YEAR_TARGETS)  # the last number given in each first-recognition year

    def keys(self, rows: np.ndarray) -> pl.Series:
        return self.clean["key"][rows]

    def add_listed(self, rows: pl.DataFrame) -> pl.Series:
        """Append rows with keys of their own: within their first-recognition year, numbered after every product
        of the list and the rows added before. Returns the keys."""
        last = pl.DataFrame({"year": list(self._last), "_last": list(self._last.values())}).cast(pl.Int64)
        numbered = (
            rows.join(last, on="year", how="left", maintain_order="left")
            .with_columns(
                pl.format(
                    "{}-{}-{}",
                    pl.lit(KEY_PREFIX),
                    "year",
                    (pl.col("_last") + 1 + pl.int_range(pl.len()).over("year")).cast(pl.String).str.zfill(4),
                ).alias("key")
            )
            .drop("_last")
        )
        for year, n in numbered.group_by("year").len().iter_rows():
            if year in self._last:
                self._last[year] += n
        self.add(numbered)
        return numbered["key"]

    def listed(self) -> pl.DataFrame:
        """The altered list followed by the added rows, numbered on (STT) after the clean ones."""
        if not self.added:
            return self.frame
        n = self.clean.height
        tail = pl.concat(self.added)
        tail = tail.with_columns(pl.int_range(n + 1, n + 1 + tail.height, dtype=pl.Int64).alias("stt"))
        return pl.concat([self.frame, tail.select(self.frame.columns)])


def score_star_mismatch(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """A score outside the band of the stars: 3★ with 70–89 points, 4★ with 50–69."""
    part = edits.frame[rows].select(
        "stars",
        pl.when(pl.col("stars") == 3)
        .then(pl.Series(rng.integers(SCORE_BANDS[4][0], SCORE_BANDS[4][1] + 1, len(rows))))
        .otherwise(pl.Series(rng.integers(SCORE_BANDS[3][0], SCORE_BANDS[3][1] + 1, len(rows))))
        .alias("score"),
    )
    detail = part.select(pl.format("Hạng sao {}, Điểm {}", "stars", "score"))[:, 0]
    edits.set(rows, score=part["score"])
    return Injected(edits.keys(rows), detail)


def commune_not_in_province(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """Mã xã and Địa chỉ of a commune of a neighbouring province (Huyện keeps the listed district)."""
    communes = legacy_communes_of(NEIGHBOUR_PROVINCES)
    other = communes[rng.choice(communes.height, len(rows), replace=False)]
    address = other.select(pl.concat_str("ward", "district", "province", separator=", "))[:, 0]
    detail = other.select(pl.format("Mã xã {} ({}, {})", "wardCode", "ward", "province"))[:, 0]
    edits.set(rows, commune_code=other["wardCode"])
    edits.set(rows, address=address)
    return Injected(edits.keys(rows), detail)


def group_aliases() -> pl.DataFrame:
    """group, alias: every non-canonical group label and the group it stands for."""
    return pl.DataFrame(
        [(g, i, a) for g, aliases in GROUP_ALIASES.items() for i, a in enumerate(aliases)],
        schema=["group", "_i", "alias"],
        orient="row",
    )


def invalid_group(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """Nhóm sản phẩm written with a label outside the six groups (one that still means the right group)."""
    part = (
        edits.frame[rows]
        .select("group", pl.Series("_i", rng.integers(0, 2, len(rows))))
        .join(group_aliases(), on=["group", "_i"], how="left", maintain_order="left")
    )
    detail = part.select(pl.format("'{}' thay cho '{}'", "alias", "group"))[:, 0]
    edits.set(rows, group=part["alias"])
    return Injected(edits.keys(rows), detail)


def missing_mandatory_field(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """One of Chủ thể, Số quyết định, Hạng sao left empty."""
    fields = np.array(MANDATORY_FIELDS)[rng.integers(0, len(MANDATORY_FIELDS), len(rows))]
    for field in MANDATORY_FIELDS:
        hit = rows[fields == field]
        edits.set(hit, **{field: [None] * len(hit)})
    labels = pl.Series(fields).replace_strict({f: HEADERS[f] for f in MANDATORY_FIELDS})
    return Injected(edits.keys(rows), labels + " trống")


def non_nfc_text(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """Tên sản phẩm or Chủ thể stored decomposed (NFD)."""
    fields = np.array(["name", "producer"])[rng.integers(0, 2, len(rows))]
    for field in ("name", "producer"):
        hit = rows[fields == field]
        edits.set(hit, **{field: edits.frame[field][hit].str.normalize("NFD")})
    labels = pl.Series(np.where(fields == "name", HEADERS["name"], HEADERS["producer"]))
    return Injected(edits.keys(rows), labels + " ở dạng NFD")


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


def inconsistent_district_spelling(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """Huyện (and the district at the end of Địa chỉ) spelt off the canonical name."""
    part = (
        edits.frame[rows]
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
    edits.set(rows, district=part["variant"])
    edits.set(rows, address=part["address"])
    return Injected(edits.keys(rows), detail)


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


def duplicate_listings(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """A second listing of a product: every field the same but its name typed differently and a key of its own."""
    copies = (
        edits.clean[rows]
        .with_columns(pl.Series("_kind", rng.integers(0, 4, len(rows))))
        .with_columns(name_variant(pl.col("name"), pl.col("_kind")).alias("name"))
        .drop("_kind")
    )
    return Injected(edits.add_listed(copies), "trùng với " + edits.clean["key"][rows])


def expired(rng: np.random.Generator, edits: OcopEdits, rows: np.ndarray) -> Injected:
    """Products recognised once and never re-recognised, whose certificate ran out before `cfg.end`.

    They come from first-recognition rounds more than 36 months before `cfg.end`; when no round is that old
    (a run ending before 2022-12) the class cannot occur and nothing is added.
    """
    cfg, geo, clean, count = edits.cfg, edits.geo, edits.clean, edits.count
    rounds = decision_rounds(cfg).filter(pl.col("cycle") == 0)
    old = rounds.filter(pl.col("date").dt.offset_by(f"{VALIDITY_MONTHS}mo") < cfg.end)
    if old.height == 0:
        return Injected([], [])

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
    listed = products.with_columns(expiry("decision_date")).pipe(published)
    return Injected(edits.add_listed(listed), "hết hạn " + listed["expiry"].dt.strftime("%d/%m/%Y"))
