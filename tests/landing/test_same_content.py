"""One content, one landing: the same records delivered again under another name, gzip-compressed, or exported
again with another BOM or line endings land once; the second copy is recorded as a duplicate naming the first."""

import gzip
import os

from deliveries import dossier_day, dossier_path, event_csv, event_path, snapshot_csv

from kho06.landing.feeds.dossiers import DOSSIERS


def test_a_gzip_copy_beside_the_plain_file_lands_once(lander):
    lander.write(dossier_path("2023-06-09"), dossier_day("2023-06-09", 19))
    lander.write(dossier_path("2023-06-09") + ".gz", gzip.compress(dossier_day("2023-06-09", 19)))
    lander.write(dossier_path("2023-06-10"), dossier_day("2023-06-10", 3))
    outcomes = lander.land_all()
    assert outcomes[dossier_path("2023-06-09")].status == "loaded"
    copy = outcomes[dossier_path("2023-06-09") + ".gz"]
    assert copy.status == "duplicate" and dossier_path("2023-06-09") in copy.message
    assert lander.rows("dossiers") == 19 + 3
    assert lander.accounted()[dossier_path("2023-06-09") + ".gz"] == "duplicate"


def test_a_gzip_copy_arriving_on_a_later_run_is_a_duplicate(lander):
    lander.write(dossier_path("2023-06-09"), dossier_day("2023-06-09", 5))
    lander.land(DOSSIERS)
    lander.write(dossier_path("2023-06-09") + ".gz", gzip.compress(dossier_day("2023-06-09", 5)))
    lander.write(dossier_path("2023-06-11"), dossier_day("2023-06-11", 2))
    outcomes = lander.land(DOSSIERS)
    assert outcomes[dossier_path("2023-06-09") + ".gz"].status == "duplicate"
    assert outcomes[dossier_path("2023-06-11")].status == "loaded"
    assert lander.rows("dossiers") == 7
    lander.accounted()


def test_a_re_export_with_another_bom_and_line_endings_is_the_same_records(lander):
    lander.write("population/snapshot/288.csv", snapshot_csv())
    windows = snapshot_csv().decode().removeprefix("\ufeff").replace("\n", "\r\n").encode()
    copy = lander.write("population/snapshot/288 (1).csv", windows)
    later = (lander.raw_dir / "population/snapshot/288.csv").stat().st_mtime_ns + 10**9
    os.utime(copy, ns=(later, later))  # delivered after the first: the copy is the duplicate
    lander.write("population/snapshot/290.csv", snapshot_csv(header=True, rows=[]))
    lander.write(event_path("2023-06-01"), event_csv("2023-06-01", 2))
    outcomes = lander.land_all()
    assert outcomes["population/snapshot/288.csv"].status == "loaded"
    assert outcomes["population/snapshot/288 (1).csv"].status == "duplicate"
    assert outcomes["population/snapshot/290.csv"].status == "loaded"
    assert lander.rows("population_snapshot") == 3 and lander.rows("population_events") == 2
    lander.accounted()


def test_days_without_records_may_be_identical(lander):
    lander.write(dossier_path("2023-06-11"), b"")
    lander.write(dossier_path("2023-06-12"), b"")
    outcomes = lander.land(DOSSIERS)
    assert {o.status for o in outcomes.values()} == {"loaded"}
    lander.accounted()
