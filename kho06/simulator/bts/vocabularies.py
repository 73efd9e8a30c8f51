"""The operators, radio technologies, mast types and address abbreviations of the BTS feed, read from `data/`."""

from __future__ import annotations

import numpy as np

from kho06.simulator.datafiles import csv_rows, csv_weights

_PACKAGE = "kho06.simulator.bts"

# MNC → name used in the register, and the operator's weight when stations are drawn.
OPERATORS = {int(r["mnc"]): (r["operator"], float(r["share"])) for r in csv_rows(_PACKAGE, "operators.csv")}
GSM_ONLY = {int(r["mnc"]) for r in csv_rows(_PACKAGE, "operators.csv") if r["gsm_only"] == "1"}
RADIO_WEIGHT = csv_weights(_PACKAGE, "radios.csv", "radio", "share")
RADIOS = tuple(RADIO_WEIGHT)

_MASTS = csv_rows(_PACKAGE, "mast_types.csv")
MAST_TYPES = np.array([r["mast_type"] for r in _MASTS])
MAST_P_URBAN = [float(r["share_urban"]) for r in _MASTS]
MAST_P_RURAL = [float(r["share_rural"]) for r in _MASTS]
MAST_HEIGHT = np.array([[int(r["height_min_m"]), int(r["height_max_m"])] for r in _MASTS])  # metres
URBAN_TYPES = ("Phường", "Thị trấn")
TYPE_DENSITY = {"Phường": 3.0, "Thị trấn": 2.0, "Xã": 1.0}

# "<full> " → "<abbreviated> " at the start of an address part
ABBREVIATIONS = [
    (r["full"] + " ", r["abbreviated"] + " ") for r in csv_rows(_PACKAGE, "address_abbreviations.csv")
]
