"""The coded values of the register and their shares in the province, read from `data/`: ethnic groups (codes of
QĐ 121-TCTK/PPCĐ, 01–54), religions, the provinces of birth registration that open a citizen ID, the fields a
correction changes."""

from __future__ import annotations

from kho06.simulator.datafiles import csv_weights

_PACKAGE = "kho06.simulator.population"

KINH = "01"
KINH_SHARE = 0.995
MINORITIES = csv_weights(_PACKAGE, "ethnic_minorities.csv", "ethnic_code", "share")
"""The minorities living in the province, with their share of the non-Kinh."""
ETHNIC_CODES = (KINH, *MINORITIES)
RELIGIONS = csv_weights(_PACKAGE, "religions.csv", "religion", "share")

# Citizen-ID prefix: province of birth registration. Hải Dương for most; others weighted by nearness and migration.
HOME_PREFIX = "030"
OTHER_PREFIXES = csv_weights(_PACKAGE, "citizen_id_prefixes_elsewhere.csv", "prefix")
OTHER_PREFIX_SHARE = 0.12
OLD_CMND_PREFIX = "14"  # 9-digit identity cards (CMND) issued in Hải Hưng / Hải Dương

CORRECTED_FIELDS = csv_weights(_PACKAGE, "corrected_fields.csv", "field", "share")
FOREIGN_ETHNIC_CODES = csv_weights(_PACKAGE, "foreign_ethnic_codes.csv", "ethnic_code", "share")
"""Codes of the other (population-ordered) coding, written by a defect."""
