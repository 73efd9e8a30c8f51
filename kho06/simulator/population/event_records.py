"""Step 3, the event files' rows: births, deaths, moves (out and in) and corrections, typed, sorted and numbered
within their day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from kho06.reference.admin_units import Geography
from kho06.simulator import names
from kho06.simulator.config import SimConfig
from kho06.simulator.population.days import dates
from kho06.simulator.population.events import History
from kho06.simulator.population.layout import (
    BIRTH,
    CORRECTION,
    DATE_FORMAT,
    DEATH,
    EVENT_TYPES,
    FEED,
    MOVE_IN,
    MOVE_OUT,
    RID,
    SNAPSHOT_COLUMNS,
    enum_of,
    labels,
)
from kho06.simulator.population.records import Households, Persons
from kho06.simulator.population.vocabularies import ETHNIC_CODES, KINH, MINORITIES, RELIGIONS
from kho06.simulator.sampling import choice


@dataclass
class Identity:
    """What the events need to know of each person (person order)."""

    people: Persons
    hh: Households
    name: pl.Series
    pid: pl.Series
    first_district: np.ndarray  # district (row of geo.districts) of first registration
    seq: np.ndarray  # number of the record within that district
    districts: pl.Enum

    def rids(self, person: np.ndarray) -> pl.Series:
        return (
            pl.DataFrame(
                {
                    "rid_district": enum_of(
                        self.districts.categories, self.districts, self.first_district[person]
                    ),
                    "seq": self.seq[person],
                }
            )
            .select(RID)
            .to_series()
        )


def _correction_values(rng: np.random.Generator, rows: pl.DataFrame, field: np.ndarray) -> pl.DataFrame:
    """Field label, old and new value of each correction; the new value is the snapshot's."""
    n = len(rows)
    alt = names.full_names(rng, rows["female"].to_numpy(), rows["name"].str.extract(r"^(\S+)").to_numpy())
    shift = rng.integers(1, 61, n)
    other_religion = choice(rng, {k: v for k, v in RELIGIONS.items() if k != "Không"}, n)
    minority = choice(rng, MINORITIES, n)
    given_changed = rng.random(n) < 0.5
    new_name = pl.col("name")
    other_given = new_name.str.replace(r"\S+$", pl.col("alt").str.to_uppercase().str.extract(r"(\S+)$"))
    unaccented = new_name.str.normalize("NFD").str.replace_all(r"\p{M}", "").str.replace_all("Đ", "D")
    later = pl.col("birth") + pl.duration(days=pl.col("shift"))
    earlier = pl.col("birth") - pl.duration(days=pl.col("shift"))
    values = {
        "name": (
            pl.when(pl.col("given_changed") & (other_given != new_name))
            .then(other_given)
            .when(unaccented != new_name)
            .then(unaccented)
            .when(other_given != new_name)
            .then(other_given)
            .otherwise(pl.col("alt").str.to_uppercase()),
            new_name,
        ),
        "birth": (
            pl.when(later.dt.year() == pl.col("birth").dt.year())
            .then(later)
            .otherwise(earlier)
            .dt.strftime(DATE_FORMAT),
            pl.col("birth").dt.strftime(DATE_FORMAT),
        ),
        "sex": (pl.when(pl.col("sex") == "Nam").then(pl.lit("Nữ")).otherwise(pl.lit("Nam")), pl.col("sex")),
        "ethnic": (
            pl.when(pl.col("ethnic") == KINH).then(pl.col("minority")).otherwise(pl.lit(KINH)),
            pl.col("ethnic"),
        ),
        "religion": (
            pl.when(pl.col("religion") == "Không").then(pl.col("other_religion")).otherwise(pl.lit("Không")),
            pl.col("religion"),
        ),
    }
    old = pl.lit(None, pl.String)
    new = pl.lit(None, pl.String)
    for key, (old_value, new_value) in values.items():
        old = pl.when(pl.col("key") == key).then(old_value).otherwise(old)
        new = pl.when(pl.col("key") == key).then(new_value).otherwise(new)
    labels = pl.DataFrame({"key": list(SNAPSHOT_COLUMNS), "field": list(SNAPSHOT_COLUMNS.values())})
    return (
        rows.with_columns(
            key=pl.Series(field),
            alt=alt,
            shift=pl.Series(shift),
            other_religion=pl.Series(other_religion),
            minority=pl.Series(minority),
            given_changed=pl.Series(given_changed),
        )
        .join(labels, on="key", how="left", maintain_order="left")
        .select("person", "field", old.alias("old"), new.alias("new"))
    )


def clean_events(cfg: SimConfig, ident: Identity, history: History, geo: Geography) -> pl.DataFrame:
    """Every event of the period, typed (day as pl.Date), sorted and numbered within its day."""
    codes = geo.communes["commune_code"]
    people, hh = ident.people, ident.hh
    home = people.hh
    move_of_hh = np.full(len(hh.size), -1)
    move_of_hh[history.moved] = np.arange(len(history.moved))
    movers = np.flatnonzero(move_of_hh[home] >= 0)
    move = move_of_hh[home[movers]]
    origin, dest = hh.commune[history.moved][move], history.dest_commune[move]
    corr_move = move_of_hh[home[history.corrected]]
    corr_moved = (corr_move >= 0) & (history.move_day[np.maximum(corr_move, 0)] <= history.correction_day)
    corr_commune = np.where(
        corr_moved, history.dest_commune[np.maximum(corr_move, 0)], hh.commune[home[history.corrected]]
    )

    def part(kind: str, person: np.ndarray, day: np.ndarray, commune: np.ndarray, other=None) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "person": person.astype(np.int64),
                "day": day.astype(np.int32),
                "order": np.full(len(person), EVENT_TYPES.index(kind), dtype=np.int8),
                "commune_code": codes.gather(commune),
                "other_code": codes.gather(other)
                if other is not None
                else pl.repeat(None, len(person), dtype=pl.String, eager=True),
            }
        )

    c = history.corrected
    corrections = _correction_values(
        cfg.rng(FEED, "clean-corrections"),
        pl.DataFrame(
            {
                "person": c,
                "name": ident.name.gather(c),
                "birth": dates(people.birth[c]),
                "female": people.female[c],
                "sex": labels(("Nam", "Nữ"), people.female[c].astype(np.int8)),
                "ethnic": labels(ETHNIC_CODES, hh.ethnic[home[c]]),
                "religion": labels(RELIGIONS, hh.religion[home[c]]),
            }
        ),
        history.correction_field,
    )
    parts = [
        part(BIRTH, history.born, people.birth[history.born], hh.commune[home[history.born]]),
        part(DEATH, history.died, history.death_day, hh.commune[home[history.died]]),
        part(MOVE_OUT, movers, history.move_day[move], origin, dest),
        part(MOVE_IN, movers, history.move_day[move], dest, origin),
        part(CORRECTION, c, history.correction_day, corr_commune).join(
            corrections, on="person", how="left", maintain_order="left"
        ),
    ]
    events = pl.concat(parts, how="diagonal")
    person = events["person"].to_numpy()
    return (
        events.with_columns(
            rid=ident.rids(person),
            pid=ident.pid.gather(person),
            day=pl.col("day").cast(pl.Date),
        )
        .sort("day", "order", "rid")
        .with_columns(
            eid=pl.concat_str(
                pl.lit("BD-"),
                pl.col("day").dt.strftime("%Y%m%d"),
                pl.lit("-"),
                pl.int_range(1, pl.len() + 1).over("day").cast(pl.String).str.zfill(5),
            ),
            type=pl.col("order").replace_strict(dict(enumerate(EVENT_TYPES)), return_dtype=pl.String),
        )
        .select("eid", "day", "type", "rid", "pid", "commune_code", "other_code", "field", "old", "new")
    )
