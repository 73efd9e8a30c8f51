"""Every file under raw/ is accounted for: what is not a delivery is listed in the ledger with its reason (and its
feed when its first folder names one), never read, and never keeps the deliveries beside it from landing."""

import os

import pytest
from deliveries import dossier_day, dossier_path, event_csv, event_path

from kho06.landing.survey import survey

VALID = {
    event_path("2023-06-01"): event_csv("2023-06-01", 3),
    dossier_path("2023-06-01"): dossier_day("2023-06-01", 2),
}

# (path, content, words of the reason, feed guessed)
STRAYS = [
    (
        "dossiers/daily/2023/2023-06-02.jsonl.part",
        dossier_day("2023-06-02", 1)[:40],
        "temporary or partial",
        "dossiers",
    ),
    ("ocop/~$danh_sach_san_pham_ocop.xlsx", b"lock", "temporary or partial", "ocop"),
    (
        "population/events/2023/2023-06-03.csv.tmp",
        event_csv("2023-06-03", 1),
        "temporary or partial",
        "population",
    ),
    ("population/events/2023/.2023-06-04.csv.x1Yz", event_csv("2023-06-04", 1), "hidden file", "population"),
    ("bts/.DS_Store", b"\x00\x01", "hidden file", "bts"),
    ("population/events/2023/2023-06-05.CSV", event_csv("2023-06-05", 2), "upper/lower case", "population"),
    ("dossiers/daily/2023-06-06.jsonl", dossier_day("2023-06-06", 1), "dossiers/daily/*/*.jsonl", "dossiers"),
    ("population/snapshot/2023/288.csv", b"x", "population/snapshot/*.csv", "population"),
    (
        "dossiers/daily/2023/ban_sao.jsonl",
        dossier_day("2023-06-07", 1),
        "no day (YYYY-MM-DD) in the name",
        "dossiers",
    ),
    ("ocop/danh_sach.xls", b"\xd0\xcf\x11\xe0", "extension .xls", "ocop"),
    ("ocop/ghi_chu", b"note", "no extension", "ocop"),
    ("ghi_chu.txt", b"note", "top of the raw folder", None),
    (
        "backup/population/events/2023/2023-06-01.csv",
        event_csv("2023-06-01", 3),
        "not in a feed's folder",
        None,
    ),
    ("population/README.md", b"# notes", "extension .md", "population"),
]


@pytest.fixture
def raw_with_strays(lander):
    for rel, data in {**VALID, **{r: d for r, d, _, _ in STRAYS}}.items():
        lander.write(rel, data)
    return lander


def test_each_file_that_is_not_a_delivery_is_listed_with_its_reason_and_the_rest_lands(raw_with_strays):
    lander = raw_with_strays
    lander.write("README.md", b"# the landing zone")
    lander.write("_truth/defects.csv", b"feed,record_key\n")
    outcomes = lander.land_all()
    assert {f: o.status for f, o in outcomes.items()} == {f: "loaded" for f in VALID}
    assert lander.rows("population_events") == 3 and lander.rows("dossiers") == 2
    for rel, _data, words, feed in STRAYS:
        row = lander.ledger_row(rel)
        assert row is not None, rel
        assert (row["status"], row["feed"], row["table_name"], row["file_hash"]) == (
            "ignored",
            feed,
            None,
            None,
        )
        assert words in row["message"], (rel, row["message"])
        assert row["file_bytes"] == os.path.getsize(lander.raw_dir / rel)
    latest = lander.accounted()
    assert "README.md" not in latest and not [f for f in latest if f.startswith("_truth")]


def test_a_file_that_is_not_a_delivery_is_recorded_once_while_it_stays_the_same(raw_with_strays):
    lander = raw_with_strays
    lander.land_all()
    count = "select count(*) from landing.load_ledger where status = 'ignored'"
    first = lander.db.execute(count).fetchone()[0]
    assert first == len(STRAYS)
    lander.land_all()
    assert lander.db.execute(count).fetchone()[0] == first
    lander.write("ghi_chu.txt", b"a longer note")
    lander.land_all()
    assert lander.db.execute(count).fetchone()[0] == first + 1


def test_links_are_not_followed_and_one_outside_raw_never_stops_the_feed(lander, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.csv").write_bytes(event_csv("2023-06-02", 5))
    for rel, data in VALID.items():
        lander.write(rel, data)
    events = lander.raw_dir / "population/events/2023"
    (events / "2023-06-02.csv").symlink_to(outside / "secret.csv")
    (events / "2023-06-03.csv").symlink_to(events / "2023-06-01.csv")
    (events / "2023-06-04.csv").symlink_to(events / "missing.csv")
    (lander.raw_dir / "population/events/2022").symlink_to(outside, target_is_directory=True)
    outcomes = lander.land_all()
    assert outcomes[event_path("2023-06-01")].status == "loaded"
    assert lander.rows("population_events") == 3
    reasons = {rel: lander.ledger_row(rel)["message"] for rel in (
        "population/events/2023/2023-06-02.csv", "population/events/2023/2023-06-03.csv",
        "population/events/2023/2023-06-04.csv", "population/events/2022")}  # fmt: skip
    assert "outside the raw folder" in reasons["population/events/2023/2023-06-02.csv"]
    assert "to population/events/2023/2023-06-01.csv" in reasons["population/events/2023/2023-06-03.csv"]
    assert "broken" in reasons["population/events/2023/2023-06-04.csv"]
    assert "outside the raw folder" in reasons["population/events/2022"]
    assert "secret" not in str(reasons)
    lander.accounted()


def test_a_pipe_or_a_hidden_folder_is_listed_and_never_opened(lander):
    for rel, data in VALID.items():
        lander.write(rel, data)
    os.mkfifo(lander.raw_dir / "population/events/2023/2023-06-09.csv")  # reading it would block the run
    lander.write("dossiers/.git/objects/ab/cdef", b"blob")
    outcomes = lander.land_all()
    assert outcomes[event_path("2023-06-01")].status == "loaded"
    assert "not a regular file" in lander.ledger_row("population/events/2023/2023-06-09.csv")["message"]
    hidden = lander.ledger_row("dossiers/.git/")
    assert (hidden["status"], hidden["feed"]) == ("ignored", "dossiers") and "hidden folder" in hidden[
        "message"
    ]
    lander.accounted()


def test_the_survey_finds_the_deliveries_a_glob_would_and_nothing_else(raw_with_strays):
    found = survey(raw_with_strays.raw_dir)
    assert sorted(f.rel for f in found.files if f.kind == "delivery") == sorted(VALID)
    assert len(found.ignored()) == len(STRAYS)


def test_the_dagster_asset_records_them_and_its_check_warns_until_they_are_gone(tmp_path, monkeypatch):
    import dagster as dg
    import duckdb
    from dagster_duckdb import DuckDBResource

    from kho06 import settings
    from orchestration.defs.landing.not_deliveries import not_deliveries

    raw = tmp_path / "raw"
    (raw / "ocop").mkdir(parents=True)
    (raw / "ocop/~$danh_sach_san_pham_ocop.xlsx").write_bytes(b"lock")
    monkeypatch.delenv("KHO06_DUCKDB_PATH", raising=False)
    s = settings.apply(raw, tmp_path / "wh")
    resources = {"duckdb": DuckDBResource(database=str(s.duckdb_path))}

    def check() -> dg.AssetCheckEvaluation:
        result = dg.materialize([not_deliveries], resources=resources)
        assert result.success
        [evaluation] = result.get_asset_check_evaluations()
        return evaluation

    first = check()
    assert not first.passed and "ocop/~$danh_sach_san_pham_ocop.xlsx" in str(first.metadata["files"].value)
    with duckdb.connect(str(s.duckdb_path), read_only=True) as con:
        assert con.execute("select status, feed from landing.load_ledger").fetchall() == [("ignored", "ocop")]
    (raw / "ocop/~$danh_sach_san_pham_ocop.xlsx").unlink()
    assert check().passed
