"""The typed records the clean register is built from: households and persons, with the internal codes of
household kinds and member roles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SINGLE, COUPLE, LONE_PARENT, WITH_PARENTS, WITH_GRANDCHILDREN = range(5)
HEAD, SPOUSE, CHILD, PARENT, SON, DAUGHTER_IN_LAW, GRANDCHILD = range(7)


@dataclass
class Households:
    size: np.ndarray  # members at cfg.start
    kind: np.ndarray
    commune: np.ndarray  # row of geo.communes
    hamlet: np.ndarray  # row of the hamlet table
    ethnic: np.ndarray  # index into ETHNIC_CODES
    religion: np.ndarray  # index into RELIGIONS
    father_surname: np.ndarray  # surname of the household's children (the father's)


@dataclass
class Persons:
    """Every person of the period (those alive at cfg.start, then the newborns), one array entry each."""

    hh: np.ndarray
    slot: np.ndarray  # position in the household (0 = head)
    role: np.ndarray
    female: np.ndarray
    birth: np.ndarray  # day number
    surname: np.ndarray
