"""The population feed: layout and encoding, calibration, ID structure, households, events against the snapshot,
determinism, defect-rate independence, and every defect class present at its exact count and visible in the files.

The files are read back the way the warehouse reads them (CSV, UTF-8 with BOM, every column as text); the
`detect` function below is the contract's rule set (docs/contracts/population.md) written over those files.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator import population
from kho06.simulator.config import SimConfig
from kho06.simulator.population import defect_edits, households, layout, period, vocabularies
from kho06.simulator.population import defects as population_defects
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import CRITERIA, DefectLog, defect_count

SCALE = 0.002
RATE = 0.01
BOM = b"\xef\xbb\xbf"
SNAPSHOT_HEADER = list(layout.SNAPSHOT_COLUMNS.values())
EVENT_HEADER = list(layout.EVENT_COLUMNS.values())

RID, NAME, BIRTH, SEX, PID = (
    "Mã bản ghi",
    "Họ chữ đệm và tên",
    "Ngày sinh",
    "Giới tính",
    "Số định danh cá nhân",
)
ETHNIC, COMMUNE, HAMLET, RELATION = "Dân tộc", "Mã xã", "Thôn/Xóm", "Quan hệ với chủ hộ"
HEAD_PID, HOUSEHOLD, STATUS, UPDATED = "Số định danh chủ hộ", "Mã hộ", "Tình trạng", "Ngày cập nhật"
EID, TYPE, DAY, OTHER = "Mã biến động", "Loại biến động", "Ngày hiệu lực", "Mã xã chuyển đến/đi"
FIELD, OLD, NEW = "Trường đính chính", "Giá trị cũ", "Giá trị mới"


# ---------------------------------------------------------------------------------------------------------------
# reading the files back


def snapshot_files(out: Path) -> list[Path]:
    return sorted((out / "population" / "snapshot").glob("*.csv"))


def event_files(out: Path) -> list[Path]:
    return sorted((out / "population" / "events").glob("*/*.csv"))


def read_snapshot(out: Path) -> pl.DataFrame:
    frames = [
        pl.read_csv(path, infer_schema=False).with_columns(file=pl.lit(path.stem))
        for path in snapshot_files(out)
    ]
    return pl.concat(frames).with_columns(
        birth=pl.col(BIRTH).str.to_date("%d/%m/%Y", strict=False),
        updated=pl.col(UPDATED).str.to_date("%d/%m/%Y", strict=False),
    )


def read_events(out: Path) -> pl.DataFrame:
    files = [str(p) for p in event_files(out)]
    return (
        pl.scan_csv(files, infer_schema=False, include_file_paths="path")
        .with_columns(
            file_day=pl.col("path").str.extract(r"(\d{4}-\d{2}-\d{2})\.csv$").str.to_date("%Y-%m-%d"),
            day=pl.col(DAY).str.to_date("%d/%m/%Y"),
        )
        .collect()
    )


def surname(col: str) -> pl.Expr:
    return pl.col(col).str.extract(r"^(\S+)")


@pytest.fixture(scope="module")
def run(simulate_feed):
    return simulate_feed(population, scale=SCALE, defect_rate=RATE)


@pytest.fixture(scope="module")
def clean(simulate_feed):
    return simulate_feed(population, scale=SCALE, defect_rate=0.0)


@pytest.fixture(scope="module")
def clean_data(clean):
    cfg = clean[0]
    return read_snapshot(cfg.out), read_events(cfg.out)


@pytest.fixture(scope="module")
def defect_data(run):
    cfg = run[0]
    return read_snapshot(cfg.out), read_events(cfg.out)


# ---------------------------------------------------------------------------------------------------------------
# the contract's defect rules (in the contract's order; a record is counted under the first rule it fails)


def detect(snap: pl.DataFrame, events: pl.DataFrame, as_of: date) -> dict[str, set[str]]:
    codes = set(citizen_id_prefixes())
    found: dict[str, set[str]] = {}
    left = snap

    def flag(defect_class: str, mask: pl.Expr) -> None:
        nonlocal left
        hit = left.filter(mask)
        found[defect_class] = set(hit[RID])
        left = left.filter(~pl.col(RID).is_in(hit[RID].implode()))

    flag("missing_mandatory_field", pl.col(NAME).is_null() | pl.col(BIRTH).is_null() | pl.col(PID).is_null())
    flag(
        "impossible_birth_date",
        (pl.col("birth") > as_of)
        | (pl.col("birth") < date(1900, 1, 1))
        | (pl.col("birth") > pl.col("updated")),
    )
    year = pl.col("birth").dt.year()
    digit4 = (year // 100 - 19) * 2 + (pl.col(SEX) == "Nữ").cast(pl.Int32)
    well_formed = (
        pl.col(PID).str.contains(r"^\d{12}$")
        & pl.col(PID).str.slice(0, 3).is_in(sorted(codes))
        & (pl.col(PID).str.slice(3, 1) == digit4.cast(pl.String))
        & (pl.col(PID).str.slice(4, 2) == (year % 100).cast(pl.String).str.zfill(2))
    )
    flag("invalid_id_structure", ~well_formed)
    flag("ethnic_code_out_of_list", ~pl.col(ETHNIC).is_in([f"{i:02d}" for i in range(1, 55)]))
    flag("non_nfc_name", pl.col(NAME) != pl.col(NAME).str.normalize("NFC"))
    same_person = [PID, NAME, BIRTH, SEX]
    flag("duplicate_record", pl.col(RID) != pl.col(RID).min().over(same_person))
    shared = pl.struct(NAME, BIRTH).n_unique().over(PID) > 1
    flag("shared_id", shared & (pl.col(RID) != pl.col(RID).min().over(PID)))

    living = snap.filter(pl.col(STATUS) == "Còn sống")
    headless = (
        living.group_by(HOUSEHOLD)
        .agg((pl.col(RELATION) == "Chủ hộ").sum().alias("heads"), pl.col(HEAD_PID).first().alias("head"))
        .filter(pl.col("heads") == 0)
    )
    found["household_without_head"] = set(
        living.join(headless, left_on=[HOUSEHOLD, PID], right_on=[HOUSEHOLD, "head"])[RID]
    )
    died = events.filter(pl.col(TYPE) == "Khai tử")[RID].implode()
    dead_active = living.filter(pl.col(RID).is_in(died))
    found["dead_still_active"] = set(dead_active[RID])
    ten_years = as_of.replace(year=as_of.year - 10)
    stale = living.filter(pl.col("updated") < ten_years)
    found["stale_update"] = set(stale[RID]) - set().union(*found.values())
    content = [c for c in EVENT_HEADER if c != EID]
    found["duplicate_event"] = set(events.filter(pl.col(EID) != pl.col(EID).min().over(content))[EID])
    return found


def indicators(snap: pl.DataFrame, events: pl.DataFrame, as_of: date) -> tuple[int, float]:
    """population_records_digitised and population_digitised_pct as the contract computes them."""
    flagged = detect(snap, events, as_of)
    removed = flagged["duplicate_record"] | flagged["dead_still_active"]
    records = snap.filter((pl.col(STATUS) == "Còn sống") & ~pl.col(RID).is_in(sorted(removed))).height
    died = events.filter(pl.col(TYPE) == "Khai tử")[RID].implode()
    arrived = events.filter(pl.col(TYPE).is_in(["Khai sinh", "Chuyển đến"]) & ~pl.col(RID).is_in(died))
    unrecorded = arrived.filter(~pl.col(RID).is_in(snap[RID].implode()))[RID].n_unique()
    return records, 100 * records / (records + unrecorded)


# ---------------------------------------------------------------------------------------------------------------
# layout, encoding, calibration


def test_files_headers_and_bom(run, geo):
    cfg, result, _ = run
    snaps, days = snapshot_files(cfg.out), event_files(cfg.out)
    assert [p.stem for p in snaps] == geo.districts["district_code"].to_list()
    expected_days = [cfg.start + timedelta(days=i) for i in range((cfg.end - cfg.start).days + 1)]
    assert [p.relative_to(cfg.out / "population" / "events").as_posix() for p in days] == [
        f"{d.year}/{d.isoformat()}.csv" for d in expected_days
    ]
    for paths, header in ((snaps, SNAPSHOT_HEADER), (days, EVENT_HEADER)):
        for path in paths:
            raw = path.read_bytes()
            assert raw.startswith(BOM), path
            assert raw[3:].decode("utf-8").split("\n", 1)[0] == ",".join(header), path
    rows = read_snapshot(cfg.out).height + read_events(cfg.out).height
    size = sum(p.stat().st_size for p in [*snaps, *days])
    assert (result.files, result.records, result.bytes) == (len(snaps) + len(days), rows, size)


def test_living_residents_and_households_calibrated(clean, clean_data):
    cfg, _, truth = clean
    snap, events = clean_data
    living = snap.filter(pl.col(STATUS) == "Còn sống")
    assert truth.is_empty()
    assert living.height == cfg.scaled(period.LIVING_RESIDENTS)
    assert indicators(snap, events, cfg.end) == (cfg.scaled(period.LIVING_RESIDENTS), 100)
    assert set(snap[STATUS]) == {"Còn sống", "Đã chết"}
    sizes = living.group_by(HOUSEHOLD).len()["len"]
    assert sizes.len() == round(living.height / period.PERSONS_PER_HOUSEHOLD)
    assert 1 <= sizes.min() and sizes.max() <= 9
    assert sizes.n_unique() >= 7
    assert 3.6 <= sizes.mean() <= 3.68


def test_event_counts_follow_annual_rates(clean, clean_data):
    cfg, _, _ = clean
    _, events = clean_data
    births, deaths, movers, corrections = period.event_counts(cfg)
    count = dict(events.group_by(TYPE).len().iter_rows())
    assert count["Khai sinh"] == births == round(0.015 * 4200 * 1095 / 365.25)
    assert count["Khai tử"] == deaths
    assert count["Đính chính"] == corrections
    assert count["Chuyển đi"] == count["Chuyển đến"]
    assert 0.8 * movers <= count["Chuyển đến"] <= movers


def test_citizen_ids_follow_the_structure(clean_data):
    snap, _ = clean_data
    codes = set(citizen_id_prefixes())
    ids = snap.select(
        PID,
        female=pl.col(SEX) == "Nữ",
        year=pl.col("birth").dt.year(),
        prefix=pl.col(PID).str.slice(0, 3),
        d4=pl.col(PID).str.slice(3, 1).cast(pl.Int32),
        yy=pl.col(PID).str.slice(4, 2),
    )
    assert ids[PID].str.contains(r"^\d{12}$").all()
    assert ids[PID].n_unique() == ids.height
    assert set(ids["prefix"]) <= codes
    assert (ids["d4"] == (ids["year"] // 100 - 19) * 2 + ids["female"].cast(pl.Int32)).all()
    assert (ids["yy"] == (ids["year"] % 100).cast(pl.String).str.zfill(2)).all()
    assert 0.82 <= (ids["prefix"] == "030").mean() <= 0.94
    assert set(ids["prefix"]) - {"030"} <= set(vocabularies.OTHER_PREFIXES)


def test_households_are_consistent(clean_data):
    snap, _ = clean_data
    living = snap.filter(pl.col(STATUS) == "Còn sống")
    per_household = living.group_by(HOUSEHOLD).agg(
        heads=(pl.col(RELATION) == "Chủ hộ").sum(),
        communes=pl.col(COMMUNE).n_unique(),
        hamlets=pl.col(HAMLET).n_unique(),
        head_ids=pl.col(HEAD_PID).n_unique(),
    )
    assert (per_household["heads"] == 1).all()
    assert (per_household["communes"] == 1).all() and (per_household["hamlets"] == 1).all()
    assert (per_household["head_ids"] == 1).all()
    heads = living.filter(pl.col(RELATION) == "Chủ hộ").select(
        HOUSEHOLD, head_pid=PID, head_birth="birth", head_sex=SEX, head_surname=surname(NAME)
    )
    members = living.join(heads, on=HOUSEHOLD)
    assert (members[HEAD_PID] == members["head_pid"]).all()
    years = (pl.col("birth") - pl.col("head_birth")).dt.total_days() / 365.25
    younger = members.filter(pl.col(RELATION).is_in(["Con", "Cháu"]))
    assert younger.height > 0 and younger.select(years.min()).item() >= 15
    elders = members.filter(pl.col(RELATION).is_in(["Bố", "Mẹ"]))
    assert elders.height > 0 and elders.select(-years.max()).item() >= 15
    spouses = members.filter(pl.col(RELATION).is_in(["Vợ", "Chồng"]))
    assert (spouses[SEX] != spouses["head_sex"]).all()
    assert ((spouses[RELATION] == "Vợ") == (spouses[SEX] == "Nữ")).all()
    assert (
        spouses.select((pl.lit(date(2023, 12, 31)) - pl.col("birth")).dt.total_days().min()).item()
        >= 18 * 365
    )
    # children and grandchildren of a male head carry his surname
    lineage = members.filter(pl.col(RELATION).is_in(["Con", "Cháu"]) & (pl.col("head_sex") == "Nam"))
    assert lineage.height > 0
    assert (lineage.select(surname(NAME))[NAME] == lineage["head_surname"]).all()


def test_geography_names_and_codes(clean_data, geo):
    snap, _ = clean_data
    communes = geo.communes.join(geo.districts.select("district_code"), on="district_code")
    living = snap.filter(pl.col(STATUS) == "Còn sống")
    assert set(living[COMMUNE]) == set(communes["commune_code"])
    placed = snap.join(communes, left_on=COMMUNE, right_on="commune_code")
    assert placed.height == snap.height
    assert (placed["Xã"] == placed["commune_name"]).all()
    assert (placed["Huyện"] == placed["district_name"]).all()
    assert (placed["file"] == placed["district_code"]).all()
    assert set(snap["Tỉnh"]) == {"Tỉnh Hải Dương"} and set(snap["Quốc tịch"]) == {"Việt Nam"}
    assert snap.group_by(COMMUNE).agg(pl.col(HAMLET).n_unique())[HAMLET].max() <= 20
    names = snap[NAME].to_list()
    assert all(n == n.upper() == unicodedata.normalize("NFC", n) for n in names)
    assert any(ch in "ĂÂĐÊÔƠƯẾỄỆỐỒỘỚỜỢỨỪỰ" for n in names for ch in n)
    assert set(snap[ETHNIC]) <= {f"{i:02d}" for i in range(1, 55)}
    assert (snap[ETHNIC] == "01").mean() >= 0.98
    assert 1920 <= snap["birth"].dt.year().min() and snap["birth"].max() <= date(2023, 12, 31)


def test_hamlets_unique_within_commune():
    table = households.hamlet_table(
        SimConfig(out=Path("."), scale=SCALE).rng("population", "clean-test"), 207
    )
    per_commune = table.group_by("commune").agg(n=pl.len(), distinct=pl.col("hamlet").n_unique())
    assert per_commune.height == 207
    assert per_commune["n"].is_between(5, 20).all() and (per_commune["n"] == per_commune["distinct"]).all()


# ---------------------------------------------------------------------------------------------------------------
# events against the snapshot


def test_events_agree_with_the_snapshot(clean, clean_data):
    cfg, _, _ = clean
    snap, events = clean_data
    assert (events["day"] == events["file_day"]).all()
    assert events[EID].n_unique() == events.height
    assert set(events[TYPE]) == set(layout.EVENT_TYPES)
    joined = events.join(snap, on=RID, how="left", suffix="_snap")
    assert joined[NAME].null_count() == 0, "every event concerns a snapshot record"
    assert (joined[PID] == joined[f"{PID}_snap"]).all()

    births = joined.filter(pl.col(TYPE) == "Khai sinh")
    assert (births["birth"] == births["day"]).all() and (births[STATUS] == "Còn sống").all()
    deaths = joined.filter(pl.col(TYPE) == "Khai tử")
    assert (deaths[STATUS] == "Đã chết").all() and (deaths["updated"] == deaths["day"]).all()
    assert deaths.height == snap.filter(pl.col(STATUS) == "Đã chết").height
    arrivals = joined.filter(pl.col(TYPE) == "Chuyển đến")
    assert (arrivals[f"{COMMUNE}_snap"] == arrivals[COMMUNE]).all()
    departures = events.filter(pl.col(TYPE) == "Chuyển đi").select(
        RID, "day", origin=COMMUNE, destination=OTHER
    )
    pairs = arrivals.join(departures, on=[RID, "day"])
    assert pairs.height == arrivals.height == departures.height
    assert (pairs["origin"] == pairs[OTHER]).all() and (pairs["destination"] == pairs[COMMUNE]).all()
    assert (pairs["origin"] != pairs["destination"]).all()

    fixes = joined.filter(pl.col(TYPE) == "Đính chính")
    assert set(fixes[FIELD]) <= {NAME, BIRTH, SEX, ETHNIC, "Tôn giáo"}
    for field in set(fixes[FIELD]):
        rows = fixes.filter(pl.col(FIELD) == field)
        assert (rows[NEW] == rows[field]).all(), field
        assert (rows[OLD] != rows[NEW]).all(), field
    # a record's last update is the day of its last event
    last = events.group_by(RID).agg(pl.col("day").max())
    dated = snap.join(last, on=RID)
    assert (dated["updated"] == dated["day"]).all()
    assert (snap["updated"] >= snap["birth"]).all()
    assert snap["updated"].min() >= cfg.start - timedelta(days=731)


def test_days_without_events_still_have_a_header(tmp_path, geo):
    cfg = SimConfig(out=tmp_path, scale=SCALE, start=date(2022, 1, 1), end=date(2022, 3, 31), defect_rate=0)
    population.simulate(cfg, geo, DefectLog(), FeedProgress())
    files = event_files(tmp_path)
    assert len(files) == 90
    empty = [p for p in files if p.read_bytes().count(b"\n") == 1]
    assert empty, "at this scale some days have no events"
    assert all(p.read_bytes() == BOM + (",".join(EVENT_HEADER) + "\n").encode() for p in empty)


# ---------------------------------------------------------------------------------------------------------------
# determinism and defect-rate independence


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def test_same_config_gives_identical_files(run, tmp_path, geo):
    cfg, _, truth = run
    again = SimConfig(out=tmp_path, scale=cfg.scale, seed=cfg.seed, defect_rate=cfg.defect_rate)
    log = DefectLog()
    population.simulate(again, geo, log, FeedProgress())
    first = _digests(cfg.out / "population")
    assert len(first) == 12 + 1095
    assert _digests(tmp_path / "population") == first
    assert log.frame().equals(truth)


def _lines(paths: list[Path]) -> dict[str, str]:
    """Data lines of the files keyed by their first field (Mã bản ghi / Mã biến động)."""
    out = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            out[line.split(",", 1)[0]] = line
    return out


def test_clean_records_do_not_depend_on_the_defect_rate(run, clean):
    (cfg, _, truth), (clean_cfg, _, _) = run, clean
    touched = set(truth["record_key"])
    for files in (snapshot_files, event_files):
        with_defects, without = _lines(files(cfg.out)), _lines(files(clean_cfg.out))
        assert set(without) <= set(with_defects), "defects never remove a clean record"
        untouched = [k for k in without if k not in touched]
        assert len(untouched) > 0.8 * len(without)
        assert all(with_defects[k] == without[k] for k in untouched)
        assert set(with_defects) - set(without) <= touched, "every added record is in the truth file"


# ---------------------------------------------------------------------------------------------------------------
# defects


def test_every_defect_class_at_its_exact_count(run, clean_data):
    _, _, truth = run
    snap, events = clean_data
    living = snap.filter(pl.col(STATUS) == "Còn sống")
    bases = {
        "living": living.height,
        "households": living[HOUSEHOLD].n_unique(),
        "dead": snap.height - living.height,
        "events": events.height,
    }
    classes = {c.name: (c.criterion, c.base) for c in population_defects.CLASSES}
    assert len(classes) >= 7 and {criterion for criterion, _ in classes.values()} == set(CRITERIA)
    counts = dict(truth.group_by("defect_class").len().iter_rows())
    assert set(counts) == set(classes)
    for defect_class, (criterion, base) in classes.items():
        assert counts[defect_class] == defect_count(RATE, bases[base]) > 0, defect_class
        rows = truth.filter(pl.col("defect_class") == defect_class)
        assert set(rows["criterion"]) == {criterion}
        assert rows["detail"].null_count() == 0
    assert truth["record_key"].n_unique() == truth.height, "one record carries at most one class"


def test_record_keys_exist_in_the_written_files(run, defect_data):
    _, _, truth = run
    snap, events = defect_data
    event_keys = truth.filter(pl.col("defect_class") == "duplicate_event")["record_key"]
    snapshot_keys = truth.filter(pl.col("defect_class") != "duplicate_event")["record_key"]
    assert set(event_keys) <= set(events[EID])
    assert set(snapshot_keys) <= set(snap[RID])
    assert snap[RID].n_unique() == snap.height


def test_contract_rules_find_exactly_the_injected_defects(run, defect_data, clean, clean_data):
    cfg, _, truth = run
    found = detect(*defect_data, cfg.end)
    for defect_class in (c.name for c in population_defects.CLASSES):
        expected = set(truth.filter(pl.col("defect_class") == defect_class)["record_key"])
        assert found[defect_class] == expected, defect_class
    assert not any(detect(*clean_data, clean[0].end).values()), "the clean feed passes every rule"
    assert indicators(*defect_data, cfg.end) == (cfg.scaled(period.LIVING_RESIDENTS), 100)


def test_defect_details_match_the_data(run, defect_data, clean_data):
    _, _, truth = run
    snap, events = defect_data
    clean_snap, _ = clean_data
    rows = truth.join(snap, left_on="record_key", right_on=RID, how="left")

    def of(defect_class: str) -> pl.DataFrame:
        return rows.filter(pl.col("defect_class") == defect_class)

    ids = of("invalid_id_structure")
    assert set(ids["detail"]) == set(defect_edits.ID_DEFECTS)
    assert (ids.filter(pl.col("detail") == "cmnd_9_digits")[PID].str.contains(r"^14\d{7}$")).all()
    assert (ids.filter(pl.col("detail") == "lost_leading_zero")[PID].str.len_chars() == 11).all()
    missing = of("missing_mandatory_field")
    for _, column in missing.group_by("detail"):
        assert column[column["detail"][0]].null_count() == column.height
    births = of("impossible_birth_date")
    assert set(births["detail"]) <= set(defect_edits.BIRTH_DEFECTS)
    assert (births.filter(pl.col("detail") == "before_1900")["birth"].dt.year() < 1900).all()
    codes = of("ethnic_code_out_of_list")
    assert set(codes[ETHNIC]) <= set(vocabularies.FOREIGN_ETHNIC_CODES)
    nfd = of("non_nfc_name")
    assert all(
        unicodedata.is_normalized("NFD", n) and not unicodedata.is_normalized("NFC", n) for n in nfd[NAME]
    )
    headless = of("household_without_head")
    assert (headless[RELATION] != "Chủ hộ").all()
    assert (headless[PID] == headless[HEAD_PID]).all()
    clean_heads = clean_snap.filter(pl.col(RELATION) == "Chủ hộ")[RID]
    assert headless["record_key"].is_in(clean_heads.implode()).all()
    copies = of("duplicate_record").with_columns(source=pl.col("detail").str.extract(r"copy of (\S+)"))
    originals = copies.join(snap, left_on="source", right_on=RID, suffix="_source")
    assert originals.height == copies.height
    assert (originals[PID] == originals[f"{PID}_source"]).all() and (
        originals[NAME] == originals[f"{NAME}_source"]
    ).all()
    assert (originals[COMMUNE] != originals[f"{COMMUNE}_source"]).any()
    shared = of("shared_id").with_columns(owner=pl.col("detail").str.extract(r"ID of (\S+)"))
    owners = shared.join(snap, left_on="owner", right_on=RID, suffix="_owner")
    assert (owners[PID] == owners[f"{PID}_owner"]).all() and (owners[NAME] != owners[f"{NAME}_owner"]).all()
    assert (owners["record_key"] > owners["owner"]).all()
    dead = of("dead_still_active")
    assert (dead[STATUS] == "Còn sống").all()
    died = events.filter(pl.col(TYPE) == "Khai tử").select(RID, death="day")
    dead = dead.join(died, left_on="record_key", right_on=RID)
    assert dead.height == of("dead_still_active").height and (dead["updated"] < dead["death"]).all()
    stale = of("stale_update")
    assert (stale["updated"] < date(2013, 12, 31)).all() and (stale["updated"] > stale["birth"]).all()
    copies = truth.filter(pl.col("defect_class") == "duplicate_event").join(
        events, left_on="record_key", right_on=EID
    )
    assert copies.height == truth.filter(pl.col("defect_class") == "duplicate_event").height
    sources = copies.with_columns(source=pl.col("detail").str.extract(r"copy of (\S+)")).join(
        events, left_on="source", right_on=EID, suffix="_source"
    )
    assert (sources[RID] == sources[f"{RID}_source"]).all() and (
        sources["path"] == sources["path_source"]
    ).all()
