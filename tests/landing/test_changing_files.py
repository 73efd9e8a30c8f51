"""A delivery that changes while it is read (still being copied) is deferred, never half-landed: nothing of it
lands, the files beside it do, and a later run loads it whole."""

from pathlib import Path

from deliveries import dossier_day, dossier_line, dossier_path, event_csv, event_path

from kho06.landing import loader
from kho06.landing.feeds.dossiers import DOSSIERS

GROWING = dossier_path("2023-06-10")
MORE = (dossier_line("000.04.38.H23-230610-0099", "2023-06-10") + "\n").encode()


def write(lander):
    lander.write(dossier_path("2023-06-09"), dossier_day("2023-06-09", 3))
    lander.write(GROWING, dossier_day("2023-06-10", 4))
    lander.write(event_path("2023-06-10"), event_csv("2023-06-10", 2))


def test_a_file_growing_while_it_is_read_is_deferred_then_loaded_whole(lander, monkeypatch):
    write(lander)
    read_bytes = Path.read_bytes

    def copy_under_way(path):
        data = read_bytes(path)
        if path.name == "2023-06-10.jsonl" and len(data) < 5000:
            with open(path, "ab") as f:  # the copy goes on while the landing reads
                f.write(MORE)
        return data

    monkeypatch.setattr(Path, "read_bytes", copy_under_way)
    outcomes = lander.land_all()
    assert outcomes[GROWING].status == "deferred" and "still being written" in outcomes[GROWING].message
    assert outcomes[dossier_path("2023-06-09")].status == "loaded" and lander.rows("dossiers") == 3
    assert lander.rows("population_events") == 2
    assert lander.accounted()[GROWING] == "deferred"
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    again = lander.land(DOSSIERS)[GROWING]
    assert (again.status, again.rows_read, again.rows_landed) == ("loaded", 5, 5)
    assert lander.rows("dossiers") == 3 + 5
    lander.accounted()


def test_a_file_changed_between_its_reading_and_the_commit_is_taken_out_of_the_load(lander, monkeypatch):
    write(lander)
    record_loads = loader._record_loads

    def written_meanwhile(con, contract, chunk, *args):
        for d in chunk:
            if d.source_file == GROWING and d.size < 5000:
                with open(d.path, "ab") as f:
                    f.write(MORE)
        return record_loads(con, contract, chunk, *args)

    monkeypatch.setattr(loader, "_record_loads", written_meanwhile)
    outcomes = lander.land(DOSSIERS)
    assert outcomes[GROWING].status == "deferred"
    assert outcomes[dossier_path("2023-06-09")].status == "loaded"
    files = lander.db.execute("select distinct _source_file from landing.dossiers").fetchall()
    assert files == [(dossier_path("2023-06-09"),)] and lander.rows("dossiers") == 3
    assert lander.db.execute(
        "select count(*) from landing.load_ledger where source_file = ? and status = 'loaded'", [GROWING]
    ).fetchone() == (0,)
    monkeypatch.setattr(loader, "_record_loads", record_loads)
    assert lander.land(DOSSIERS)[GROWING].rows_landed == 5
    lander.land_all()
    lander.accounted()
