"""The population feed's defects: defect-rate independence of the clean records, every defect class at its exact
count and visible in the files, found by the contract's rules and nothing else."""

from __future__ import annotations

import unicodedata
from datetime import date

import polars as pl
from population_files import (
    COMMUNE,
    EID,
    ETHNIC,
    HEAD_PID,
    HOUSEHOLD,
    NAME,
    PID,
    RATE,
    RELATION,
    RID,
    STATUS,
    TYPE,
    detect,
    event_files,
    indicators,
    lines,
    snapshot_files,
)

from kho06.simulator.population import defect_edits, period, vocabularies
from kho06.simulator.population import defects as population_defects
from kho06.simulator.truth import CRITERIA, defect_count


def test_clean_records_do_not_depend_on_the_defect_rate(run, clean):
    (cfg, _, truth), (clean_cfg, _, _) = run, clean
    touched = set(truth["record_key"])
    for files in (snapshot_files, event_files):
        with_defects, without = lines(files(cfg.out)), lines(files(clean_cfg.out))
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
