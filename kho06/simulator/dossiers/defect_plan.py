"""The planned defects of the dossiers: for each class its dossiers (positions in the facts), the values it writes
and how it writes them; the month loop takes the touched rows of its month out of the month's frame, changes
them class by class and encodes them again (`defective_rows`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from kho06.simulator.config import SimConfig
from kho06.simulator.dossiers.facts import Facts
from kho06.simulator.dossiers.layout import APPLICANT_COLUMNS, PROC_FIELDS, dossier_codes
from kho06.simulator.dossiers.pieces import Lookups, json_members

Edit = Callable[[pl.DataFrame, np.ndarray, dict[str, np.ndarray], Lookups], pl.DataFrame]
"""(the touched rows' frame, this class's rows in it, its values for those rows, lookups) -> the changed frame"""


@dataclass(frozen=True)
class Planned:
    rows: np.ndarray
    values: dict[str, np.ndarray]
    edit: Edit | None  # None: the dossier's line is written again on a later day (duplicate_sync)


@dataclass
class DefectPlan:
    cfg: SimConfig
    facts: Facts
    agencies: pl.DataFrame
    planned: list[Planned] = field(default_factory=list)
    repeats: Planned | None = None  # the dossiers sent again, values["target"] the day of their repeat

    def codes(self, rows: np.ndarray) -> pl.Series:
        """MaHoSo of the dossiers at `rows`."""
        f = self.facts
        return dossier_codes(self.agencies["MaDonVi"].gather(f.agency[rows]), f.day[rows], f.seq[rows])

    def write(self, rows: np.ndarray, edit: Edit | None, **values: np.ndarray) -> Planned:
        planned = Planned(rows, values, edit)
        self.planned.append(planned)
        return planned


def defective_rows(
    frame: pl.DataFrame, plan: DefectPlan, lo: int, hi: int, look: Lookups
) -> tuple[np.ndarray, pl.DataFrame]:
    """The month's rows touched by a planned defect (positions in the frame) and their pieces with the defects
    written in: the rows are taken out with their source fields, changed and re-encoded."""
    parts = [(p, (p.rows >= lo) & (p.rows < hi)) for p in plan.planned]
    touched = np.unique(np.concatenate([np.zeros(0, np.int64)] + [p.rows[m] - lo for p, m in parts]))
    sub = frame[touched]
    sub = pl.concat(
        [sub, look.cat[sub["proc"]], look.applicants[sub["who"]].drop("applicant_json")], how="horizontal"
    )
    for p, sel in parts:
        if sel.any() and p.edit is not None:
            rows = np.searchsorted(touched, p.rows[sel] - lo)
            sub = p.edit(sub, rows, {k: v[sel] for k, v in p.values.items()}, look)
    return touched, sub.with_columns(
        json_members(sub, PROC_FIELDS).alias("proc_json"),
        json_members(sub, APPLICANT_COLUMNS).alias("applicant_json"),
    )
