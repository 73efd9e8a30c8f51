"""The nightly path gives the warehouse a full build would give: the last two days of the daily feeds are held
back, everything else is landed and built, then each held day arrives and the `nightly` job runs for it as the
schedule starts it (the day's landings, then `dbt build --select tag:daily+` with the day's window); the daily
facts and everything computed from them must then equal a full rebuild. The last day repeats dossiers received
earlier (duplicate_sync), so the run must update dossiers outside its own day. Then an earlier day's dossier file
is delivered again without two of its lines (the first line of a code repeated on a later day, and the only line
of another code) and the job runs for that day: the dossiers must follow the file as delivered now. Life events
the same way: a held day's file also repeats an event of an earlier day (same id, same content), then that
earlier day's file is delivered again without it and the job runs for that day: the repeat is now the first
delivery of its id and of its content.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from datetime import timedelta

import polars as pl
import pytest
from small_build import dbt, land_feeds, query, simulate, write_reference

import orchestration.run
from kho06.landing.feeds import DAILY_CONTRACTS
from kho06.warehouse import PRODUCTION_BUILD_FLAGS

COMPARED = [
    "intermediate.int_dossier_lines_ranked",
    "checks.chk_dossiers__lines",
    "checks.chk_population__events",
    "marts.fct_dossiers",
    "marts.fct_life_events",
    "marts.scorecard_766_province",
    "marts.scorecard_766_district",
    "marts.scorecard_766_agency",
    "marts.kpi_article_figures",
]


def snapshot(wh: dict) -> dict[str, pl.DataFrame]:
    # which dbt run last ranked or checked a row differs between the nightly runs and a full build, by design
    invocation = {
        "intermediate.int_dossier_lines_ranked": "_ranked_by_invocation",
        "checks.chk_dossiers__lines": "_ranked_by_invocation, _checked_by_invocation",
        "checks.chk_population__events": "_checked_by_invocation",
    }
    return {
        t: query(wh, f"select * exclude ({invocation[t]}) from {t} order by all")
        if t in invocation
        else query(wh, f"select * from {t} order by all")
        for t in COMPARED
    }


def run_night(day) -> None:
    """The `nightly` job for one day, as the nightly schedule starts it; it must succeed, and leave the snapshot
    part out (no snapshot changed)."""
    result = orchestration.run.run_night(day)
    assert result.success, [s for s in result.steps if s.status != "success"]
    assert not result.snapshots and "dbt_models" not in {s.step for s in result.steps}


def redeliver_without_two_lines(wh: dict, before) -> dict:
    """Write again the dossier file of a day before `before` that holds both the first line of a code repeated on
    a later day and the only line of another code, without those two lines."""
    lines = query(
        wh,
        "select received_file_date as day, _source_file as file, dossier_code as code, line_rank, "
        "sync_line_count from intermediate.int_dossier_lines_ranked where dossier_code is not null",
    )
    # codes whose lines all come before `before` (the held days keep their own repeats)
    earlier = lines.group_by("code").agg(pl.col("day").max()).filter(pl.col("day") < before).select("code")
    lines = lines.join(earlier, on="code")
    later = lines.filter(pl.col("line_rank") > 1).select("code", later_day=pl.col("day"))
    first = lines.filter(pl.col("line_rank") == 1)
    repeated = first.join(later, on="code").filter(pl.col("later_day") > pl.col("day"))
    single = first.filter(pl.col("sync_line_count") == 1).select("file", single=pl.col("code"))
    pick = repeated.join(single, on="file").sort("day").row(-1, named=True)
    path = wh["raw"] / pick["file"]
    kept = [
        line
        for line in path.read_bytes().splitlines(keepends=True)
        if f'"{pick["code"]}"'.encode() not in line and f'"{pick["single"]}"'.encode() not in line
    ]
    path.write_bytes(b"".join(kept))
    left = lines.filter((pl.col("code") == pick["code"]) & (pl.col("file") != pick["file"]))
    return {
        "day": pick["day"],
        "single": pick["single"],
        "repeated": pick["code"],
        "lines_left": left.height,
        "next_day": left["day"].min(),
    }


def repeat_an_earlier_event(raw, held_file) -> dict:
    """Append to a held day's life-event file an event of the earliest day that has one whose record has no other
    event that day (so that only the repeated keys tie the two rows), as delivered there, and a late event."""
    files = sorted((raw / "population" / "events").glob("*/*.csv"))
    for k, path in enumerate(files):
        lines = path.read_bytes().splitlines(keepends=True)[1:]
        records = Counter(line.split(b",")[2] for line in lines)
        alone = [x for x in lines if records[x.split(b",")[2]] == 1]
        if alone:
            # and a late event: the first event of the next day's file under a new id of the held day (its date
            # stays, a day no run's window covers)
            day = DAILY_CONTRACTS[0].day_of(held_file)
            first = files[k + 1].read_bytes().splitlines(keepends=True)[1]
            late = first.replace(first.split(b",")[0], f"BD-{day:%Y%m%d}-99999".encode(), 1)
            held = held_file.read_bytes()
            held_file.write_bytes(held + (b"" if held.endswith(b"\n") else b"\r\n") + alone[0] + late)
            return {"file": path, "line": alone[0], "event_id": alone[0].split(b",")[0].decode()}
    raise AssertionError("no life event whose record has no other event on its day")


def redeliver_without_the_event(repeated: dict) -> None:
    """Write again the first day's life-event file without the event the held day repeats."""
    path = repeated["file"]
    path.write_bytes(
        b"".join(x for x in path.read_bytes().splitlines(keepends=True) if x != repeated["line"])
    )


@pytest.fixture(scope="module")
def nightly(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nightly_wh")
    patch = pytest.MonkeyPatch()
    wh = simulate(tmp)
    raw, held = wh["raw"], tmp / "held"
    last_days = sorted({c.day_of(f) for c in DAILY_CONTRACTS for f in c.files(raw)})[-2:]
    moved = []
    for contract in DAILY_CONTRACTS:
        for f in contract.files(raw):
            if contract.day_of(f) in last_days:
                target = held / f.relative_to(raw)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(f, target)
                moved.append(target)
    land_feeds(wh)
    write_reference(wh)
    dbt(wh, "build", *PRODUCTION_BUILD_FLAGS)  # writes tmp/target/partial_parse.msgpack, as `make setup` does
    # the Dagster runs: this warehouse, the development pseudonym key, and their dbt target folders under
    # tmp/target (dagster-dbt starts each dbt run from the parse it finds there)
    for name in ("KHO06_ENV", "KHO06_KPI_COUNT_SCALE"):
        if name in os.environ:
            patch.delenv(name)
    patch.setenv("KHO06_RAW_DIR", str(raw))
    patch.setenv("KHO06_WAREHOUSE_DIR", str(tmp))
    patch.setenv("KHO06_DUCKDB_PATH", str(wh["db"]))
    patch.setenv("DBT_TARGET_PATH", str(tmp / "target"))
    # the held day with the most life events (a file holding only the repeat would be the earlier file again)
    held_events = max(
        (f for f in moved if f.suffix == ".csv"), key=lambda f: (len(f.read_bytes().splitlines()), f.name)
    )
    repeated = repeat_an_earlier_event(raw, held_events)
    repeated["held_day"] = DAILY_CONTRACTS[0].day_of(held_events)
    try:
        for day in last_days:
            for f in moved:
                if str(day) in f.name:
                    shutil.move(f, raw / f.relative_to(held))
            run_night(day)
        redelivered = redeliver_without_two_lines(wh, before=last_days[0])
        run_night(redelivered["day"])
        redeliver_without_the_event(repeated)
        repeated["day"] = DAILY_CONTRACTS[0].day_of(repeated["file"])
        assert repeated["day"] not in (*last_days, redelivered["day"])
        run_night(repeated["day"])
    finally:
        patch.undo()
    redelivered["event"] = repeated
    return wh, last_days, redelivered, snapshot(wh)


def test_the_held_days_repeat_earlier_dossiers(nightly):
    wh, days, _, _ = nightly
    repeats = query(
        wh,
        "select count(*) as n from intermediate.int_dossier_lines_ranked "
        f"where received_file_date = '{days[-1]}' and line_rank > 1",
    )["n"][0]
    assert repeats > 0  # the case the nightly run must carry to dossiers of earlier days


def test_the_nightly_runs_give_what_a_full_build_gives(nightly):
    wh, _, _, after_nightly = nightly
    dbt(wh, "build", "--select", "tag:daily+", "--full-refresh", *PRODUCTION_BUILD_FLAGS)
    full = snapshot(wh)
    for table in COMPARED:
        assert after_nightly[table].height > 0, table
        assert after_nightly[table].equals(full[table]), table


def dbt_runs_of_the_job(wh: dict) -> list:
    """The target folders dagster-dbt gave the nightly runs' dbt processes."""
    runs = [p for p in (wh["tmp"] / "target").iterdir() if p.is_dir() and p.name.startswith("dbt_daily-")]
    return sorted(runs, key=lambda run: (run / "dbt.log").stat().st_mtime)  # in the order they ran


def test_the_nightly_dbt_run_builds_its_day_only(nightly):
    wh, days, redelivered, _ = nightly
    runs = dbt_runs_of_the_job(wh)
    assert len(runs) == len(days) + 2
    for run, day in zip(runs, [*days, redelivered["day"], redelivered["event"]["day"]], strict=True):
        # the life events checked again are the window's and those sharing a key with them, not every event,
        # and the fact loads again the events its run checked
        checked = (run / "compiled/kho06/models/checks/population/chk_population__events.sql").read_text()
        assert "window_keys" in checked
        assert f"file_date >= cast('{day}' as date)" in checked
        assert f"file_date <= cast('{day}' as date)" in checked
        loaded = (run / "compiled/kho06/models/marts/population/fct_life_events.sql").read_text()
        assert "_checked_by_invocation = '" in loaded


def test_the_nightly_dbt_run_keeps_the_parse(nightly):
    """The window reaches dbt in the environment: a window passed as --vars makes dbt parse the whole project
    again ("Unable to do partial parsing because config vars ... have changed")."""
    wh, _, _, _ = nightly
    for run in dbt_runs_of_the_job(wh):
        log = (run / "dbt.log").read_text()
        assert "Partial parsing enabled" in log
        assert "Unable to do partial parsing" not in log


def test_a_redelivered_file_without_some_lines_updates_their_dossiers(nightly):
    _, _, r, after_nightly = nightly
    dossiers = after_nightly["marts.fct_dossiers"].filter(
        pl.col("dossier_code").is_in([r["repeated"], r["single"]])
    )
    assert dossiers["dossier_code"].to_list() == [
        r["repeated"]
    ]  # the code delivered only in that line is gone
    # the repeated code is now received on the day of its next line, and counts only the lines left
    assert dossiers["received_date"][0] == r["next_day"] > r["day"]
    assert dossiers["sync_line_count"][0] == r["lines_left"]


def test_the_daily_job_lands_the_day_before_dbt_builds_it():
    """The daily models read the landing tables through staging views the job does not build: the job must
    still order the day's landings before dbt."""
    from orchestration.definitions import defs

    job = defs().resolve_job_def("nightly")
    upstream = {
        o.node_name for o in job.graph.dependency_structure.all_upstream_outputs_from_node("dbt_daily")
    }
    assert {"landing__dossiers", "landing__population_events"} <= upstream


def test_a_redelivered_file_without_an_event_makes_its_later_repeat_the_first(nightly):
    _, _, r, after_nightly = nightly
    rows = after_nightly["checks.chk_population__events"].filter(pl.col("event_id") == r["event"]["event_id"])
    # the one row left of that id is the held day's repeat, now first of its id and of its content
    assert rows["file_date"].to_list() == [r["event"]["held_day"]]
    assert rows["event_id_occurrence"].to_list() == [1]
    assert rows["same_event_occurrence"].to_list() == [1]


def test_a_late_event_is_loaded_on_the_day_of_its_file(nightly):
    _, _, r, after_nightly = nightly
    late = after_nightly["marts.fct_life_events"].filter(pl.col("event_id").str.ends_with("-99999"))
    assert late.height == 1
    assert (
        late["event_date"][0] > r["event"]["day"]
    )  # a day after the earlier day's, long before the held day
    assert late["event_date"][0] < r["event"]["held_day"] - timedelta(days=30)
