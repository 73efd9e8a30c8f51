"""The conformed administrative-unit dimension and its bridge across the 2025 reorganisation, on the session's
warehouse: every legacy commune reaches the 2025 geography, facts can be re-reported there without loss, and a
legacy commune with two default successors is caught."""

import duckdb
from small_build import copy_of, dbt


def test_every_legacy_commune_has_one_default_successor_in_the_2025_geography(warehouse):
    row = warehouse.execute(
        """select count(distinct legacy_admin_unit_key), count(*) filter (where is_default_successor),
                  count(distinct successor_admin_unit_key), count(*)
           from marts.bridge_admin_unit_successor"""
    ).fetchone()
    assert row == (207, 207, 65, 244)
    # the default row of the bridge is the successor the legacy row of the dimension names
    differing = warehouse.execute(
        """select count(*) from marts.bridge_admin_unit_successor b
           join marts.dim_admin_unit d on d.admin_unit_key = b.legacy_admin_unit_key
           where b.is_default_successor and d.successor_unit_code <> b.successor_unit_code"""
    ).fetchone()[0]
    assert differing == 0


def test_a_legacy_fact_keeps_its_total_in_the_2025_geography(warehouse):
    sql = """select sum(counted_residents) from marts.fct_commune_population f {join}"""
    legacy = warehouse.execute(sql.format(join="where f.admin_unit_key <> -1")).fetchone()[0]
    moved = warehouse.execute(
        sql.format(
            join="join marts.bridge_admin_unit_successor b "
            "on b.legacy_admin_unit_key = f.admin_unit_key and b.is_default_successor"
        )
    ).fetchone()[0]
    assert legacy > 0 and moved == legacy


def test_the_default_successor_check_fails_on_a_second_default(built_warehouse, tmp_path):
    wh = copy_of(built_warehouse[1], tmp_path)
    with duckdb.connect(str(wh["db"])) as con:
        con.execute("update marts.bridge_admin_unit_successor set is_default_successor = true")
    done = dbt(wh, "test", "--select", "bridge_admin_unit_successor", check=False)
    assert done.returncode == 1
    assert "FAIL" in done.stdout and "one_default_successor_per_commune" in done.stdout
