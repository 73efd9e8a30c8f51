"""The procedure fields (lĩnh vực) and the 25 essential services of Đề án 06, read from `data/`:
`procedure_fields.yaml` (each field's figures and its procedure names), `essential_services.csv`,
`departments.csv`."""

from __future__ import annotations

from dataclasses import dataclass

from kho06.simulator.datafiles import csv_column, csv_rows, yaml_data
from kho06.simulator.dossiers.layout import CAP_NAMES

_PACKAGE = "kho06.simulator.dossiers"
DEFAULT_FEE_NAME = "Phí, lệ phí giải quyết thủ tục hành chính"
DEPARTMENTS = csv_column(_PACKAGE, "departments.csv", "department")


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    dept: int  # index into DEPARTMENTS: the agency of its province-level procedures
    cap: tuple[float, ...]  # weights of Tỉnh / Huyện / Xã
    n: int  # procedures in the catalogue
    vol: float  # relative dossier volume
    biz: float  # share of applicants that are businesses
    online: float  # affinity to level 4 (toàn trình)
    days: tuple[int, ...]  # legal processing times (working days)
    fee_p: float  # share of its procedures with a fee
    fees: tuple[int, ...]
    fee_name: str
    candidates: tuple[str, ...]  # procedure names to draw from, in order, without repeats


@dataclass(frozen=True)
class Essential:
    """One of the essential services: always in the catalogue, with its own share of the dossiers."""

    name: str
    field: str  # code of its Field
    cap: int  # handling level (index into CAP_NAMES)
    days: int
    fee: int
    level: int  # service level (mức độ)
    share: float  # share of all dossiers
    biz: float  # share of business applicants
    dept: int | None  # index into DEPARTMENTS when not the field's department


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _candidates(groups: list[dict]) -> tuple[str, ...]:
    """Every pattern × object × qualifier of each group (a `list` group names its procedures outright)."""
    names: list[str] = []
    for group in groups:
        patterns = group.get("list") or group["patterns"]
        for p in patterns:
            for o in group.get("objects", [""]):
                for q in group.get("qualifiers", [""]):
                    names.append(_cap_first(p.format(o=o) + q))
    return tuple(dict.fromkeys(names))


def _field(entry: dict) -> Field:
    return Field(
        code=entry["code"],
        name=entry["name"],
        dept=DEPARTMENTS.index(entry["department"]),
        cap=tuple(float(w) for w in entry["level_weights"]),
        n=int(entry["procedures"]),
        vol=float(entry["volume"]),
        biz=float(entry["business_share"]),
        online=float(entry["online_affinity"]),
        days=tuple(int(d) for d in entry["legal_days"]),
        fee_p=float(entry["fee_share"]),
        fees=tuple(int(f) for f in entry["fees"]),
        fee_name=entry.get("fee_name", DEFAULT_FEE_NAME),
        candidates=_candidates(entry["names"]),
    )


def _essential(row: dict[str, str]) -> Essential:
    return Essential(
        name=row["name"],
        field=row["field"],
        cap=CAP_NAMES.index(row["handling_level"]),
        days=int(row["legal_days"]),
        fee=int(row["fee"]),
        level=int(row["service_level"]),
        share=float(row["dossier_share"]),
        biz=float(row["business_share"]),
        dept=DEPARTMENTS.index(row["department"]) if row["department"] else None,
    )


FIELDS = [_field(entry) for entry in yaml_data(_PACKAGE, "procedure_fields.yaml")]
FIELD_INDEX = {f.code: i for i, f in enumerate(FIELDS)}
ESSENTIALS = [_essential(row) for row in csv_rows(_PACKAGE, "essential_services.csv")]
