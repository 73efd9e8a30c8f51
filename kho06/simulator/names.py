"""Vietnamese personal and place names, drawn in bulk.

Faker's `vi_VN` provider has only a handful of names (10 surnames, 20 male given names), too few for two
million people, so the lists in `data/` extend it: `surnames.csv` (weights from published frequency estimates),
`middle_names.csv`, `given_names.csv` (added to Faker's), `hamlet_kinds.csv` and `hamlet_words.csv`.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from faker.providers.person.vi_VN import Provider as _FakerPerson

from kho06.simulator.datafiles import csv_rows, csv_weights

_PACKAGE = "kho06.simulator"


def _by_sex(name: str, column: str, sex: str) -> list[str]:
    return [row[column] for row in csv_rows(_PACKAGE, name) if row["sex"] == sex]


_SURNAMES = csv_weights(_PACKAGE, "surnames.csv", "surname")
_MIDDLE_MALE = _by_sex("middle_names.csv", "middle_name", "male")
_MIDDLE_FEMALE = _by_sex("middle_names.csv", "middle_name", "female")
_GIVEN_MALE = sorted(
    set(_FakerPerson.first_names_male) | set(_by_sex("given_names.csv", "given_name", "male"))
)
_GIVEN_FEMALE = sorted(
    set(_FakerPerson.first_names_female) | set(_by_sex("given_names.csv", "given_name", "female"))
)
_HAMLET_KINDS = np.repeat(
    [row["kind"] for row in csv_rows(_PACKAGE, "hamlet_kinds.csv")],
    [int(row["weight"]) for row in csv_rows(_PACKAGE, "hamlet_kinds.csv")],
)
_HAMLET_WORDS = [row["word"] for row in csv_rows(_PACKAGE, "hamlet_words.csv")]

SURNAMES = np.array(list(_SURNAMES))
_SURNAME_P = np.array(list(_SURNAMES.values())) / sum(_SURNAMES.values())


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    return SURNAMES[rng.choice(len(SURNAMES), size=n, p=_SURNAME_P)]


def full_names(rng: np.random.Generator, female: np.ndarray, surname: np.ndarray | None = None) -> pl.Series:
    """Họ, chữ đệm và tên for each person (`female` is a boolean array); `surname` may be given (families)."""
    n = len(female)
    last = surname if surname is not None else surnames(rng, n)
    middle = np.where(
        female,
        np.array(_MIDDLE_FEMALE)[rng.integers(0, len(_MIDDLE_FEMALE), n)],
        np.array(_MIDDLE_MALE)[rng.integers(0, len(_MIDDLE_MALE), n)],
    )
    given = np.where(
        female,
        np.array(_GIVEN_FEMALE)[rng.integers(0, len(_GIVEN_FEMALE), n)],
        np.array(_GIVEN_MALE)[rng.integers(0, len(_GIVEN_MALE), n)],
    )
    return pl.DataFrame({"a": last, "b": middle, "c": given}).select(
        pl.concat_str(["a", "b", "c"], separator=" ").alias("name")
    )["name"]


def hamlet_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Names of thôn/xóm (e.g. 'Thôn Phú Lạc', 'Xóm 3')."""
    kind = _HAMLET_KINDS[rng.integers(0, len(_HAMLET_KINDS), n)]
    words = np.array(_HAMLET_WORDS)
    named = np.char.add(
        np.char.add(words[rng.integers(0, len(words), n)], " "), words[rng.integers(0, len(words), n)]
    )
    numbered = rng.integers(1, 15, n).astype(str)
    label = np.where(rng.random(n) < 0.3, numbered, named)
    return np.char.add(np.char.add(kind, " "), label)
