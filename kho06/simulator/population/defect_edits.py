"""How each population defect class changes the clean register: in-place changes to snapshot columns (at row
positions no other class touches) and added rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator.population.days import DAYS_PER_YEAR, dates, day_number
from kho06.simulator.population.households import hamlets_in
from kho06.simulator.population.identities import unique_numbers
from kho06.simulator.population.layout import (
    ALIVE,
    DATE_FORMAT,
    DEATH,
    HEAD_RELATION,
    RELATION,
    RID,
    SNAPSHOT_COLUMNS,
)
from kho06.simulator.population.register import Register
from kho06.simulator.population.vocabularies import FOREIGN_ETHNIC_CODES, OLD_CMND_PREFIX
from kho06.simulator.sampling import choice
from kho06.simulator.truth import Injected

ID_DEFECTS = (
    "cmnd_9_digits",
    "lost_leading_zero",
    "unknown_prefix",
    "sex_digit",
    "century_digit",
    "birth_year_digits",
)
BIRTH_DEFECTS = ("future", "before_1900", "after_update")
MANDATORY = ("name", "birth", "pid")
STALE_YEARS = 10  # Ngày cập nhật more than this many years before cfg.end on a living record is stale


class RegisterEdits:
    """The register as the classes change it. Changes to snapshot columns are kept and applied at the end (row
    positions are disjoint across classes; every class reads the clean snapshot); added snapshot rows and
    events are appended."""

    def __init__(self, reg: Register, geo: Geography) -> None:
        self.reg, self.geo = reg, geo
        self.snapshot = reg.snapshot
        self.changes: dict[str, list[tuple[np.ndarray, pl.Series]]] = {}
        self.added: list[pl.DataFrame] = []
        self.added_events: list[pl.DataFrame] = []
        self.id_owners = np.zeros(0, dtype=np.int64)  # for shared_id: whose ID each of its rows takes

    def set(self, column: str, rows: np.ndarray, values) -> None:
        series = pl.Series(values, dtype=self.snapshot.schema[column])
        self.changes.setdefault(column, []).append((rows, series))

    def rids(self, rows: np.ndarray) -> pl.Series:
        return self.snapshot.select("rid_district", "seq")[rows].select(RID).to_series()

    def apply(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The snapshot and the events to write."""
        columns = {}
        for column, changes in self.changes.items():
            series = self.snapshot[column].clone()  # scatter works in place
            for rows, values in changes:
                if len(rows):
                    series = series.scatter(rows, values)
            columns[column] = series
        out = self.snapshot.with_columns(**columns)
        snapshot = pl.concat([out, *self.added]) if self.added else out
        return snapshot, pl.concat([self.reg.events, *self.added_events])


def prefixed(prefix: str, values) -> pl.Series:
    """`prefix` followed by each value, as one detail string per record."""
    return (
        pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
        .select(pl.concat_str(pl.lit(prefix), "v"))
        .to_series()
    )


def shared_id_pairs(rng: np.random.Generator, snap: pl.DataFrame, pool: np.ndarray, count: int):
    """Pairs of different persons of the same sex and birth year (so the shared ID stays well-formed for both);
    the record with the greater Mã bản ghi takes the other's ID."""
    order = rng.permutation(np.flatnonzero(pool))
    female = (snap["sex"] == "Nữ").to_numpy()[order]
    year = snap["birth"].dt.year().to_numpy()[order]
    sort = np.lexsort((year, female))
    order, group = order[sort], (female * 10_000 + year)[sort]
    pairs = len(order) // 2
    a, b = order[0 : 2 * pairs : 2], order[1 : 2 * pairs : 2]
    same = np.flatnonzero(group[0 : 2 * pairs : 2] == group[1 : 2 * pairs : 2])
    chosen = np.sort(rng.choice(same, size=count, replace=False))
    a, b = a[chosen], b[chosen]
    key = (snap["rid_district"].to_physical().cast(pl.Int64) * 10**7 + snap["seq"]).to_numpy()
    later = key[a] > key[b]
    return np.where(later, a, b), np.where(later, b, a)


def duplicate_records(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """The same person written again under a new Mã bản ghi (numbered after the last record of the original's
    district, so it sorts after the original): 70% at the same address and household, 30% at an older address in
    another commune, as the head of a household of one. The copy is the defective record."""
    snap = edits.snapshot
    reg, geo = edits.reg, edits.geo
    n_communes = len(geo.communes)
    source = snap[rows]
    elsewhere = rng.random(len(rows)) < 0.3
    other = (source["commune"].to_numpy() + rng.integers(1, n_communes, len(rows))) % n_communes
    commune = np.where(elsewhere, other, source["commune"].to_numpy()).astype(np.int32)
    district = pl.Series(geo.communes["district_code"].gather(commune)).cast(reg.districts)
    last_seq = snap.group_by("rid_district").agg(last=pl.col("seq").max())
    copy = (
        source.with_columns(
            elsewhere=pl.Series(elsewhere),
            new_commune=pl.Series(commune),
            new_district=district,
            new_hamlet=pl.Series(hamlets_in(rng, reg.hamlets, commune).astype(np.int32)),
            new_hh=pl.Series(reg.households - 1 + np.cumsum(elsewhere), dtype=pl.Int32),
        )
        .join(last_seq, on="rid_district", how="left", maintain_order="left")
        .with_columns(
            seq=pl.col("last") + pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("rid_district"),
            commune="new_commune",
            district="new_district",
            hamlet=pl.when("elsewhere").then("new_hamlet").otherwise("hamlet"),
            hh=pl.when("elsewhere").then("new_hh").otherwise("hh"),
            relation=pl.when("elsewhere").then(pl.lit(HEAD_RELATION, RELATION)).otherwise("relation"),
            head_pid=pl.when("elsewhere").then("pid").otherwise("head_pid"),
        )
        .select(snap.columns)
    )
    edits.added.append(copy)
    where = pl.Series(np.where(elsewhere, " (another commune)", ""), dtype=pl.String)
    detail = (
        prefixed("copy of ", edits.rids(rows)).to_frame("d").select(pl.concat_str("d", where)).to_series()
    )
    return Injected(copy.select(RID).to_series(), detail)


def invalid_ids(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """Citizen IDs that break the structure: an old 9-digit CMND, a lost leading zero (11 digits), a prefix that
    is no province code, digit 4 contradicting sex or century, digits 5–6 contradicting the birth year."""
    m = len(rows)
    snap = edits.snapshot
    pid = snap["pid"].gather(rows)
    number = pid.cast(pl.Int64).to_numpy()
    prefix, d4, yy = number // 10**9, (number // 10**8) % 10, (number // 10**6) % 100
    kind = rng.integers(0, len(ID_DEFECTS), m)
    unknown = np.array(sorted(set(range(100)) - {int(c) for c in citizen_id_prefixes()}))
    bad_prefix = unknown[rng.integers(0, len(unknown), m)]
    year_shift = rng.integers(1, 10, m)
    head = np.select(
        [kind == 2, kind == 3, kind == 4],
        [
            bad_prefix * 10**9 + d4 * 10**8 + yy * 10**6,
            prefix * 10**9 + (d4 ^ 1) * 10**8 + yy * 10**6,
            prefix * 10**9 + (d4 ^ 2) * 10**8 + yy * 10**6,
        ],
        prefix * 10**9 + d4 * 10**8 + ((yy + year_shift) % 100) * 10**6,
    )
    existing = snap["pid"].cast(pl.Int64).to_numpy()
    twelve = pl.Series(unique_numbers(rng, head, taken=existing)).cast(pl.String).str.zfill(12)
    cmnd = pl.Series(rng.choice(10**7, size=m, replace=False)).cast(pl.String).str.zfill(7)
    new = (
        pl.DataFrame({"kind": kind, "pid": pid, "twelve": twelve, "cmnd": cmnd})
        .select(
            pl.when(pl.col("kind") == 0)
            .then(pl.lit(OLD_CMND_PREFIX) + pl.col("cmnd"))
            .when(pl.col("kind") == 1)
            .then(pl.col("pid").str.slice(1))
            .otherwise("twelve")
        )
        .to_series()
    )
    edits.set("pid", rows, new)
    return Injected(edits.rids(rows), np.array(ID_DEFECTS)[kind])


def missing_fields(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """A mandatory field left empty: the name, the date of birth or the citizen ID."""
    field = np.array(MANDATORY)[rng.integers(0, len(MANDATORY), len(rows))]
    for column in MANDATORY:
        hit = rows[field == column]
        edits.set(column, hit, [None] * len(hit))
    return Injected(edits.rids(rows), [SNAPSHOT_COLUMNS[f] for f in field])


def headless_households(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """The head's relation overwritten (Chồng / Vợ by sex), so the household has no Chủ hộ; key = the former head."""
    male = (edits.snapshot["sex"].gather(rows) == "Nam").to_numpy()
    relation = np.where(male, "Chồng", "Vợ")
    edits.set("relation", rows, relation)
    return Injected(edits.rids(rows), prefixed(f"{HEAD_RELATION} → ", relation))


def impossible_births(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """A date of birth after the snapshot date, before 1900, or after the record's Ngày cập nhật."""
    m = len(rows)
    end = edits.reg.period.end
    updated = edits.snapshot["updated"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    kind = rng.integers(0, len(BIRTH_DEFECTS), m)
    kind = np.where((kind == 2) & (updated >= end), 0, kind)
    birth = np.select(
        [kind == 0, kind == 1],
        [end + rng.integers(1, 3651, m), day_number(date(1850, 1, 1)) + rng.integers(0, 50 * 365, m)],
        updated + 1 + np.floor(rng.random(m) * np.maximum(end - updated, 0)).astype(np.int64),
    )
    edits.set("birth", rows, dates(birth))
    return Injected(edits.rids(rows), np.array(BIRTH_DEFECTS)[kind])


def foreign_ethnic_codes(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """An ethnic code of the other, population-ordered coding (55 foreigner, 99 unknown, 00)."""
    code = choice(rng, FOREIGN_ETHNIC_CODES, len(rows))
    old = edits.snapshot["ethnic"].gather(rows).cast(pl.String)
    edits.set("ethnic", rows, code)
    detail = pl.DataFrame({"o": old, "n": code}).select(pl.concat_str("o", pl.lit(" → "), "n"))
    return Injected(edits.rids(rows), detail.to_series())


def decomposed_names(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """The name in decomposed Unicode (NFD): looks the same, compares and joins differently."""
    edits.set("name", rows, edits.snapshot["name"].gather(rows).str.normalize("NFD"))
    return Injected(edits.rids(rows), "NFD")


def stale_updates(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """A living adult's record last updated 11–20 years before the snapshot date."""
    end = edits.reg.period.end
    years = rng.uniform(STALE_YEARS + 1, STALE_YEARS + 10, len(rows))
    updated = dates(end - np.round(years * DAYS_PER_YEAR).astype(np.int64))
    edits.set("updated", rows, updated)
    return Injected(edits.rids(rows), prefixed("Ngày cập nhật ", updated.dt.strftime(DATE_FORMAT)))


def dead_still_active(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """A person whose death is in the event files, still 'Còn sống' in the snapshot, last updated before death."""
    snap = edits.snapshot
    death = snap["updated"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    birth = snap["birth"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    lo = np.maximum(birth, death - 730)
    before = lo + np.floor(rng.random(len(rows)) * (death - lo)).astype(np.int64)
    edits.set("status", rows, [ALIVE] * len(rows))
    edits.set("updated", rows, dates(before))
    return Injected(edits.rids(rows), prefixed(f"{DEATH} ", dates(death).dt.strftime(DATE_FORMAT)))


def shared_ids(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """A second person given the ID of another (`edits.id_owners`, paired by the driver)."""
    edits.set("pid", rows, edits.snapshot["pid"].gather(edits.id_owners))
    return Injected(edits.rids(rows), prefixed("ID of ", edits.rids(edits.id_owners)))


def duplicate_events(rng: np.random.Generator, edits: RegisterEdits, rows: np.ndarray) -> Injected:
    """An event written twice in its day's file, the copy under the day's next Mã biến động (`rows` are
    positions in the events)."""
    events = edits.reg.events
    per_day = events.group_by("day").len().rename({"len": "last"})
    copy = (
        events[rows]
        .join(per_day, on="day", how="left", maintain_order="left")
        .with_columns(
            eid=pl.concat_str(
                pl.lit("BD-"),
                pl.col("day").dt.strftime("%Y%m%d"),
                pl.lit("-"),
                (pl.col("last") + pl.int_range(1, pl.len() + 1).over("day")).cast(pl.String).str.zfill(5),
            )
        )
        .select(events.columns)
    )
    edits.added_events.append(copy)
    return Injected(copy["eid"], prefixed("copy of ", events["eid"].gather(rows)))
