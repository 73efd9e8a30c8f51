"""The products, producers and places the OCOP list is drawn from, read from `data/`: the products the province
is known for, local specialties and kinds made anywhere, brands, producer types and names, the districts'
weights, the neighbouring provinces and the group labels seen outside the six groups."""

from __future__ import annotations

import numpy as np
import polars as pl

from kho06.simulator.datafiles import csv_column, csv_rows, csv_weights

_PACKAGE = "kho06.simulator.ocop"

DISTRICT_WEIGHTS = csv_weights(_PACKAGE, "district_weights.csv", "district_code")

ANCHORS = pl.DataFrame(
    [
        (
            r["product"],
            r["product_group"],
            r["district_code"],
            r["commune_name"],
            int(r["stars"]),
            r["five_star_potential"] == "1",
        )
        for r in csv_rows(_PACKAGE, "anchor_products.csv")
    ],
    schema=["name", "group", "district_code", "commune_name", "stars", "potential"],
    orient="row",
)
"""The products the province is known for, listed under exactly these names (domain facts)."""

LOCAL_KINDS = [
    (r["product_group"], r["kind"], r["district_code"], r["commune_name"] or None, int(r["weight"]))
    for r in csv_rows(_PACKAGE, "local_specialties.csv")
]
"""(group, kind, district, commune pinned or None, weight): a kind that names its place ("Vải thiều Thanh Hà")
is a local specialty of that district."""
GENERIC_KINDS = [(r["product_group"], r["kind"]) for r in csv_rows(_PACKAGE, "product_kinds.csv")]
"""(group, kind) of the kinds made anywhere."""

BRANDS = np.array(csv_column(_PACKAGE, "brands.csv", "brand"))
PRODUCER_TYPES = csv_weights(_PACKAGE, "producer_types.csv", "producer_type", "share")
COMPANY_FORMS = csv_weights(_PACKAGE, "company_forms.csv", "form", "share")
COMPANY_TRADES = np.array([t + " " if t else "" for t in csv_column(_PACKAGE, "company_trades.csv", "trade")])
"""The trade a company's name carries before its brand, with its space ("" for none)."""
COOP_TRADES = np.array(csv_column(_PACKAGE, "cooperative_trades.csv", "trade"))

NEIGHBOUR_PROVINCES = tuple(csv_column(_PACKAGE, "neighbour_provinces.csv", "province_code"))
"""The neighbouring provinces (legacy codes): where a wrong Mã xã points."""
GROUP_ALIASES: dict[str, list[str]] = {}
for _row in csv_rows(_PACKAGE, "group_aliases.csv"):
    GROUP_ALIASES.setdefault(_row["product_group"], []).append(_row["alias"])
"""Labels outside the six groups seen in provincial lists, each meaning exactly one group."""
