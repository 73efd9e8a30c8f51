"""A whole warehouse built once per test session: all four feeds simulated at a small scale (defects included),
landed and modelled by `kho06 run`, exactly as an operator runs it."""

import os
import subprocess

import duckdb
import pytest
from small_build import BIN, SCALE

KHO06 = str(BIN / "kho06")


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("warehouse_build")
    raw, wh = root / "raw", root / "wh"
    subprocess.run(
        [KHO06, "simulate", "--out", str(raw), "--scale", str(SCALE), "--seed", "6"],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHO06_")}
    env["KHO06_KPI_COUNT_SCALE"] = str(SCALE)
    run = subprocess.run(
        [KHO06, "run", "--raw", str(raw), "--warehouse", str(wh)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return raw, wh / "kho06.duckdb", run.stdout + run.stderr


@pytest.fixture(scope="session")
def warehouse(built_warehouse):
    con = duckdb.connect(str(built_warehouse[1]), read_only=True)
    yield con
    con.close()
