"""The agencies that handle dossiers: the province system, the departments, the district and commune People's
Committees."""

from __future__ import annotations

import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator.dossiers.layout import PROVINCE_SYSTEM
from kho06.simulator.dossiers.procedures import DEPARTMENTS

SCHEMA = {
    "MaDonVi": pl.String,
    "TenDonVi": pl.String,
    "CapDonVi": pl.String,
    "MaHuyen": pl.String,
    "TenHuyen": pl.String,
    "MaXa": pl.String,
    "TenXa": pl.String,
    "kind": pl.String,
}


def build_agencies(geo: Geography) -> pl.DataFrame:
    """Agency register: the province system, departments, district and commune People's Committees.

    Codes follow the QCVN 102:2016 pattern `aaa.bb.cc.H23`: departments `000.00.<01..>.H23`, the district
    committees `000.00.<31..42>.H23` (in district-code order) and the communes `000.<ordinal>.<district>.H23`.
    """
    system = "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Hải Dương"
    rows = [(PROVINCE_SYSTEM, system, "Tỉnh", None, None, None, None, "system")]
    rows += [
        (f"000.00.{i + 1:02d}.H23", name, "Tỉnh", None, None, None, None, "department")
        for i, name in enumerate(DEPARTMENTS)
    ]
    districts = geo.districts.sort("district_code")
    district_part = {code: 31 + i for i, code in enumerate(districts["district_code"])}
    rows += [
        (
            f"000.00.{district_part[d['district_code']]}.H23",
            f"UBND {d['district_name']}",
            "Huyện",
            d["district_code"],
            d["district_name"],
            None,
            None,
            "district",
        )
        for d in districts.iter_rows(named=True)
    ]
    communes = geo.communes.sort("district_code", "commune_code").with_columns(
        pl.int_range(1, pl.len() + 1).over("district_code").alias("ordinal")
    )
    rows += [
        (
            f"000.{c['ordinal']:02d}.{district_part[c['district_code']]}.H23",
            f"UBND {c['commune_name']}",
            "Xã",
            c["district_code"],
            c["district_name"],
            c["commune_code"],
            c["commune_name"],
            "commune",
        )
        for c in communes.iter_rows(named=True)
    ]
    return pl.DataFrame(rows, orient="row", schema=SCHEMA)
