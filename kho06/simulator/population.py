"""The population feed: the province's resident register (CSDL quốc gia về dân cư), as delivered to the warehouse.

Writes under `cfg.out/population/` (contract: docs/contracts/population.md):

* `snapshot/<district_code>.csv`: the register at the end of `cfg.end`, one file per district, DC01 layout;
* `events/<YYYY>/<YYYY-MM-DD>.csv`: the life events of each day of the period (births, deaths, moves,
  corrections), one file per day, header even when the day is empty.

The clean register is built in three steps, all from `clean...` streams:

1. households at `cfg.start`: size (1–9), composition (head, spouse, children, the head's parents, a married son
   with his wife and children), ages, sexes, family surnames, commune and thôn/xóm;
2. the period's events: births into households with a mother of child-bearing age, deaths of household members
   other than the head (age-weighted), moves of whole households to another commune, one-field corrections;
3. names, citizen IDs and record ids; snapshot and events are derived from the same person table, so they agree.

Exactly `cfg.scaled(2_100_000)` persons are alive at `cfg.end`. Defects are injected afterwards from `defects...`
streams, so a record no defect touches is byte-identical at every defect rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from vietnamadminunits.database import query

from kho06.simulator import names
from kho06.simulator.config import FeedResult, SimConfig
from kho06.simulator.geography import LEGACY_PROVINCE_NAME, Geography
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog, defect_count, pick_disjoint

FEED = "population"

LIVING_RESIDENTS = (
    2_100_000  # KPI population_records_digitised (registered residents, not the census population)
)
PERSONS_PER_HOUSEHOLD = 3.64  # about 577,600 households at scale 1
BIRTH_RATE = 0.015  # per resident per year
DEATH_RATE = 0.0065
MOVE_RATE = 0.02  # share of residents whose household moves to another commune, per year
CORRECTION_RATE = 0.01

SNAPSHOT_COLUMNS = {
    "rid": "Mã bản ghi",
    "name": "Họ chữ đệm và tên",
    "birth": "Ngày sinh",
    "sex": "Giới tính",
    "pid": "Số định danh cá nhân",
    "ethnic": "Dân tộc",
    "religion": "Tôn giáo",
    "nationality": "Quốc tịch",
    "province": "Tỉnh",
    "district_name": "Huyện",
    "commune_name": "Xã",
    "commune_code": "Mã xã",
    "hamlet": "Thôn/Xóm",
    "relation": "Quan hệ với chủ hộ",
    "head_pid": "Số định danh chủ hộ",
    "hh_code": "Mã hộ",
    "status": "Tình trạng",
    "updated": "Ngày cập nhật",
}
EVENT_COLUMNS = {
    "eid": "Mã biến động",
    "type": "Loại biến động",
    "rid": "Mã bản ghi",
    "pid": "Số định danh cá nhân",
    "day_text": "Ngày hiệu lực",
    "commune_code": "Mã xã",
    "other_code": "Mã xã chuyển đến/đi",
    "field": "Trường đính chính",
    "old": "Giá trị cũ",
    "new": "Giá trị mới",
}
DATE_FORMAT = "%d/%m/%Y"

ALIVE, DEAD = "Còn sống", "Đã chết"
NATIONALITY = "Việt Nam"
BIRTH, DEATH, MOVE_OUT, MOVE_IN, CORRECTION = "Khai sinh", "Khai tử", "Chuyển đi", "Chuyển đến", "Đính chính"
EVENT_TYPES = (BIRTH, DEATH, MOVE_OUT, MOVE_IN, CORRECTION)  # also the order of events within a day's file

HEAD_RELATION = "Chủ hộ"
RELATIONS = ("Chủ hộ", "Vợ", "Chồng", "Con", "Con dâu", "Cháu", "Bố", "Mẹ")

# Ethnic groups, codes of QĐ 121-TCTK/PPCĐ (01–54). Minorities living in the province, with their share of the
# non-Kinh: 18 Sán Dìu, 02 Tày, 04 Hoa, 06 Mường, 07 Nùng, 03 Thái, 09 Dao.
KINH = "01"
MINORITIES = {"18": 0.30, "02": 0.20, "04": 0.15, "06": 0.15, "07": 0.10, "03": 0.06, "09": 0.04}
KINH_SHARE = 0.995
ETHNIC_CODES = (KINH, *MINORITIES)
RELIGIONS = {"Không": 0.905, "Phật giáo": 0.06, "Công giáo": 0.033, "Tin lành": 0.002}

# Citizen-ID prefix: province of birth registration. Hải Dương for most; others weighted by nearness and migration.
HOME_PREFIX = "030"
OTHER_PREFIXES = {
    "001": 25,
    "031": 15,
    "033": 12,
    "022": 10,
    "034": 10,
    "036": 6,
    "024": 6,
    "027": 6,
    "079": 5,
    "035": 3,
    "037": 2,
}
OTHER_PREFIX_SHARE = 0.12
OLD_CMND_PREFIX = "14"  # 9-digit identity cards (CMND) issued in Hải Hưng / Hải Dương

# Household sizes 1..9: a census-like shape (most households of 3–5), tilted to the wanted mean.
_SIZE_SHAPE = np.array([10.5, 18.0, 21.0, 27.0, 13.0, 6.5, 2.5, 1.0, 0.5])

# Household kinds and member roles (internal codes).
SINGLE, COUPLE, LONE_PARENT, WITH_PARENTS, WITH_GRANDCHILDREN = range(5)
HEAD, SPOUSE, CHILD, PARENT, SON, DAUGHTER_IN_LAW, GRANDCHILD = range(7)

DAYS_PER_YEAR = 365.2425
EPOCH = np.datetime64("1970-01-01", "D")

CORRECTED_FIELDS = {"name": 0.45, "birth": 0.25, "religion": 0.15, "ethnic": 0.10, "sex": 0.05}

STALE_YEARS = 10  # Ngày cập nhật more than this many years before cfg.end on a living record is stale


# ---------------------------------------------------------------------------------------------------------------
# small helpers


def _day(d: date) -> int:
    """Days since 1970-01-01."""
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _years_of(days: np.ndarray) -> np.ndarray:
    return _dates(days).dt.year().to_numpy()


def _apportion(weights: np.ndarray, total: int, minimum: int = 0) -> np.ndarray:
    """Split `total` into integer parts proportional to `weights` (largest remainder), each at least `minimum`."""
    parts = np.full(len(weights), minimum, dtype=np.int64)
    rest = total - parts.sum()
    if rest < 0:
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} out of {total}")
    quota = weights / weights.sum() * rest
    parts += np.floor(quota).astype(np.int64)
    left = total - parts.sum()
    order = np.argsort(-(quota - np.floor(quota)), kind="stable")
    parts[order[:left]] += 1
    return parts


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct positions drawn with probability proportional to `weights` (Efraimidis–Spirakis), sorted."""
    if k > np.count_nonzero(weights):
        raise ValueError(f"cannot draw {k} from {np.count_nonzero(weights)} candidates")
    keys = np.full(len(weights), -np.inf)
    nz = weights > 0
    keys[nz] = np.log(rng.random(np.count_nonzero(nz))) / weights[nz]
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k else np.empty(0, dtype=np.int64)


def _choice_index(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(table.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    return np.array(list(table))[_choice_index(rng, table, n)]


def _labels(values, index: np.ndarray) -> pl.Series:
    """values[index] as a string column (cheaper than converting a numpy string array)."""
    return pl.Series(list(values), dtype=pl.String).gather(index)


@lru_cache(maxsize=1)
def province_codes() -> tuple[str, ...]:
    """The 63 province codes (3 digits) that may open a citizen ID, from the legacy administrative units."""
    rows = query("select distinct provinceCode from admin_units_legacy")
    return tuple(sorted(r["provinceCode"].zfill(3) for r in rows))


# ---------------------------------------------------------------------------------------------------------------
# step 1: households at cfg.start


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


def household_sizes(rng: np.random.Generator, households: int, persons: int) -> np.ndarray:
    """Sizes 1..9 of `households` households holding exactly `persons` persons, census-shaped."""
    if not households <= persons <= 9 * households:
        raise ValueError(f"{persons} persons do not fit {households} households of 1–9")
    sizes = np.arange(1, 10)
    lo, hi = -3.0, 3.0
    for _ in range(60):  # exponential tilt of the census shape so its mean is persons / households
        theta = (lo + hi) / 2
        p = _SIZE_SHAPE * np.exp(theta * sizes)
        lo, hi = (theta, hi) if p @ sizes / p.sum() < persons / households else (lo, theta)
    out = np.repeat(sizes, _apportion(p, households))
    rng.shuffle(out)
    diff = persons - int(out.sum())
    step = 1 if diff > 0 else -1
    room = np.flatnonzero(out < 9) if diff > 0 else np.flatnonzero(out > 1)
    out[rng.choice(room, size=abs(diff), replace=False)] += step
    return out


def _household_kinds(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    u = rng.random(len(size))
    small = np.select([u < 0.70, u < 1.0], [COUPLE, LONE_PARENT])
    three = np.select([u < 0.72, u < 0.82], [COUPLE, LONE_PARENT], WITH_PARENTS)
    mid = np.select([u < 0.60, u < 0.65, u < 0.82], [COUPLE, LONE_PARENT, WITH_PARENTS], WITH_GRANDCHILDREN)
    big = np.select([u < 0.40, u < 0.43, u < 0.68], [COUPLE, LONE_PARENT, WITH_PARENTS], WITH_GRANDCHILDREN)
    return np.select([size == 1, size == 2, size == 3, size <= 5], [SINGLE, small, three, mid], big).astype(
        np.int8
    )


def commune_weights(rng: np.random.Generator, geo: Geography) -> np.ndarray:
    """Relative population of each commune: wards and towns are denser than rural communes, with spread."""
    kind = geo.communes["commune_type"].to_numpy()
    base = np.select([kind == "Phường", kind == "Thị trấn"], [1.5, 1.3], 1.0)
    return base * rng.lognormal(0.0, 0.3, len(kind))


def hamlet_table(rng: np.random.Generator, n_communes: int) -> pl.DataFrame:
    """5–20 thôn/xóm per commune, names unique within the commune: columns commune, hamlet (row = hamlet id)."""
    wanted = rng.integers(5, 21, n_communes)
    draws = 80
    table = (
        pl.DataFrame(
            {
                "commune": np.repeat(np.arange(n_communes), draws),
                "hamlet": names.hamlet_names(rng, n_communes * draws),
            }
        )
        .unique(maintain_order=True)
        .with_columns(rank=pl.int_range(pl.len()).over("commune"))
        .join(
            pl.DataFrame({"commune": np.arange(n_communes), "wanted": wanted}),
            on="commune",
            maintain_order="left",
        )
        .filter(pl.col("rank") < pl.col("wanted"))
        .drop("rank", "wanted")
    )
    if len(table) != wanted.sum():
        raise RuntimeError("not enough distinct thôn/xóm names drawn")
    return table


def _place(rng: np.random.Generator, weights: np.ndarray, hamlets: pl.DataFrame, households: int):
    """Commune and thôn/xóm of each household; every commune gets at least one household when there are enough."""
    minimum = 1 if households >= len(weights) else 0
    commune = np.repeat(np.arange(len(weights)), _apportion(weights, households, minimum=minimum))
    counts = hamlets.group_by("commune", maintain_order=True).len()["len"].to_numpy()
    first = np.cumsum(counts) - counts
    hamlet = first[commune] + np.floor(rng.random(households) * counts[commune]).astype(np.int64)
    return commune, hamlet


def _gap(rng: np.random.Generator, parent_age: np.ndarray) -> np.ndarray:
    """Age of a parent at a child's birth: 19..min(parent age, 44), most often in the twenties."""
    top = np.minimum(np.maximum(parent_age, 19.0), 44.0)
    return 19.0 + (top - 19.0) * rng.triangular(0.0, 0.3, 1.0, len(parent_age))


def build_households(rng: np.random.Generator, geo: Geography, households: int, persons: int, start: int):
    """Households and their members at cfg.start."""
    size = household_sizes(rng, households, persons)
    kind = _household_kinds(rng, size)
    weights = commune_weights(rng, geo)
    hamlets = hamlet_table(rng, len(weights))
    commune, hamlet = _place(rng, weights, hamlets, households)
    kinh = rng.random(households) < KINH_SHARE
    ethnic = np.where(kinh, 0, 1 + _choice_index(rng, MINORITIES, households))
    religion = _choice_index(rng, RELIGIONS, households)
    people, father_surname = _members(rng, size, kind, start)
    return Households(size, kind, commune, hamlet, ethnic, religion, father_surname), people, weights, hamlets


def _head_ages(rng: np.random.Generator, kind: np.ndarray, size: np.ndarray):
    n = len(kind)
    elderly = rng.random(n) < 0.45
    young_couple = rng.random(n) < 0.30
    single = np.where(elderly, np.minimum(60 + rng.gamma(1.6, 8.0, n), 100), rng.uniform(20, 60, n))
    childless = np.where(young_couple, rng.uniform(21, 32, n), np.minimum(48 + rng.gamma(2.0, 8.0, n), 95))
    parents = np.minimum(23 + rng.gamma(2.2, 8.5, n), 85)
    age = np.select(
        [
            kind == SINGLE,
            (kind == COUPLE) & (size == 2),
            kind == COUPLE,
            kind == LONE_PARENT,
            kind == WITH_PARENTS,
        ],
        [single, childless, parents, np.minimum(28 + rng.gamma(3.0, 7.0, n), 92), rng.uniform(22, 50, n)],
        np.minimum(52 + rng.gamma(2.0, 6.5, n), 90),
    )
    female_p = np.select(
        [kind == SINGLE, kind == LONE_PARENT], [np.where(elderly, 0.68, 0.40), np.full(n, 0.75)], 0.15
    )
    return age, rng.random(n) < female_p


def _members(rng: np.random.Generator, size: np.ndarray, kind: np.ndarray, start: int):
    """The members of each household (roles by position, ages consistent with the roles, family surnames), and
    the surname the household's children carry (their father's)."""
    n_hh = len(size)
    head_age, head_female = _head_ages(rng, kind, size)
    has_spouse = np.isin(kind, [COUPLE, WITH_PARENTS, WITH_GRANDCHILDREN])
    spouse_age = head_age + np.where(head_female, 1, -1) * rng.normal(3.0, 2.5, n_hh)
    spouse_age = np.maximum(spouse_age, np.where(kind == WITH_GRANDCHILDREN, 45.0, 19.0))
    young = np.where(has_spouse, np.minimum(head_age, spouse_age), head_age)  # the younger parent
    n_parents = np.where((kind == WITH_PARENTS) & (size >= 4) & (rng.random(n_hh) < 0.45), 2, 1)
    lone_parent_female = rng.random(n_hh) < 0.65
    mother_age = np.minimum(head_age + rng.uniform(20, 34, n_hh), 99)
    father_age = np.minimum(mother_age + rng.uniform(0, 6, n_hh), 100)
    son_age = young - rng.uniform(20.0, np.maximum(np.minimum(35.0, young - 21.0), 20.001))
    dil_age = np.maximum(son_age + rng.normal(-2.5, 2.0, n_hh), 19.0)

    head_surname = names.surnames(rng, n_hh)
    spouse_surname = names.surnames(rng, n_hh)
    absent_father_surname = names.surnames(rng, n_hh)
    father_surname = np.select(
        [has_spouse & head_female, ~has_spouse & head_female],
        [spouse_surname, absent_father_surname],
        head_surname,
    )

    idx = np.repeat(np.arange(n_hh), size)
    slot = np.arange(len(idx)) - np.repeat(np.cumsum(size) - size, size)
    k = kind[idx]
    role = np.select(
        [
            slot == 0,
            k == LONE_PARENT,
            slot == 1,
            k == COUPLE,
            (k == WITH_PARENTS) & (slot - 2 < n_parents[idx]),
            k == WITH_PARENTS,
            slot == 2,
            slot == 3,
        ],
        [HEAD, CHILD, SPOUSE, CHILD, PARENT, CHILD, SON, DAUGHTER_IN_LAW],
        GRANDCHILD,
    ).astype(np.int8)
    parent_female = np.where(n_parents[idx] == 2, slot == 3, lone_parent_female[idx])
    female = np.select(
        [role == HEAD, role == SPOUSE, role == PARENT, role == SON, role == DAUGHTER_IN_LAW],
        [head_female[idx], ~head_female[idx], parent_female, False, True],
        rng.random(len(idx)) < 0.485,
    )
    child_age = young[idx] - _gap(rng, young[idx])
    grand_parent = np.minimum(son_age, dil_age)[idx]
    age = np.select(
        [role == HEAD, role == SPOUSE, role == CHILD, role == PARENT, role == SON, role == DAUGHTER_IN_LAW],
        [
            head_age[idx],
            spouse_age[idx],
            child_age,
            np.where(parent_female, mother_age[idx], father_age[idx]),
            son_age[idx],
            dil_age[idx],
        ],
        grand_parent - _gap(rng, grand_parent),
    )
    age = np.clip(age, 0.0, 100.0)
    birth = start - np.maximum(1, np.round(age * DAYS_PER_YEAR)).astype(np.int64)
    own_surname = names.surnames(rng, len(idx))
    surname = np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == PARENT) & ~female,
            (role == PARENT) | (role == DAUGHTER_IN_LAW),
        ],
        [head_surname[idx], spouse_surname[idx], head_surname[idx], own_surname],
        father_surname[idx],
    )
    return Persons(idx, slot.astype(np.int16), role, female, birth, surname), father_surname


# ---------------------------------------------------------------------------------------------------------------
# step 2: the period's events


@dataclass(frozen=True)
class Period:
    start: int  # day numbers, inclusive
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start + 1

    @property
    def years(self) -> float:
        return self.days / 365.25

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.start + rng.integers(0, self.days, n)


@dataclass
class History:
    born: np.ndarray  # person index of each newborn (appended after the persons alive at cfg.start)
    died: np.ndarray  # person index of each death, with its day
    death_day: np.ndarray
    moved: np.ndarray  # household index of each move, with its day and destination
    move_day: np.ndarray
    dest_commune: np.ndarray
    dest_hamlet: np.ndarray
    corrected: np.ndarray  # person index of each correction, with its day and field
    correction_day: np.ndarray
    correction_field: np.ndarray


def event_counts(cfg: SimConfig) -> tuple[int, int, int, int]:
    """Births, deaths, persons moving and corrections over the period, from the annual rates."""
    living = cfg.scaled(LIVING_RESIDENTS)
    years = len(cfg.days()) / 365.25
    return tuple(
        round(rate * living * years) for rate in (BIRTH_RATE, DEATH_RATE, MOVE_RATE, CORRECTION_RATE)
    )


def _births(rng: np.random.Generator, hh: Households, people: Persons, count: int, period: Period):
    """Mothers (one per household) and birth days: wives, female heads with a husband, daughters-in-law, 18–44."""
    kind = hh.kind[people.hh]
    partnered_head = (people.role == HEAD) & np.isin(kind, [COUPLE, WITH_PARENTS])
    eligible = (
        people.female
        & ((people.role == SPOUSE) | (people.role == DAUGHTER_IN_LAW) | partnered_head)
        & (hh.size[people.hh] < 9)
    )
    day = period.draw(rng, len(people.hh))
    age = (day - people.birth) / DAYS_PER_YEAR
    fertility = np.where(eligible & (age >= 18) & (age < 45), np.exp(-(((age - 28.0) / 7.0) ** 2)), 0.0)
    mother = _weighted_sample(rng, fertility, count)
    if len(np.unique(people.hh[mother])) != count:
        raise RuntimeError("two births drawn in one household")
    return mother, day[mother]


def _add_newborns(
    rng: np.random.Generator, hh: Households, people: Persons, mother: np.ndarray, day: np.ndarray
):
    n = len(mother)
    home = people.hh[mother]
    newborn = Persons(
        hh=home,
        slot=hh.size[home].astype(np.int16),
        role=np.where(people.role[mother] == DAUGHTER_IN_LAW, GRANDCHILD, CHILD).astype(np.int8),
        female=rng.random(n) < 0.47,
        birth=day,
        surname=hh.father_surname[home],
    )
    first = len(people.hh)
    merged = Persons(
        *(np.concatenate([getattr(people, f), getattr(newborn, f)]) for f in Persons.__dataclass_fields__)
    )
    return merged, np.arange(first, first + n)


def _deaths(rng, people: Persons, initial: int, mothers: np.ndarray, count: int, period: Period):
    """Deaths among members who are not the head (Gompertz-weighted by age), none of the period's mothers."""
    age = (period.start - people.birth[:initial]) / DAYS_PER_YEAR + period.years / 2
    hazard = 0.0004 + np.exp(-10.2 + 0.095 * age) + np.where(age < 1, 0.002, 0.0)
    hazard[people.role[:initial] == HEAD] = 0.0
    hazard[mothers] = 0.0
    died = _weighted_sample(rng, hazard, count)
    return died, period.draw(rng, count)


def _moves(
    rng,
    hh: Households,
    weights: np.ndarray,
    hamlets: pl.DataFrame,
    district: np.ndarray,
    busy: np.ndarray,
    persons: int,
    period: Period,
):
    """Whole households (without a birth or death in the period) moving to another commune, half of them within
    their district, until `persons` persons have moved."""
    order = rng.permutation(np.flatnonzero(~busy))
    moved = np.sort(order[np.cumsum(hh.size[order]) <= persons])
    origin = hh.commune[moved]
    by_district = np.argsort(district, kind="stable")  # communes grouped by district
    rank = np.empty_like(by_district)
    rank[by_district] = np.arange(len(by_district))
    cum = np.cumsum(weights[by_district])
    d = district[by_district]
    lo_of = np.r_[0.0, cum][np.searchsorted(d, d, side="left")]  # weight before the commune's district
    hi_of = cum[np.searchsorted(d, d, side="right") - 1]
    same = rng.random(len(moved)) < 0.5
    lo = np.where(same, lo_of[rank[origin]], 0.0)
    hi = np.where(same, hi_of[rank[origin]], cum[-1])
    dest = origin.copy()
    clash = np.ones(len(moved), dtype=bool)
    while clash.any():
        u = lo[clash] + rng.random(clash.sum()) * (hi[clash] - lo[clash])
        dest[clash] = by_district[np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)]
        clash = dest == origin
    counts = hamlets.group_by("commune", maintain_order=True).len()["len"].to_numpy()
    hamlet = (np.cumsum(counts) - counts)[dest] + np.floor(rng.random(len(moved)) * counts[dest]).astype(
        np.int64
    )
    return moved, period.draw(rng, len(moved)), dest, hamlet


def simulate_period(cfg: SimConfig, geo: Geography):
    """Households at cfg.start and everything that happens to them until cfg.end."""
    period = Period(_day(cfg.start), _day(cfg.end))
    living = cfg.scaled(LIVING_RESIDENTS)
    n_births, n_deaths, n_movers, n_corrections = event_counts(cfg)
    households = max(1, round(living / PERSONS_PER_HOUSEHOLD))
    initial = living - n_births + n_deaths

    hh, people, weights, hamlets = build_households(
        cfg.rng(FEED, "clean-households"), geo, households, initial, period.start
    )
    rng = cfg.rng(FEED, "clean-events")
    mother, birth_day = _births(rng, hh, people, n_births, period)
    people, born = _add_newborns(rng, hh, people, mother, birth_day)
    died, death_day = _deaths(rng, people, initial, mother, n_deaths, period)
    busy = np.zeros(households, dtype=bool)
    busy[people.hh[mother]] = True
    busy[people.hh[died]] = True
    district = geo.communes["district_code"].cast(pl.Int32).to_numpy()
    moved, move_day, dest, dest_hamlet = _moves(rng, hh, weights, hamlets, district, busy, n_movers, period)
    alive = np.ones(initial, dtype=bool)
    alive[died] = False
    corrected = np.sort(rng.choice(np.flatnonzero(alive), size=n_corrections, replace=False))
    field = _choice(rng, CORRECTED_FIELDS, n_corrections)
    history = History(
        born,
        died,
        death_day,
        moved,
        move_day,
        dest,
        dest_hamlet,
        corrected,
        period.draw(rng, n_corrections),
        field,
    )
    return period, hh, people, hamlets, history


# ---------------------------------------------------------------------------------------------------------------
# step 3: identities, the clean snapshot and the clean events


def citizen_ids(rng: np.random.Generator, people: Persons, newborn: np.ndarray) -> pl.Series:
    """12-digit IDs: prefix of the province of birth registration, century+sex digit, year, 6 random digits."""
    n = len(people.hh)
    other = rng.random(n) < OTHER_PREFIX_SHARE
    other[newborn] = False
    prefix = np.where(other, _choice(rng, OTHER_PREFIXES, n), HOME_PREFIX).astype(np.int64)
    year = _years_of(people.birth).astype(np.int64)
    digit4 = 2 * (year // 100 - 19) + people.female
    head = prefix * 1_000_000_000 + digit4 * 100_000_000 + (year % 100) * 1_000_000
    return pl.Series(_unique_numbers(rng, head)).cast(pl.String).str.zfill(12)


def _unique_numbers(
    rng: np.random.Generator, head: np.ndarray, taken: np.ndarray | None = None
) -> np.ndarray:
    """head + 6 random digits, redrawn until no two are equal and none is in `taken`."""
    key = head + rng.integers(0, 1_000_000, len(head))
    taken = np.sort(taken) if taken is not None and len(taken) else None
    while True:
        order = np.argsort(key, kind="stable")
        ranked = key[order]
        clash = np.zeros(len(key), dtype=bool)
        clash[order[1:][ranked[1:] == ranked[:-1]]] = True  # every repeat after its first occurrence
        if taken is not None:
            clash |= taken[np.minimum(np.searchsorted(taken, key), len(taken) - 1)] == key
        if not clash.any():
            return key
        key[clash] = head[clash] + rng.integers(0, 1_000_000, clash.sum())


def _update_days(rng: np.random.Generator, people: Persons, history: History, period: Period) -> np.ndarray:
    """Ngày cập nhật: the day of the record's last event, else a day from two years before the period to its end."""
    lo = np.maximum(people.birth, period.start - 730)
    drawn = lo + np.floor(rng.random(len(lo)) * (period.end - lo + 1)).astype(np.int64)
    none = np.iinfo(np.int64).min
    last = np.full(len(lo), none)
    last[history.born] = people.birth[history.born]
    last[history.died] = history.death_day
    move_day = np.full(people.hh.max() + 1, none)
    move_day[history.moved] = history.move_day
    last = np.maximum(last, move_day[people.hh])
    np.maximum.at(last, history.corrected, history.correction_day)
    return np.where(last != none, last, drawn)


# Column types of the typed snapshot (small categorical columns as Enum to keep 2 million rows compact).
SEX = pl.Enum(["Nam", "Nữ"])
ETHNIC = pl.Enum([f"{i:02d}" for i in range(100)])  # 01–54 valid; the rest can only come from defects
RELIGION = pl.Enum(list(RELIGIONS))
RELATION = pl.Enum(list(RELATIONS))
STATUS = pl.Enum([ALIVE, DEAD])

RID = pl.concat_str(pl.lit("DC01-"), "rid_district", pl.lit("-"), pl.col("seq").cast(pl.String).str.zfill(7))
"""Mã bản ghi from the typed snapshot: 'DC01-<district of first registration>-<7-digit number in it>'."""
HH_CODE = pl.lit("HO") + (pl.col("hh") + 1).cast(pl.String).str.zfill(8)
"""Mã hộ from the household number."""


def _enum(values, dtype: pl.Enum, index: np.ndarray) -> pl.Series:
    return pl.Series(list(values)).cast(dtype).gather(index)


@dataclass
class Register:
    snapshot: pl.DataFrame
    """typed, one row per person in file order: rid_district, seq, district, commune, hamlet, hh, name, birth,
    sex, pid, ethnic, religion, relation, head_pid, status, updated"""
    events: pl.DataFrame
    """typed, sorted and numbered within each day: eid, day, type, rid, pid, commune_code, other_code, field, old,
    new"""
    period: Period
    hamlets: pl.DataFrame  # commune (row of geo.communes), hamlet name; row = hamlet number
    households: int
    districts: pl.Enum


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
                    "rid_district": _enum(
                        self.districts.categories, self.districts, self.first_district[person]
                    ),
                    "seq": self.seq[person],
                }
            )
            .select(RID)
            .to_series()
        )


def clean_register(cfg: SimConfig, geo: Geography) -> Register:
    """The clean snapshot and the clean events, as typed frames."""
    period, hh, people, hamlets, history = simulate_period(cfg, geo)
    rng = cfg.rng(FEED, "clean-identities")
    n = len(people.hh)
    name = names.full_names(rng, people.female, people.surname).str.to_uppercase()
    pid = citizen_ids(rng, people, history.born)
    updated = _update_days(rng, people, history, period)

    codes = geo.districts["district_code"]
    districts = pl.Enum(codes)
    district_of = geo.communes["district_code"].replace_strict(codes, pl.Series(range(len(codes)))).to_numpy()
    first_district = district_of[hh.commune[people.hh]]
    seq = _record_numbers(people, first_district)

    end_commune, end_hamlet = hh.commune.copy(), hh.hamlet.copy()
    end_commune[history.moved], end_hamlet[history.moved] = history.dest_commune, history.dest_hamlet
    head_of = np.empty(len(hh.size), dtype=np.int64)
    head_of[people.hh[people.slot == 0]] = np.flatnonzero(people.slot == 0)
    dead = np.zeros(n, dtype=bool)
    dead[history.died] = True

    order = np.lexsort((people.slot, people.hh, end_commune[people.hh]))  # file order
    home = people.hh[order]
    snapshot = pl.DataFrame(
        {
            "rid_district": _enum(codes, districts, first_district[order]),
            "seq": seq[order].astype(np.int32),
            "district": _enum(codes, districts, district_of[end_commune[home]]),
            "commune": end_commune[home].astype(np.int32),
            "hamlet": end_hamlet[home].astype(np.int32),
            "hh": home.astype(np.int32),
            "name": name.gather(order),
            "birth": _dates(people.birth[order]),
            "sex": _enum(SEX.categories, SEX, people.female[order].astype(np.int8)),
            "pid": pid.gather(order),
            "ethnic": _enum(ETHNIC_CODES, ETHNIC, hh.ethnic[home]),
            "religion": _enum(RELIGIONS, RELIGION, hh.religion[home]),
            "relation": _enum(RELATIONS, RELATION, _relations(people)[order]),
            "head_pid": pid.gather(head_of[home]),
            "status": _enum(STATUS.categories, STATUS, dead[order].astype(np.int8)),
            "updated": _dates(updated[order]),
        }
    )
    identity = Identity(people, hh, name, pid, first_district, seq, districts)
    events = _clean_events(cfg, identity, history, geo)
    return Register(snapshot, events, period, hamlets, len(hh.size), districts)


def _record_numbers(people: Persons, district: np.ndarray) -> np.ndarray:
    """Number of each record within its district of first registration (1, 2, ...), in household order."""
    by_record = np.lexsort((people.slot, people.hh, district))
    d = district[by_record]
    seq = np.empty(len(d), dtype=np.int64)
    seq[by_record] = np.arange(len(d)) - np.searchsorted(d, d, side="left") + 1
    return seq


def _relations(people: Persons) -> np.ndarray:
    """Index into RELATIONS of each person's relation to the head."""
    role, female = people.role, people.female
    return np.select(
        [
            role == HEAD,
            role == SPOUSE,
            (role == CHILD) | (role == SON),
            role == DAUGHTER_IN_LAW,
            role == GRANDCHILD,
        ],
        [0, np.where(female, 1, 2), 3, 4, 5],
        np.where(female, 7, 6),
    ).astype(np.int8)


def _correction_values(rng: np.random.Generator, rows: pl.DataFrame, field: np.ndarray) -> pl.DataFrame:
    """Field label, old and new value of each correction; the new value is the snapshot's."""
    n = len(rows)
    alt = names.full_names(rng, rows["female"].to_numpy(), rows["name"].str.extract(r"^(\S+)").to_numpy())
    shift = rng.integers(1, 61, n)
    other_religion = _choice(rng, {k: v for k, v in RELIGIONS.items() if k != "Không"}, n)
    minority = _choice(rng, MINORITIES, n)
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


def _clean_events(cfg: SimConfig, ident: Identity, history: History, geo: Geography) -> pl.DataFrame:
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
                "birth": _dates(people.birth[c]),
                "female": people.female[c],
                "sex": _labels(("Nam", "Nữ"), people.female[c].astype(np.int8)),
                "ethnic": _labels(ETHNIC_CODES, hh.ethnic[home[c]]),
                "religion": _labels(RELIGIONS, hh.religion[home[c]]),
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


# ---------------------------------------------------------------------------------------------------------------
# defects

# class -> (criterion, base: the clean records the class draws from and is counted against)
DEFECT_CLASSES = {
    "invalid_id_structure": ("đúng", "living"),
    "impossible_birth_date": ("đúng", "living"),
    "ethnic_code_out_of_list": ("đúng", "living"),
    "missing_mandatory_field": ("đủ", "living"),
    "household_without_head": ("đủ", "households"),
    "duplicate_record": ("sạch", "living"),
    "non_nfc_name": ("sạch", "living"),
    "shared_id": ("sạch", "living"),
    "duplicate_event": ("sạch", "events"),
    "dead_still_active": ("sống", "dead"),
    "stale_update": ("sống", "living"),
}
ID_DEFECTS = (
    "cmnd_9_digits",
    "lost_leading_zero",
    "unknown_prefix",
    "sex_digit",
    "century_digit",
    "birth_year_digits",
)
BIRTH_DEFECTS = ("future", "before_1900", "after_update")
FOREIGN_ETHNIC_CODES = {"55": 0.4, "99": 0.4, "00": 0.2}  # codes of the other (population-ordered) coding
MANDATORY = ("name", "birth", "pid")


class _Edits:
    """In-place changes to snapshot columns (row positions are disjoint across classes) and added rows."""

    def __init__(self, snapshot: pl.DataFrame) -> None:
        self.snapshot = snapshot
        self.changes: dict[str, list[tuple[np.ndarray, pl.Series]]] = {}
        self.added: list[pl.DataFrame] = []

    def set(self, column: str, rows: np.ndarray, values) -> None:
        series = pl.Series(values, dtype=self.snapshot.schema[column])
        self.changes.setdefault(column, []).append((rows, series))

    def rids(self, rows: np.ndarray) -> pl.Series:
        return self.snapshot.select("rid_district", "seq")[rows].select(RID).to_series()

    def apply(self) -> pl.DataFrame:
        columns = {}
        for column, changes in self.changes.items():
            series = self.snapshot[column].clone()  # scatter works in place
            for rows, values in changes:
                if len(rows):
                    series = series.scatter(rows, values)
            columns[column] = series
        out = self.snapshot.with_columns(**columns)
        return pl.concat([out, *self.added]) if self.added else out


def _detail(prefix: str, values) -> pl.Series:
    """`prefix` followed by each value, as one detail string per record."""
    return (
        pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
        .select(pl.concat_str(pl.lit(prefix), "v"))
        .to_series()
    )


def _mask(n: int, rows: np.ndarray) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[rows] = True
    return m


def inject_defects(cfg: SimConfig, reg: Register, geo: Geography, truth: DefectLog):
    """Every defect class on its own records; returns the snapshot and events to write."""
    snap = reg.snapshot
    n = len(snap)
    living = (snap["status"] == ALIVE).to_numpy()
    head = (snap["relation"] == HEAD_RELATION).to_numpy()
    bases = {
        "living": int(living.sum()),
        "households": reg.households,
        "dead": int((~living).sum()),
        "events": len(reg.events),
    }
    count = {c: defect_count(cfg.defect_rate, bases[base]) for c, (_, base) in DEFECT_CLASSES.items()}
    pick_rng = cfg.rng(FEED, "defects-pick")
    edits = _Edits(snap)

    def log(defect_class: str, keys, detail) -> None:
        truth.add(FEED, keys, defect_class, DEFECT_CLASSES[defect_class][0], detail)

    target, owner = _shared_id_pairs(pick_rng, snap, living & ~head, count["shared_id"])
    taken = _mask(n, np.concatenate([target, owner]))
    edits.set("pid", target, snap["pid"].gather(owner))
    log("shared_id", edits.rids(target), _detail("ID of ", edits.rids(owner)))

    birth_days = snap["birth"].cast(pl.Int32).to_numpy()
    nfd_differs = (snap["name"].str.normalize("NFD") != snap["name"]).to_numpy()
    # old enough to have had an ID card (14) at the stale date, at most STALE_YEARS + 10 years back
    adult = birth_days <= _day(cfg.end) - round((STALE_YEARS + 10 + 15) * DAYS_PER_YEAR)
    eligible = {
        "duplicate_record": living & ~head,
        "invalid_id_structure": living & ~head,
        "missing_mandatory_field": living & ~head,
        "household_without_head": head,
        "impossible_birth_date": living,
        "ethnic_code_out_of_list": living,
        "non_nfc_name": living & nfd_differs,
        "stale_update": living & adult,
        "dead_still_active": ~living,
    }
    handlers = {
        "duplicate_record": _duplicate_records,
        "invalid_id_structure": _invalid_ids,
        "missing_mandatory_field": _missing_fields,
        "household_without_head": _headless_households,
        "impossible_birth_date": _impossible_births,
        "ethnic_code_out_of_list": _foreign_ethnic_codes,
        "non_nfc_name": _decomposed_names,
        "stale_update": _stale_updates,
        "dead_still_active": _dead_still_active,
    }
    rows = {}
    for defect_class, ok in eligible.items():
        (rows[defect_class],) = pick_disjoint(pick_rng, n, [count[defect_class]], taken | ~ok)
        taken[rows[defect_class]] = True
    for defect_class, handler in handlers.items():
        rng = cfg.rng(FEED, f"defects-{defect_class}")
        log(defect_class, *handler(rng, edits, rows[defect_class], reg, geo))

    events, keys, detail = _duplicate_events(pick_rng, reg.events, count["duplicate_event"])
    log("duplicate_event", keys, detail)
    return edits.apply(), events


def _shared_id_pairs(rng: np.random.Generator, snap: pl.DataFrame, pool: np.ndarray, count: int):
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


def _hamlet_in(rng: np.random.Generator, hamlets: pl.DataFrame, commune: np.ndarray) -> np.ndarray:
    """A random thôn/xóm (row of the hamlet table) of each given commune."""
    counts = hamlets.group_by("commune", maintain_order=True).len()["len"].to_numpy()
    pick = (np.cumsum(counts) - counts)[commune] + np.floor(rng.random(len(commune)) * counts[commune])
    return pick.astype(np.int32)


def _duplicate_records(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """The same person written again under a new Mã bản ghi (numbered after the last record of the original's
    district, so it sorts after the original): 70% at the same address and household, 30% at an older address in
    another commune, as the head of a household of one. The copy is the defective record."""
    snap = edits.snapshot
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
            new_hamlet=pl.Series(_hamlet_in(rng, reg.hamlets, commune)),
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
    detail = _detail("copy of ", edits.rids(rows)).to_frame("d").select(pl.concat_str("d", where)).to_series()
    return copy.select(RID).to_series(), detail


def _invalid_ids(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """Citizen IDs that break the structure: an old 9-digit CMND, a lost leading zero (11 digits), a prefix that
    is no province code, digit 4 contradicting sex or century, digits 5–6 contradicting the birth year."""
    m = len(rows)
    snap = edits.snapshot
    pid = snap["pid"].gather(rows)
    number = pid.cast(pl.Int64).to_numpy()
    prefix, d4, yy = number // 10**9, (number // 10**8) % 10, (number // 10**6) % 100
    kind = rng.integers(0, len(ID_DEFECTS), m)
    unknown = np.array(sorted(set(range(100)) - {int(c) for c in province_codes()}))
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
    twelve = pl.Series(_unique_numbers(rng, head, taken=existing)).cast(pl.String).str.zfill(12)
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
    return edits.rids(rows), np.array(ID_DEFECTS)[kind]


def _missing_fields(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """A mandatory field left empty: the name, the date of birth or the citizen ID."""
    field = np.array(MANDATORY)[rng.integers(0, len(MANDATORY), len(rows))]
    for column in MANDATORY:
        hit = rows[field == column]
        edits.set(column, hit, [None] * len(hit))
    return edits.rids(rows), [SNAPSHOT_COLUMNS[f] for f in field]


def _headless_households(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """The head's relation overwritten (Chồng / Vợ by sex), so the household has no Chủ hộ; key = the former head."""
    male = (edits.snapshot["sex"].gather(rows) == "Nam").to_numpy()
    relation = np.where(male, "Chồng", "Vợ")
    edits.set("relation", rows, relation)
    return edits.rids(rows), _detail(f"{HEAD_RELATION} → ", relation)


def _impossible_births(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """A date of birth after the snapshot date, before 1900, or after the record's Ngày cập nhật."""
    m = len(rows)
    end = reg.period.end
    updated = edits.snapshot["updated"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    kind = rng.integers(0, len(BIRTH_DEFECTS), m)
    kind = np.where((kind == 2) & (updated >= end), 0, kind)
    birth = np.select(
        [kind == 0, kind == 1],
        [end + rng.integers(1, 3651, m), _day(date(1850, 1, 1)) + rng.integers(0, 50 * 365, m)],
        updated + 1 + np.floor(rng.random(m) * np.maximum(end - updated, 0)).astype(np.int64),
    )
    edits.set("birth", rows, _dates(birth))
    return edits.rids(rows), np.array(BIRTH_DEFECTS)[kind]


def _foreign_ethnic_codes(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """An ethnic code of the other, population-ordered coding (55 foreigner, 99 unknown, 00)."""
    code = _choice(rng, FOREIGN_ETHNIC_CODES, len(rows))
    old = edits.snapshot["ethnic"].gather(rows).cast(pl.String)
    edits.set("ethnic", rows, code)
    return edits.rids(rows), pl.DataFrame({"o": old, "n": code}).select(
        pl.concat_str("o", pl.lit(" → "), "n")
    ).to_series()


def _decomposed_names(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """The name in decomposed Unicode (NFD): looks the same, compares and joins differently."""
    edits.set("name", rows, edits.snapshot["name"].gather(rows).str.normalize("NFD"))
    return edits.rids(rows), "NFD"


def _stale_updates(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """A living adult's record last updated 11–20 years before the snapshot date."""
    end = reg.period.end
    years = rng.uniform(STALE_YEARS + 1, STALE_YEARS + 10, len(rows))
    updated = _dates(end - np.round(years * DAYS_PER_YEAR).astype(np.int64))
    edits.set("updated", rows, updated)
    return edits.rids(rows), _detail("Ngày cập nhật ", updated.dt.strftime(DATE_FORMAT))


def _dead_still_active(rng, edits: _Edits, rows: np.ndarray, reg: Register, geo: Geography):
    """A person whose death is in the event files, still 'Còn sống' in the snapshot, last updated before death."""
    snap = edits.snapshot
    death = snap["updated"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    birth = snap["birth"].gather(rows).cast(pl.Int32).to_numpy().astype(np.int64)
    lo = np.maximum(birth, death - 730)
    before = lo + np.floor(rng.random(len(rows)) * (death - lo)).astype(np.int64)
    edits.set("status", rows, [ALIVE] * len(rows))
    edits.set("updated", rows, _dates(before))
    return edits.rids(rows), _detail(f"{DEATH} ", _dates(death).dt.strftime(DATE_FORMAT))


def _duplicate_events(rng: np.random.Generator, events: pl.DataFrame, count: int):
    """An event written twice in its day's file, the copy under the day's next Mã biến động."""
    (rows,) = pick_disjoint(rng, len(events), [count])
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
    return pl.concat([events, copy]), copy["eid"], _detail("copy of ", events["eid"].gather(rows))


# ---------------------------------------------------------------------------------------------------------------
# writing


def _write(frame: pl.DataFrame, path: Path) -> int:
    frame.write_csv(path, include_bom=True)
    return path.stat().st_size


def write_snapshot(folder: Path, snap: pl.DataFrame, reg: Register, geo: Geography, progress: FeedProgress):
    """One CSV per district of residence at cfg.end; returns files, rows, bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    communes = geo.communes.with_row_index("commune").select(
        pl.col("commune").cast(pl.Int32), "district_name", "commune_name", "commune_code"
    )
    hamlet_names = reg.hamlets["hamlet"]
    formatted = {
        "rid": RID,
        "birth": pl.col("birth").dt.strftime(DATE_FORMAT),
        "updated": pl.col("updated").dt.strftime(DATE_FORMAT),
        "nationality": pl.lit(NATIONALITY),
        "province": pl.lit(LEGACY_PROVINCE_NAME),
        "hh_code": HH_CODE,
    }
    columns = [formatted.get(c, pl.col(c)).alias(label) for c, label in SNAPSHOT_COLUMNS.items()]
    parts = snap.partition_by("district", as_dict=True, maintain_order=True)
    size = rows = 0
    for code in geo.districts["district_code"]:
        part = parts.get((code,), snap.clear())
        out = (
            part.join(communes, on="commune", how="left", maintain_order="left")
            .with_columns(hamlet=hamlet_names.gather(part["hamlet"]))
            .select(columns)
        )
        size += _write(out, folder / f"{code}.csv")
        rows += len(out)
        progress.advance()
    return len(geo.districts), rows, size


def write_events(folder: Path, events: pl.DataFrame, cfg: SimConfig, progress: FeedProgress):
    """One CSV per day of the period, header always present; returns files, rows, bytes.

    The events are rendered as CSV once and the text is cut at day boundaries (no field holds a line break),
    which avoids a CSV writer call per file.
    """
    events = events.sort("day", maintain_order=True)
    out = events.with_columns(day_text=pl.col("day").dt.strftime(DATE_FORMAT)).select(
        *[pl.col(c).alias(label) for c, label in EVENT_COLUMNS.items()]
    )
    header = out.clear().write_csv(include_bom=True).encode()
    body = out.write_csv(include_header=False).encode()
    line_ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == ord("\n")) + 1
    if len(line_ends) != len(out):
        raise RuntimeError("an event field holds a line break")
    days = cfg.days()
    per_day = np.bincount(
        (events["day"].cast(pl.Int32).to_numpy() - _day(cfg.start)).astype(np.int64), minlength=len(days)
    )
    cuts = np.r_[0, line_ends][np.r_[0, np.cumsum(per_day)]]
    size = 0
    for year in np.unique(days.astype("datetime64[Y]")):
        (folder / str(year)).mkdir(parents=True, exist_ok=True)
    for i, day in enumerate(days.astype(object)):
        path = folder / f"{day.year}" / f"{day.isoformat()}.csv"
        path.write_bytes(header + body[cuts[i] : cuts[i + 1]])
        size += len(header) + int(cuts[i + 1] - cuts[i])
        progress.advance()
    return len(days), len(out), size


def simulate(cfg: SimConfig, geo: Geography, truth: DefectLog, progress: FeedProgress) -> FeedResult:
    root = cfg.feed_dir(FEED)
    progress.start(len(geo.districts) + len(cfg.days()))
    register = clean_register(cfg, geo)
    snapshot, events = inject_defects(cfg, register, geo, truth)
    snap_files, snap_rows, snap_bytes = write_snapshot(root / "snapshot", snapshot, register, geo, progress)
    event_files, event_rows, event_bytes = write_events(root / "events", events, cfg, progress)
    return FeedResult(FEED, snap_files + event_files, snap_rows + event_rows, snap_bytes + event_bytes)
