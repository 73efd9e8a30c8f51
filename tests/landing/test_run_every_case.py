"""`kho06 run` over a raw folder holding every kind of awkward delivery beside a normal simulated one: the run
finishes, lands and builds everything that was fine, lists each bad file once with its reason, exits 3
("completed, some files did not land"), and prints no traceback and no personal data."""

import csv
import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import assert_accounted
from deliveries import dossier_line

BIN = Path(sys.executable).parent
SCALE = 0.002

# the bad files: path → (label in the summary, words of the reason)
BAD = {
    "dossiers/daily/2023/2023-13-45.jsonl": ("refused", "not a calendar date"),
    "population/events/2020/2020-12-31.csv": ("refused", "before the first day"),
    "dossiers/daily/2099/2099-01-01.jsonl": ("refused", "has not come yet"),
    "population/snapshot/301.csv": ("refused", "no header row"),
    "dossiers/daily/2023/2023-06-09.jsonl.gz": ("refused (a duplicate)", "same content as"),
    "dossiers/daily/2023/2023-06-15.jsonl": ("deferred", "still being written"),
    "population/events/2023/link.csv": ("not a delivery", "outside the raw folder"),
    "dossiers/daily/2023/ban_sao.jsonl": ("not a delivery", "no day"),
    "dossiers/daily/2023-06-09.jsonl": ("not a delivery", "dossiers/daily/*/*.jsonl"),
    "population/events/2023/2023-06-13.CSV": ("not a delivery", "upper/lower case"),
    "population/snapshot/cu/288.csv": ("not a delivery", "population/snapshot/*.csv"),
    "dossiers/daily/2023/2023-06-14.jsonl.part": ("not a delivery", "temporary or partial"),
    "ocop/~$danh_sach_san_pham_ocop.xlsx": ("not a delivery", "temporary or partial"),
    "population/.DS_Store": ("not a delivery", "hidden file"),
    "bts/sites/hang_doi": ("not a delivery", "not a regular file"),
    "ghi_chu.txt": ("not a delivery", "top of the raw folder"),
}


def add_every_case(raw: Path, outside: Path) -> dict:
    """Put every awkward delivery beside the simulated feeds; returns what the checks need to know."""

    def write(rel: str, data: bytes) -> Path:
        path = raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    day = (raw / "dossiers/daily/2023/2023-06-09.jsonl").read_bytes()
    events = (raw / "population/events/2023/2023-06-12.csv").read_bytes()
    write("dossiers/daily/2023/2023-13-45.jsonl", day)
    write("population/events/2020/2020-12-31.csv", events)
    write("dossiers/daily/2099/2099-01-01.jsonl", day)
    snapshot = (raw / "population/snapshot/288.csv").read_bytes().splitlines(keepends=True)
    write("population/snapshot/301.csv", b"\xef\xbb\xbf" + b"".join(snapshot[1:6]))
    people = list(csv.reader(line.decode() for line in snapshot[1:6]))
    personal = [p[i] for p in people for i in (1, 4) if p[i]]  # names and citizen IDs
    write("dossiers/daily/2023/2023-06-09.jsonl.gz", gzip.compress(day))
    outside.mkdir()
    (outside / "secret.csv").write_bytes(events)
    (raw / "population/events/2023/link.csv").symlink_to(outside / "secret.csv")
    write("dossiers/daily/2023/ban_sao.jsonl", day)
    write("dossiers/daily/2023-06-09.jsonl", day)
    write("population/events/2023/2023-06-13.CSV", events)
    write("population/snapshot/cu/288.csv", b"".join(snapshot))
    write("dossiers/daily/2023/2023-06-14.jsonl.part", day[:100])
    write("ocop/~$danh_sach_san_pham_ocop.xlsx", b"owner lock")
    write("population/.DS_Store", b"\x00\x00\x00\x01Bud1")
    os.mkfifo(raw / "bts/sites/hang_doi")
    write("ghi_chu.txt", "Ghi chú của phòng dữ liệu".encode())

    # deliveries that are awkward but land: CR line endings, a quote left open, a quoted line break, and a day
    # of dossiers with an unknown field, an object where a value is expected and a repeated key
    cr_day = raw / "population/events/2023/2023-06-12.csv"
    cr_day.write_bytes(events.replace(b"\n", b"\r"))
    sites = raw / "bts/sites/so_dang_ky_vi_tri_tram.csv"
    lines = sites.read_bytes().splitlines(keepends=True)
    quoted = next(i for i, line in enumerate(lines) if i > 1 and line.count(b'"') == 2)
    lines[quoted] = lines[quoted].replace(b'",', b",", 1)
    sites.write_bytes(b"".join(lines))
    agencies = raw / "dossiers/catalogue/don_vi_xu_ly.csv"
    text = agencies.read_bytes().decode()
    head, first, rest = text.split("\n", 2)
    fields = first.split(",")
    fields[1] = f'"{fields[1]}\n(trụ sở cũ)"'
    agencies.write_bytes(("\n".join([head, ",".join(fields), rest])).encode())
    strict = raw / "dossiers/daily/2023/2023-06-16.jsonl"
    calls = [json.loads(x) for x in strict.read_text().splitlines()]
    assert len(calls) >= 3
    calls[0]["data"][0]["GhiChu"] = "hồ sơ giấy"
    calls[1]["data"][0]["MaTTHC"] = {"ma": calls[1]["data"][0]["MaTTHC"]}
    compact = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in calls]
    compact[2] = compact[2].replace('"service":', '"service":"X","service":', 1)
    strict.write_text("".join(x + "\n" for x in compact))
    return {
        "personal": personal,
        "cr_day_records": events.count(b"\n") - 1,
        "sites_records": len(lines) - 1,
        "strict_lines": len(calls),
    }


def keep_writing(path: Path, stop: threading.Event) -> None:
    """A delivery still being copied: a line appended every few milliseconds until the run ends."""
    n = 0
    while not stop.is_set():
        with open(path, "a") as f:
            f.write(dossier_line(f"000.00.31.H23-230615-{n:04d}", "2023-06-15") + "\n")
        n += 1
        time.sleep(0.005)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_run_over_every_case_lands_what_is_fine_and_lists_each_bad_file_once(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "wh"
    subprocess.run(
        [str(BIN / "kho06"), "simulate", "--out", str(raw), "--scale", str(SCALE), "--seed", "6"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    known = add_every_case(raw, tmp_path / "elsewhere")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    env |= {"KHO06_KPI_COUNT_SCALE": str(SCALE), "COLUMNS": "300"}
    growing = raw / "dossiers/daily/2023/2023-06-15.jsonl"
    stop = threading.Event()
    writer = threading.Thread(target=keep_writing, args=(growing, stop))
    writer.start()
    try:
        run = subprocess.run(
            [str(BIN / "kho06"), "run", "--raw", str(raw), "--warehouse", str(wh)],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
    finally:
        stop.set()
        writer.join()
    output = run.stdout + run.stderr
    assert run.returncode == 3, output[-6000:]
    assert "Traceback" not in output
    assert not [v for v in known["personal"] if v in output]
    summary_lines = [
        line for line in output.splitlines() if line.startswith(("refused", "deferred", "not a delivery"))
    ]
    for rel, (label, words) in BAD.items():
        mine = [line for line in summary_lines if line.startswith(f"{label} {rel}")]
        assert len(mine) == 1 and words in mine[0], (rel, mine, summary_lines)
    assert len(summary_lines) == len(BAD), summary_lines

    with duckdb.connect(str(wh / "build.duckdb"), read_only=True) as con:
        latest = assert_accounted(con, raw)
        [messages] = con.execute(
            "select string_agg(coalesce(message, ''), ' ') from landing.load_ledger"
        ).fetchone()
        assert not [v for v in known["personal"] if v in messages]
        # every delivery that is not one of the bad files landed
        good = [f for f, status in latest.items() if f not in BAD]
        assert {latest[f] for f in good} == {"loaded"}
        ledger = {
            f: (read, landed, held)
            for f, read, landed, held in con.execute(
                "select source_file, rows_read, rows_landed, rows_quarantined from landing.load_ledger "
                "where is_current and status = 'loaded'"
            ).fetchall()
        }
        assert ledger["population/events/2023/2023-06-12.csv"] == (known["cr_day_records"],) * 2 + (0,)
        assert ledger["bts/sites/so_dang_ky_vi_tri_tram.csv"] == (
            known["sites_records"],
            known["sites_records"] - 1,
            1,
        )
        assert ledger["dossiers/daily/2023/2023-06-16.jsonl"] == (
            known["strict_lines"],
            known["strict_lines"] - 2,
            2,
        )
        agencies = con.execute(
            "select count(*) from landing.dossier_agencies where agency_name like '%\n(trụ sở cũ)'"
        )
        assert agencies.fetchone() == (1,)
        # and the models were built over them
        assert con.execute("select count(*) from marts.kpi_article_figures").fetchone()[0] > 0
        assert con.execute("select count(*) from marts.fct_dossiers").fetchone()[0] > 0
    shutil.rmtree(tmp_path / "elsewhere")
