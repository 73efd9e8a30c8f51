"""The project's generic data tests (dbt_project/tests/generic/) share one rule: NULL never makes a row pass. On a
copy of the session's warehouse, a null where an expression is tested and two rows alike but for a null fail."""

import duckdb
from small_build import copy_of, dbt


def test_an_expression_that_is_null_fails(built_warehouse, tmp_path):
    wh = copy_of(built_warehouse[1], tmp_path)
    with duckdb.connect(str(wh["db"])) as con:
        # the contract keeps cells_count from being null: lift it to put a null where `cells_count >= 1` is tested
        con.execute("alter table marts.fct_stations alter column cells_count drop not null")
        con.execute(
            "update marts.fct_stations set cells_count = null "
            "where station_id = (select min(station_id) from marts.fct_stations)"
        )
    done = dbt(wh, "test", "--select", "fct_stations,test_name:expression_is_true", check=False)
    assert done.returncode == 1
    assert "FAIL 1 expression_is_true_fct_stations_cells_count" in done.stdout


def test_rows_alike_but_for_a_null_are_duplicates(built_warehouse, tmp_path):
    wh = copy_of(built_warehouse[1], tmp_path)
    with duckdb.connect(str(wh["db"])) as con:
        for _ in range(2):
            con.execute(
                "insert into marts.ocop_products_year select * replace (cast(null as varchar) as district_code, "
                "1900 as recognition_year) from marts.ocop_products_year limit 1"
            )
    done = dbt(
        wh, "test", "--select", "ocop_products_year,test_name:unique_combination_of_columns", check=False
    )
    assert done.returncode == 1
    assert "FAIL 1 unique_combination_of_columns_" in done.stdout
