"""The telecom (BTS) and OCOP marts on a simulated feed with defects: the KPI figures of the contracts, the
defect flags against the truth file, personal data and the haversine macro (Spark portability is checked for
every mart in test_marts_transpile_to_spark.py).

One module-scoped build (small_build.py) of the telecom and OCOP selection over the two feeds, which are whole at
every scale.
"""

from __future__ import annotations

import math

import duckdb
import pytest
from small_build import assert_rules_find_the_truth, build, truth

SELECTION = [
    "+path:models/marts/telecom", "+path:models/marts/ocop", "+path:models/intermediate/telecom",
    "+path:models/intermediate/ocop", "path:models/staging/bts", "path:models/staging/ocop", "dim_date",
]  # fmt: skip
R = 6_371_008.8


def haversine_m(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("telecom_ocop"), ["bts", "ocop"], SELECTION)


@pytest.fixture(scope="module")
def warehouse(built):
    """(connection to the built warehouse, truth frame of both feeds)."""
    con = duckdb.connect(str(built["db"]), read_only=True)
    yield con, truth(built, "bts", "ocop")
    con.close()


def test_rules_find_exactly_the_injected_defects(built):
    assert_rules_find_the_truth(built, "bts", "ocop")


def one(con, sql, params=None):
    return con.execute(sql, params).fetchone()


def test_kpi_figures_match_the_targets_on_the_feed_with_defects(warehouse):
    con, _ = warehouse
    figures = dict(
        con.execute(
            "select indicator_id, value from intermediate.int_telecom_figures_computed "
            "union all select indicator_id, value from intermediate.int_ocop_figures_computed"
        ).fetchall()
    )
    assert figures == {
        "bts_stations": 3240,
        "bts_sites": 1582,
        "ocop_products_2022": 234,
        "ocop_products_2023": 351,
    }


def test_every_commune_is_covered_by_3g4g(warehouse):
    con, _ = warehouse
    assert one(con, "select count(*), sum(case when is_covered_3g4g then 1 else 0 end) from marts.fct_commune_coverage") == (
        207, 207)  # fmt: skip


def test_ocop_splits_of_the_contract(warehouse):
    con, _ = warehouse
    stars = one(
        con,
        """select sum(case when stars = 3 then 1 else 0 end), sum(case when stars = 4 and not is_five_star_potential
           then 1 else 0 end), sum(case when is_five_star_potential then 1 else 0 end)
           from marts.fct_ocop_certifications where is_counted_on_as_of""",
    )
    assert stars == (231, 118, 2)
    groups = dict(
        con.execute(
            """select g.group_name, count(f.product_id) from marts.dim_ocop_group g
               left join marts.fct_ocop_certifications f
                 on f.product_group_key = g.product_group_key and f.is_counted_on_as_of
               where g.product_group_key <> -1 group by g.group_name"""
        ).fetchall()
    )
    assert sorted(groups.values(), reverse=True) == [293, 23, 17, 14, 4, 0]


CELL_FLAGS = {
    "coordinates_outside_province": "has_coordinates_outside_province and not is_valid",
    "invalid_network_code": "has_invalid_network_code and not is_valid",
    "radio_not_in_service": "has_radio_not_in_service and not is_valid",
    "missing_cell_fields": "has_missing_fields",
    "stale_cell": "is_stale and not is_live",
}
OCOP_FLAGS = {
    "score_star_mismatch": "has_score_star_mismatch",
    "commune_not_in_province": "has_commune_outside_province and admin_unit_key = -1",
    "invalid_group": "has_group_alias and product_group_key <> -1",
    "missing_mandatory_field": "has_missing_mandatory_field",
    "duplicate_product": "is_duplicate_listing and not is_counted_on_as_of",
    "non_nfc_text": "has_non_nfc_text",
    "inconsistent_district_spelling": "has_inconsistent_district_spelling",
    "expired_still_listed": "not is_active_on_as_of and not is_counted_on_as_of",
}


@pytest.mark.parametrize("defect_class", sorted(CELL_FLAGS))
def test_cell_defects_are_flagged(warehouse, defect_class):
    con, truth = warehouse
    keys = truth.filter(truth["defect_class"] == defect_class)["record_key"].to_list()
    assert keys
    flagged = one(
        con,
        f"select count(distinct cell_key) from marts.fct_cells where ({CELL_FLAGS[defect_class]}) "
        "and cell_key in (select unnest(?))",
        [keys],
    )[0]
    assert flagged == len(set(keys))


def test_cell_flags_touch_no_clean_row(warehouse):
    con, truth = warehouse
    keys = truth.filter(truth["feed"] == "bts")["record_key"].to_list()
    flagged = one(
        con,
        "select count(*) from marts.fct_cells where (not is_valid or is_stale or has_missing_fields "
        "or is_duplicate_row) and cell_key not in (select unnest(?))",
        [keys],
    )[0]
    assert flagged == 0


def test_duplicate_cells_and_sites_collapse(warehouse):
    con, truth = warehouse
    n_dup = truth.filter(truth["defect_class"] == "duplicate_cell").height
    assert one(con, "select count(*) from marts.fct_cells where is_duplicate_row")[0] == n_dup
    n_site_dup = truth.filter(truth["defect_class"] == "site_duplicate_address").height
    assert one(con, "select count(*) from marts.dim_bts_site where register_entries = 2")[0] == n_site_dup
    duplicates = truth.filter(truth["defect_class"] == "site_duplicate_address")["record_key"].to_list()
    kept = one(
        con, "select count(*) from marts.dim_bts_site where site_id in (select unnest(?))", [duplicates]
    )
    assert kept[0] == 0


def test_site_register_flags(warehouse):
    con, truth = warehouse
    for defect_class, condition in (("site_missing_permit", "not has_permit"),
                                    ("inspection_expired", "is_inspection_overdue")):  # fmt: skip
        keys = set(truth.filter(truth["defect_class"] == defect_class)["record_key"].to_list())
        flagged = {
            r[0]
            for r in con.execute(
                f"select site_id from marts.dim_bts_site where site_key <> -1 and {condition}"
            ).fetchall()
        }
        assert flagged == keys, defect_class


@pytest.mark.parametrize("defect_class", sorted(OCOP_FLAGS))
def test_ocop_defects_are_flagged_and_only_them(warehouse, defect_class):
    con, truth = warehouse
    keys = set(truth.filter(truth["defect_class"] == defect_class)["record_key"].to_list())
    flagged = {
        r[0]
        for r in con.execute(
            f"select product_id from marts.fct_ocop_certifications where {OCOP_FLAGS[defect_class]}"
        ).fetchall()
    }
    assert flagged == keys


def test_no_household_name_reaches_the_marts(warehouse):
    con, _ = warehouse
    assert (
        one(
            con,
            "select count(*) from marts.dim_ocop_producer where lower(producer_name) like '%hộ kinh doanh%'",
        )[0]
        == 0
    )
    households = one(
        con,
        "select count(*), count(producer_name), count(producer_pseudonym) from marts.dim_ocop_producer where is_household",
    )
    assert households[0] > 0 and households[1] == 0 and households[2] == households[0]
    names = {r[0] for r in con.execute("select producer_name from landing.ocop_products").fetchall() if r[0]}
    household_names = {n for n in names if n.lower().startswith("hộ kinh doanh")}
    for table in ("dim_ocop_producer", "fct_ocop_certifications"):
        text = " ".join(str(v) for row in con.execute(f"select * from marts.{table}").fetchall() for v in row)
        assert not any(n in text for n in household_names), table


def test_haversine_macro_agrees_with_python(warehouse):
    con, _ = warehouse
    rows = con.execute(
        """select c.lat, c.lon, s.lat, s.lon, m.distance_m
           from intermediate.int_bts_cell_sites_matched m
           join intermediate.int_bts_cells_validated c on c.cell_row_id = m.cell_row_id
           join intermediate.int_bts_sites_deduplicated s on s.site_id = m.site_id"""
    ).fetchall()
    assert rows
    for lat1, lon1, lat2, lon2, d in rows:
        assert d == pytest.approx(haversine_m(lat1, lon1, lat2, lon2), abs=1e-6)
        assert d <= 50
