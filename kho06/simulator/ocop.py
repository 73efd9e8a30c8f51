"""The OCOP feed: the province's list of One Commune One Product (OCOP) products, as one Excel workbook.

Provinces publish their OCOP products as a spreadsheet: one row per recognised product with its producer
(chủ thể), address, product group, star rating, score and the provincial decision that recognised it. This
module writes that list for Hải Dương as it stands on `cfg.end`, to `ocop/danh_sach_san_pham_ocop.xlsx`
(contract: docs/contracts/ocop.md).

The clean list is whole at every scale and depends only on the seed: 351 products first recognised in
2019–2023 (234 by the end of 2022, 117 in 2023), 231 three-star, 118 four-star and 2 four-star products with
five-star potential, in the published group split. A certificate is taken to be valid for 36 months
(unverified); products first recognised in 2019–2020 were re-recognised by a later decision before their
certificate ran out, so a clean row is never expired on `cfg.end`. A run that ends before 2023-12-31 lists
the same products, restricted to those recognised by `cfg.end`.

Defects are then injected from `defects...` streams: six classes alter a row in place (it keeps its Mã sản
phẩm), two add rows with keys of their own (a duplicate listing, an expired product still listed). Added rows
follow the clean rows, so every clean row keeps its position and bytes at every defect rate.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter
from vietnamadminunits.database import query

from kho06.simulator import names
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.geography import Geography
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

FEED = "ocop"
FILE_NAME = "danh_sach_san_pham_ocop.xlsx"
SHEET_NAME = "Danh sách"
TITLE = "DANH SÁCH SẢN PHẨM OCOP TỈNH HẢI DƯƠNG"
HEADER_ROW = 4
"""1-based worksheet row of the header (row 1 title, row 2 as-of date, row 3 blank); data start on row 5."""
KEY_PREFIX = "HD-OCOP"
VALIDITY_MONTHS = 36
"""Reported validity of an OCOP certificate (unverified)."""
REPEAT_CYCLES = 3
"""Re-recognition cycles generated per decision round (enough for runs ending up to 2031)."""

FOOD, DRINK, HERBAL, TEXTILE = "Thực phẩm", "Đồ uống", "Thảo dược", "Vải và may mặc"
CRAFT = "Lưu niệm – nội thất – trang trí"
TOURISM = "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
GROUPS = (FOOD, DRINK, HERBAL, TEXTILE, CRAFT, TOURISM)
GROUP_TARGETS = {FOOD: 293, DRINK: 23, HERBAL: 14, TEXTILE: 0, CRAFT: 17, TOURISM: 4}
YEAR_TARGETS = {2019: 38, 2020: 51, 2021: 64, 2022: 81, 2023: 117}
"""First-recognition year of the 351 products: 234 by 2022 (published); the 2019–2022 split is assumed."""
STAR_TARGETS = {3: 231, 4: 118}
POTENTIAL_TARGET = 2
"""Products rated 4★ by the province with a score of 90+, proposed for the national 5★ evaluation."""
SCORE_BANDS = {3: (50, 69), 4: (70, 89)}
"""Score (điểm, of 100) of each star rating (QĐ 148/QĐ-TTg); below 50 is not rated."""
POTENTIAL_BAND = (90, 100)
"""Score of a 4★ product with five-star potential; the simulated ones score 90–95."""
ROUND_MONTHS = {2019: (12,), 2020: (7, 12), 2021: (6, 12), 2022: (5, 9, 12), 2023: (5, 9, 12)}
"""Months of the provincial recognition decisions (rounds) of each year."""

# Internal column → header of the published workbook, in column order.
HEADERS = {
    "stt": "STT",
    "key": "Mã sản phẩm",
    "name": "Tên sản phẩm",
    "producer": "Chủ thể",
    "producer_type": "Loại hình chủ thể",
    "address": "Địa chỉ",
    "commune_code": "Mã xã",
    "district": "Huyện",
    "group": "Nhóm sản phẩm",
    "stars": "Hạng sao",
    "potential": "Tiềm năng 5 sao",
    "score": "Điểm",
    "year": "Năm công nhận",
    "decision_no": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "expiry": "Ngày hết hạn",
}
WIDTHS = (6, 18, 44, 44, 16, 56, 8, 22, 34, 9, 10, 7, 10, 16, 12, 12)

# fmt: off
DISTRICT_WEIGHTS = {
    "288": 1.2, "290": 1.3, "291": 0.9, "292": 1.2, "293": 0.8, "294": 1.3,
    "295": 1.0, "296": 0.8, "297": 0.9, "298": 0.9, "299": 0.9, "300": 0.8,
}
# fmt: on

# The products the province is known for, listed under exactly these names (domain facts).
ANCHORS = pl.DataFrame(
    [
        ("Vải thiều Thanh Hà", FOOD, "294", "Xã Thanh Sơn", 4, False),
        ("Bánh đậu xanh Hải Dương", FOOD, "288", "Phường Quang Trung", 4, True),
        ("Gốm Chu Đậu", CRAFT, "291", "Xã Thái Tân", 4, True),
        ("Bánh gai Ninh Giang", FOOD, "299", "Thị trấn Ninh Giang", 4, False),
        ("Cà rốt Đức Chính", FOOD, "295", "Xã Đức Chính", 4, False),
        ("Gạo nếp cái hoa vàng Kinh Môn", FOOD, "292", "Phường Hiệp Sơn", 4, False),
    ],
    schema=["name", "group", "district_code", "commune_name", "stars", "potential"],
    orient="row",
)
ANCHOR_YEAR = 2019

# fmt: off
# Product kinds: (group, stem, district or None for anywhere, commune pinned or None, weight).
# A stem that names its place ("Vải thiều Thanh Hà") is a local specialty of that district.
_LOCAL = [
    (FOOD, "Vải thiều Thanh Hà", "294", None, 8), (FOOD, "Vải sấy khô Thanh Hà", "294", None, 3),
    (FOOD, "Mật ong hoa vải Thanh Hà", "294", None, 2), (FOOD, "Bánh đậu xanh Hải Dương", "288", None, 6),
    (FOOD, "Bánh gai Ninh Giang", "299", None, 8), (FOOD, "Cà rốt Đức Chính", "295", "Xã Đức Chính", 4),
    (FOOD, "Gạo nếp cái hoa vàng Kinh Môn", "292", None, 5), (FOOD, "Hành tỏi Kinh Môn", "292", None, 4),
    (FOOD, "Hành tỏi Nam Sách", "291", None, 4), (FOOD, "Gà đồi Chí Linh", "290", None, 4),
    (FOOD, "Mật ong Chí Linh", "290", None, 3), (FOOD, "Na Chí Linh", "290", None, 3),
    (FOOD, "Chả rươi Tứ Kỳ", "298", None, 4), (FOOD, "Mắm rươi Tứ Kỳ", "298", None, 2),
    (FOOD, "Bánh dày Quán Gỏi", "296", None, 3),
    (DRINK, "Rượu nếp cái hoa vàng Kinh Môn", "292", None, 4), (DRINK, "Rượu Phú Lộc", "295", "Xã Cẩm Vũ", 4),
    (DRINK, "Rượu vải Thanh Hà", "294", None, 2), (DRINK, "Nước cốt vải Thanh Hà", "294", None, 2),
    (DRINK, "Trà xanh Chí Linh", "290", None, 2),
    (CRAFT, "Gốm Chu Đậu", "291", "Xã Thái Tân", 6), (CRAFT, "Gốm Cậy", "296", "Xã Long Xuyên", 4),
    (CRAFT, "Vàng bạc Châu Khê", "296", "Xã Thúc Kháng", 2),
    (CRAFT, "Chạm khắc gỗ Đông Giao", "295", "Xã Lương Điền", 4),
    (TOURISM, "Du lịch miệt vườn vải Thanh Hà", "294", None, 4),
]
_GENERIC = {
    FOOD: [
        "Bánh đa", "Bánh gai", "Bánh cuốn", "Bánh khảo", "Bánh cốm", "Bánh chưng", "Chè lam", "Kẹo lạc",
        "Kẹo dồi", "Giò lụa", "Giò bò", "Chả cá", "Chả quế", "Ruốc thịt", "Ruốc nấm", "Nem chua", "Mật ong",
        "Tinh bột nghệ", "Tinh bột sắn dây", "Gạo thơm", "Gạo nếp", "Bún khô", "Miến dong", "Nước mắm",
        "Tương nếp", "Trứng gà", "Trứng vịt muối", "Thịt lợn sạch", "Nấm sò", "Dưa lưới", "Dưa hấu",
        "Cà chua", "Ổi", "Bưởi", "Nhãn lồng", "Hành tím", "Tỏi đen", "Lạc nhân", "Mứt gừng", "Cá lăng",
        "Cá trắm giòn", "Rau an toàn",
    ],
    DRINK: ["Rượu nếp", "Rượu gạo", "Trà xanh", "Trà túi lọc", "Trà hoa cúc", "Trà gạo lứt", "Cà phê", "Nước ép"],
    HERBAL: [
        "Cao cà gai leo", "Cao xương khớp", "Tinh dầu sả chanh", "Tinh dầu bưởi", "Dầu gội thảo dược",
        "Xà phòng thảo dược", "Nấm linh chi", "Viên tinh nghệ mật ong",
    ],
    CRAFT: ["Tranh thêu tay", "Đồ gỗ mỹ nghệ", "Mây tre đan", "Chiếu cói", "Tranh gạo", "Gốm mỹ nghệ"],
    TOURISM: ["Điểm du lịch sinh thái", "Du lịch cộng đồng", "Du lịch trải nghiệm nông nghiệp"],
}
_BRANDS = np.array([
    "Hương Quê", "Minh Ngọc", "Phúc Lộc", "An Khang", "Hải Hà", "Bảo An", "Thành Đạt", "Kim Ngân", "Hồng Phát",
    "Tâm Đức", "Việt Hưng", "Gia Bảo", "Ngọc Mai", "Quê Nhà", "Đồng Quê", "Sao Mai", "Hoa Sen", "Nhật Minh",
    "Thiên Phú", "Hưng Thịnh", "Vạn Xuân", "Xuân Lộc", "Trường An", "Phú Gia", "Nam Phương", "Thu Hà",
    "Thanh Bình", "Hoàng Gia", "Lan Anh", "Tân Phát", "Minh Châu", "Hải Long", "Đức Thịnh", "Tiến Đạt",
    "Bình Minh", "Hoàng Long", "Quang Vinh", "Thái An", "Vĩnh Phát", "Ngọc Lan", "Hà My", "Hồng Hà",
    "Mạnh Hùng", "Tuấn Hằng", "Thắng Lợi", "Đại Phát", "Song Long", "Kim Long", "Hưng Phát", "Tâm An",
    "Phú Thành", "Lộc Phát", "Minh Phát", "Quốc Hưng", "Xanh Việt", "Hạnh Phúc", "Ánh Dương", "Trúc Lâm",
])
# fmt: on
_PRODUCER_TYPES = np.array(["Công ty", "Hợp tác xã", "Hộ kinh doanh", "Tổ hợp tác"])
_PRODUCER_TYPE_P = [0.36, 0.30, 0.30, 0.04]
_COMPANY_FORMS = np.array(["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần"])
_COMPANY_TRADES = np.array(["", "Thương mại và Dịch vụ ", "Sản xuất và Thương mại ", "Đầu tư và Phát triển "])
_COOP_TRADES = np.array(["Dịch vụ nông nghiệp", "Nông nghiệp", "Sản xuất và Kinh doanh", "Dịch vụ tổng hợp"])

# Defect classes: name → criterion.
DEFECT_CLASSES = {
    "score_star_mismatch": "đúng",
    "commune_not_in_province": "đúng",
    "invalid_group": "đúng",
    "missing_mandatory_field": "đủ",
    "duplicate_product": "sạch",
    "non_nfc_text": "sạch",
    "inconsistent_district_spelling": "sạch",
    "expired_still_listed": "sống",
}
MANDATORY_FIELDS = ("producer", "decision_no", "stars")
NEIGHBOUR_PROVINCES = ("22", "24", "27", "31", "33", "34")
"""Quảng Ninh, Bắc Giang, Bắc Ninh, Hải Phòng, Hưng Yên, Thái Bình: where a wrong Mã xã points."""
GROUP_ALIASES = {
    FOOD: ["Nông sản", "Thực phẩm chế biến"],
    DRINK: ["Đồ uống có cồn", "Nước giải khát"],
    HERBAL: ["Dược liệu", "Sản phẩm từ dược liệu"],
    CRAFT: ["Thủ công mỹ nghệ", "Lưu niệm - nội thất - trang trí"],
    TOURISM: ["Du lịch cộng đồng", "Dịch vụ du lịch"],
}
"""Labels outside the six groups seen in provincial lists, each meaning exactly one group."""


# ---------------------------------------------------------------------------------------------------------
# Entry point


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    progress.start(3)
    clean = clean_products(cfg, geo)
    progress.advance()
    listed = inject_defects(cfg, geo, clean, truth)
    progress.advance()
    path = cfg.feed_dir(FEED) / FILE_NAME
    write_workbook(path, listed, cfg.end)
    progress.advance()
    return FeedResult(FEED, files=1, records=listed.height, bytes=path.stat().st_size)


# ---------------------------------------------------------------------------------------------------------
# Clean list


def clean_products(cfg: SimConfig, geo: Geography) -> pl.DataFrame:
    """The clean product list on `cfg.end`, in STT order (columns as in HEADERS)."""

    def rng(purpose: str) -> np.random.Generator:
        return cfg.rng(FEED, f"clean-{purpose}")

    rounds = decision_rounds(cfg)
    products = pl.concat([_anchor_attributes(), _generated_attributes(rng("attributes"))], how="vertical")
    products = products.with_row_index("idx")
    products = _choose_kinds(rng("kinds"), products, rng("districts"), cover_all=True)
    products = _place(rng("communes"), products, geo)
    products = _producers(rng("producers"), products)
    products = _name_products(rng("names"), products, taken=pl.Series(dtype=pl.String))
    products = _assign_rounds(rng("assign"), products, rounds)
    products = _score(rng("scores"), products)
    products = _keys(products)
    return _in_force(products, rounds, cfg.end).with_row_index("stt", offset=1).pipe(_published)


def _anchor_attributes() -> pl.DataFrame:
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


def _generated_attributes(rng: np.random.Generator) -> pl.DataFrame:
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
    generic = [(g, stem, None, None, 1) for g, stems in _GENERIC.items() for stem in stems]
    return pl.DataFrame(
        _LOCAL + generic, schema=["group", "kind", "kind_district", "kind_commune", "weight"], orient="row"
    ).with_columns(pl.col("kind_district").is_not_null().alias("local"))


def _choose_kinds(
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
    keys = np.log(rng.random(candidates.height)) / candidates["weight"].to_numpy()
    return (
        candidates.with_columns(pl.Series("_key", keys))
        .sort(["idx", "_key"], descending=[False, True])
        .group_by("idx", maintain_order=True)
        .first()
        .drop("_key")
    )


def _place(rng: np.random.Generator, products: pl.DataFrame, geo: Geography) -> pl.DataFrame:
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


def _producers(rng: np.random.Generator, products: pl.DataFrame) -> pl.DataFrame:
    """The producer (chủ thể) of each product and the brand its name carries."""
    n = products.height
    kind = _PRODUCER_TYPES[rng.choice(len(_PRODUCER_TYPES), n, p=_PRODUCER_TYPE_P)]
    female = rng.random(n) < 0.55
    owner = names.full_names(rng, female)
    brand = _BRANDS[rng.integers(0, len(_BRANDS), n)]
    madam = (kind == "Hộ kinh doanh") & female & (rng.random(n) < 0.5)
    form = _COMPANY_FORMS[rng.choice(len(_COMPANY_FORMS), n, p=[0.6, 0.15, 0.25])]
    trade = _COMPANY_TRADES[rng.integers(0, len(_COMPANY_TRADES), n)]
    coop = _COOP_TRADES[rng.integers(0, len(_COOP_TRADES), n)]
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


def _name_products(rng: np.random.Generator, products: pl.DataFrame, taken: pl.Series) -> pl.DataFrame:
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
            pl.concat_str("kind", pl.lit(" "), "brand", pl.lit(" "), pl.col("district_name").pipe(_short))
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
        fresh = pl.lit(pl.Series(_BRANDS[rng.integers(0, len(_BRANDS), n)]))
        products = products.with_columns(
            pl.when(pl.lit(clash))
            .then(
                pl.concat_str("kind", pl.lit(" "), fresh, pl.lit(" "), pl.col("district_name").pipe(_short))
            )
            .otherwise("name")
            .alias("name")
        )
    raise RuntimeError("could not make OCOP product names unique")


def _short(district_name: pl.Expr) -> pl.Expr:
    """'Huyện Thanh Hà' → 'Thanh Hà' (also for Thành phố / Thị xã)."""
    return district_name.str.replace(r"^(Huyện|Thị xã|Thành phố) ", "")


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


def _assign_rounds(rng: np.random.Generator, products: pl.DataFrame, rounds: pl.DataFrame) -> pl.DataFrame:
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


def _score(rng: np.random.Generator, products: pl.DataFrame) -> pl.DataFrame:
    """Điểm inside the band of the product's stars (90–95 for a potential 5★)."""
    n = products.height
    three = rng.integers(SCORE_BANDS[3][0], SCORE_BANDS[3][1] + 1, n)
    four = rng.integers(SCORE_BANDS[4][0], SCORE_BANDS[4][1] + 1, n)
    five = rng.integers(POTENTIAL_BAND[0], POTENTIAL_BAND[0] + 6, n)
    stars = products["stars"].to_numpy()
    potential = products["potential"].to_numpy()
    score = np.where(potential, five, np.where(stars == 3, three, four))
    return products.with_columns(pl.Series("score", score, dtype=pl.Int64))


def _keys(products: pl.DataFrame) -> pl.DataFrame:
    """Mã sản phẩm 'HD-OCOP-<first year>-<seq>', numbered within the year by first decision, district, name."""
    return products.sort("year", "first_date", "district_code", "name").with_columns(
        pl.format(
            "{}-{}-{}",
            pl.lit(KEY_PREFIX),
            "year",
            (pl.int_range(pl.len()).over("year") + 1).cast(pl.String).str.zfill(4),
        ).alias("key")
    )


def _in_force(products: pl.DataFrame, rounds: pl.DataFrame, end: date) -> pl.DataFrame:
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
        .with_columns(_expiry("decision_date"))
        .sort("key")
    )


def _expiry(col: str) -> pl.Expr:
    return pl.col(col).dt.offset_by(f"{VALIDITY_MONTHS}mo").alias("expiry")


def _published(products: pl.DataFrame) -> pl.DataFrame:
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


# ---------------------------------------------------------------------------------------------------------
# Defects

IN_PLACE = (
    "score_star_mismatch",
    "commune_not_in_province",
    "invalid_group",
    "missing_mandatory_field",
    "non_nfc_text",
    "inconsistent_district_spelling",
)


def inject_defects(cfg: SimConfig, geo: Geography, clean: pl.DataFrame, truth: DefectLog) -> pl.DataFrame:
    """The clean list with defects altered in place and added rows appended; logs every defect in `truth`."""
    n = clean.height
    count = defect_count(cfg.defect_rate, n)
    if count == 0:
        return clean
    rows = _pick_rows(cfg.rng(FEED, "defects-pick"), clean, count)
    listed = clean
    for cls in IN_PLACE:
        listed, detail = _ALTER[cls](cfg.rng(FEED, f"defects-{cls}"), listed, rows[cls])
        truth.add(FEED, clean["key"][rows[cls]], cls, DEFECT_CLASSES[cls], detail)

    duplicates = _duplicates(cfg.rng(FEED, "defects-duplicate_product"), clean, rows["duplicate_product"])
    added = _number_added(pl.concat([duplicates, _expired(cfg, geo, clean, count)]))
    for cls in ("duplicate_product", "expired_still_listed"):
        part = added.filter(pl.col("_class") == cls)
        if part.height:
            truth.add(FEED, part["key"], cls, DEFECT_CLASSES[cls], part["_detail"])
    tail = added.with_columns(pl.int_range(n + 1, n + 1 + added.height, dtype=pl.Int64).alias("stt"))
    return pl.concat([listed, tail.select(listed.columns)])


def _pick_rows(rng: np.random.Generator, clean: pl.DataFrame, count: int) -> dict[str, np.ndarray]:
    """Row positions per class that works on clean rows (a duplicate's source included), no row twice."""
    n = clean.height
    eligible = {
        # A potential-5★ row keeps its score: its band (90+) is not the one the stars alone imply.
        "score_star_mismatch": clean["potential"].is_null().to_numpy(),
        # Both fields must change under NFD, whichever of them the defect picks.
        "non_nfc_text": (
            (clean["name"].str.normalize("NFD") != clean["name"])
            & (clean["producer"].str.normalize("NFD") != clean["producer"])
        ).to_numpy(),
    }
    taken = np.zeros(n, dtype=bool)
    rows = {}
    for cls in (*IN_PLACE, "duplicate_product"):
        blocked = taken | ~eligible.get(cls, np.ones(n, dtype=bool))
        (rows[cls],) = pick_disjoint(rng, n, [count], taken=blocked)
        taken[rows[cls]] = True
    return rows


def _replace(df: pl.DataFrame, rows: np.ndarray, column: str, values) -> pl.DataFrame:
    """`df` with `column` set to `values` at row positions `rows`."""
    if len(rows) == 0:
        return df
    series = df[column].clone()
    series.scatter(rows, pl.Series(values, dtype=series.dtype))
    return df.with_columns(series)


def _score_star_mismatch(rng, df, rows):
    """A score outside the band of the stars: 3★ with 70–89 points, 4★ with 50–69."""
    part = df[rows].select(
        "stars",
        pl.when(pl.col("stars") == 3)
        .then(pl.Series(rng.integers(SCORE_BANDS[4][0], SCORE_BANDS[4][1] + 1, len(rows))))
        .otherwise(pl.Series(rng.integers(SCORE_BANDS[3][0], SCORE_BANDS[3][1] + 1, len(rows))))
        .alias("score"),
    )
    detail = part.select(pl.format("Hạng sao {}, Điểm {}", "stars", "score"))[:, 0]
    return _replace(df, rows, "score", part["score"]), detail


def neighbour_communes() -> pl.DataFrame:
    """Communes of the neighbouring provinces (legacy units): wardCode, ward, district, province."""
    codes = ", ".join(f"'{c}'" for c in NEIGHBOUR_PROVINCES)
    return pl.DataFrame(
        query(
            f"select wardCode, ward, district, province from admin_units_legacy where provinceCode in ({codes})"
        )
    ).sort("wardCode")


def _commune_not_in_province(rng, df, rows):
    """Mã xã and Địa chỉ of a commune of a neighbouring province (Huyện keeps the listed district)."""
    communes = neighbour_communes()
    other = communes[rng.choice(communes.height, len(rows), replace=False)]
    address = other.select(pl.concat_str("ward", "district", "province", separator=", "))[:, 0]
    detail = other.select(pl.format("Mã xã {} ({}, {})", "wardCode", "ward", "province"))[:, 0]
    df = _replace(df, rows, "commune_code", other["wardCode"])
    return _replace(df, rows, "address", address), detail


def group_aliases() -> pl.DataFrame:
    """group, alias: every non-canonical group label and the group it stands for."""
    return pl.DataFrame(
        [(g, i, a) for g, aliases in GROUP_ALIASES.items() for i, a in enumerate(aliases)],
        schema=["group", "_i", "alias"],
        orient="row",
    )


def _invalid_group(rng, df, rows):
    """Nhóm sản phẩm written with a label outside the six groups (one that still means the right group)."""
    part = (
        df[rows]
        .select("group", pl.Series("_i", rng.integers(0, 2, len(rows))))
        .join(group_aliases(), on=["group", "_i"], how="left", maintain_order="left")
    )
    detail = part.select(pl.format("'{}' thay cho '{}'", "alias", "group"))[:, 0]
    return _replace(df, rows, "group", part["alias"]), detail


def _missing_mandatory_field(rng, df, rows):
    """One of Chủ thể, Số quyết định, Hạng sao left empty."""
    fields = np.array(MANDATORY_FIELDS)[rng.integers(0, len(MANDATORY_FIELDS), len(rows))]
    for field in MANDATORY_FIELDS:
        hit = rows[fields == field]
        df = _replace(df, hit, field, pl.Series([None] * len(hit), dtype=df.schema[field]))
    return df, pl.Series(fields).replace_strict({f: HEADERS[f] for f in MANDATORY_FIELDS}) + " trống"


def _non_nfc_text(rng, df, rows):
    """Tên sản phẩm or Chủ thể stored decomposed (NFD)."""
    fields = np.array(["name", "producer"])[rng.integers(0, 2, len(rows))]
    for field in ("name", "producer"):
        hit = rows[fields == field]
        df = _replace(df, hit, field, df[field][hit].str.normalize("NFD"))
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
        .then(_short(district))
        .otherwise(district.str.to_uppercase())
    )


def _inconsistent_district_spelling(rng, df, rows):
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
    df = _replace(df, rows, "district", part["variant"])
    return _replace(df, rows, "address", part["address"]), detail


_ALTER = {
    "score_star_mismatch": _score_star_mismatch,
    "commune_not_in_province": _commune_not_in_province,
    "invalid_group": _invalid_group,
    "missing_mandatory_field": _missing_mandatory_field,
    "non_nfc_text": _non_nfc_text,
    "inconsistent_district_spelling": _inconsistent_district_spelling,
}


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


def _duplicates(rng, clean, rows):
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


def _expired(cfg: SimConfig, geo: Geography, clean: pl.DataFrame, count: int) -> pl.DataFrame:
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
    products = _choose_kinds(rng("kinds"), products, rng("districts"), cover_all=False)
    products = _place(rng("communes"), products, geo)
    products = _producers(rng("producers"), products)
    products = _name_products(rng("names"), products, taken=clean["name"])
    products = _score(rng("scores"), products).with_columns(
        picked["date"].alias("decision_date"),
        picked["decision_no"],
        pl.lit("").alias("key"),
        pl.lit(None, pl.Int64).alias("stt"),
    )
    return (
        products.with_columns(_expiry("decision_date"))
        .pipe(_published)
        .with_columns(
            pl.lit("expired_still_listed").alias("_class"),
            pl.format("hết hạn {}", pl.col("expiry").dt.strftime("%d/%m/%Y")).alias("_detail"),
        )
    )


def _number_added(added: pl.DataFrame) -> pl.DataFrame:
    """Keys for added rows: within their first-recognition year, numbered after every product of the list."""
    last = pl.DataFrame({"year": list(YEAR_TARGETS), "_last": list(YEAR_TARGETS.values())}).cast(pl.Int64)
    return (
        added.join(last, on="year", how="left", maintain_order="left")
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


# ---------------------------------------------------------------------------------------------------------
# Writing


def write_workbook(path: Path, listed: pl.DataFrame, end: date) -> None:
    """The list as provinces publish it: title rows, a bold frozen header, real date cells.

    Byte-identical across runs: the workbook is assembled in memory (xlsxwriter then stamps every zip member
    1980-01-01) and its creation time is fixed to 17:00 on `end`.
    """
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    workbook.set_properties(
        {
            "title": "Danh sách sản phẩm OCOP tỉnh Hải Dương",
            "subject": f"Sản phẩm OCOP tính đến ngày {end:%d/%m/%Y}",
            "author": "UBND tỉnh Hải Dương",
            "created": datetime(end.year, end.month, end.day, 17, 0, 0),
        }
    )
    sheet = workbook.add_worksheet(SHEET_NAME)
    title = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    subtitle = workbook.add_format({"italic": True, "align": "center"})
    header = workbook.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "bg_color": "#DDEBF7",
        }
    )
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    last_col = len(HEADERS) - 1
    sheet.merge_range(0, 0, 0, last_col, TITLE, title)
    sheet.merge_range(1, 0, 1, last_col, f"(Tính đến ngày {end:%d/%m/%Y})", subtitle)
    sheet.write_row(HEADER_ROW - 1, 0, list(HEADERS.values()), header)
    for col, (column, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        is_date = listed.schema[column] == pl.Date
        sheet.set_column(col, col, width, date_format if is_date else None)
        sheet.write_column(HEADER_ROW, col, listed[column].to_list(), date_format if is_date else None)
    sheet.freeze_panes(HEADER_ROW, 0)
    sheet.autofilter(HEADER_ROW - 1, 0, HEADER_ROW - 1 + listed.height, last_col)
    workbook.close()
