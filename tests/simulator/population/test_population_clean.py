"""The population feed, clean: layout and encoding, calibration, ID structure, households, events against the
snapshot, determinism (docs/contracts/population.md)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from population_files import (
    BIRTH,
    BOM,
    COMMUNE,
    EID,
    ETHNIC,
    EVENT_HEADER,
    FIELD,
    HAMLET,
    HEAD_PID,
    HOUSEHOLD,
    NAME,
    NEW,
    OLD,
    OTHER,
    PID,
    RELATION,
    RID,
    SCALE,
    SEX,
    SNAPSHOT_HEADER,
    STATUS,
    TYPE,
    digests,
    event_files,
    indicators,
    read_events,
    read_snapshot,
    snapshot_files,
    surname,
)

from kho06.reference.province_codes import citizen_id_prefixes
from kho06.simulator import population
from kho06.simulator.config import SimConfig
from kho06.simulator.population import households, layout, period, vocabularies
from kho06.simulator.progress import FeedProgress
from kho06.simulator.truth import DefectLog

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


def test_same_config_gives_identical_files(run, tmp_path, geo):
    cfg, _, truth = run
    again = SimConfig(out=tmp_path, scale=cfg.scale, seed=cfg.seed, defect_rate=cfg.defect_rate)
    log = DefectLog()
    population.simulate(again, geo, log, FeedProgress())
    first = digests(cfg.out / "population")
    assert len(first) == 12 + 1095
    assert digests(tmp_path / "population") == first
    assert log.frame().equals(truth)
