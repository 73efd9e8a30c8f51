"""The ledger written by an earlier version (no content hash, feed, table and hash required) is brought up to
date in place, its rows kept, and the statuses a run reports read from it."""

from deliveries import dossier_day, dossier_path

from kho06.landing.feeds.dossiers import DOSSIERS
from kho06.landing.ledger_summary import bad_files, summary

OLD_LEDGER = """
create schema landing;
create table landing.load_ledger (
    load_id varchar not null, feed varchar not null, table_name varchar not null, source_file varchar not null,
    file_hash varchar not null, file_bytes bigint not null, file_mtime_ns bigint, partition_day date,
    status varchar not null, rows_read bigint, rows_landed bigint, rows_quarantined bigint, message varchar,
    loaded_at timestamp not null, is_current boolean not null);
insert into landing.load_ledger values ('x', 'dossiers', 'dossiers', 'dossiers/daily/2022/2022-01-01.jsonl',
    'abc', 10, 1, '2022-01-01', 'rejected', null, 0, 0, 'empty file', now(), false);
"""


def test_an_earlier_ledger_is_migrated_and_keeps_its_rows(lander):
    lander.db.execute(OLD_LEDGER)
    lander.write(dossier_path("2023-06-01"), dossier_day("2023-06-01", 2))
    lander.write("dossiers/daily/2023/2023-06-02.jsonl.part", b"{")
    lander.write("dossiers/daily/2023/2023-13-01.jsonl", dossier_day("2023-06-01", 1))
    outcomes = lander.land_all()
    assert outcomes[dossier_path("2023-06-01")].status == "loaded"
    nullable = dict(
        lander.db.execute(
            "select column_name, is_nullable from duckdb_columns() where table_name = 'load_ledger'"
        ).fetchall()
    )
    assert (
        nullable["feed"] and nullable["table_name"] and nullable["file_hash"] and "content_hash" in nullable
    )
    assert lander.db.execute("select count(*) from landing.load_ledger where load_id = 'x'").fetchone() == (
        1,
    )
    lander.accounted()
    listed = {(r["file"], r["status"], r["table"]) for r in bad_files(lander.db, lander.raw_dir)}
    assert listed == {
        ("dossiers/daily/2023/2023-06-02.jsonl.part", "ignored", None),
        ("dossiers/daily/2023/2023-13-01.jsonl", "rejected", "dossiers"),
    }
    assert [r for r in summary(lander.db) if r[0] == "dossiers"] == [("dossiers", 1, 2, 2, 0, 2)]
    assert lander.land(DOSSIERS)[dossier_path("2023-06-01")].status == "unchanged"
