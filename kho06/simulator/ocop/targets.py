"""The figures the clean OCOP list is built to (kpi_targets.csv and the recognition rules): product counts by
group, year and stars, the score bands, the recognition rounds and the certificate's validity."""

from __future__ import annotations

from kho06.simulator.datafiles import csv_rows

VALIDITY_MONTHS = 36
"""Reported validity of an OCOP certificate (unverified)."""
REPEAT_CYCLES = 3
"""Re-recognition cycles generated per decision round (enough for runs ending up to 2031)."""
GROUP_TARGETS = {
    r["product_group"]: int(r["products"]) for r in csv_rows("kho06.simulator.ocop", "product_groups.csv")
}
"""The six product groups (in the published order) and the products of each."""
GROUPS = tuple(GROUP_TARGETS)
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
ANCHOR_YEAR = 2019
"""First recognition of the products the province is known for (`data/anchor_products.csv`)."""
