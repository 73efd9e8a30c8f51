import pytest

from kho06.warehouse.pseudonym import DEV_KEY, PseudonymKeyError, key_from_env, pseudonym, sql_macro


def test_pseudonym_is_keyed_stable_and_hides_the_id():
    a = pseudonym("030203000001", b"k" * 32)
    assert a == pseudonym("030203000001", b"k" * 32)
    assert a != pseudonym("030203000001", b"j" * 32)
    assert a != pseudonym("030203000002", b"k" * 32)
    assert len(a) == 32 and "030203000001" not in a
    assert pseudonym(None, b"k") is None and pseudonym("", b"k") is None


def test_development_uses_the_published_key():
    assert key_from_env({}) == DEV_KEY.encode()


@pytest.mark.parametrize("key", ["", DEV_KEY, "short"])
def test_production_refuses_a_missing_development_or_short_key(key):
    with pytest.raises(PseudonymKeyError, match="KHO06_PSEUDONYM_KEY"):
        key_from_env({"KHO06_ENV": "production", "KHO06_PSEUDONYM_KEY": key})


def test_production_accepts_a_real_key():
    key = "x" * 40
    assert key_from_env({"KHO06_ENV": "production", "KHO06_PSEUDONYM_KEY": key}) == key.encode()


@pytest.mark.parametrize("key", [b"k" * 32, DEV_KEY.encode(), b"x" * 100])
def test_the_sql_macro_gives_the_python_pseudonym(key):
    import duckdb

    values = ["030203000001", "Nguyễn Thị Hoà", "a" * 200, "", None]
    con = duckdb.connect()
    con.execute(sql_macro(key))
    got = [con.execute("select pseudonym(?)", [v]).fetchone()[0] for v in values]
    assert got == [pseudonym(v, key) for v in values]
    assert got[0] != pseudonym(values[0], key + b"!")  # a different key gives a different value


def test_the_dbt_plugin_defines_the_macro_on_every_cursor():
    import duckdb

    from kho06.warehouse.dbt_plugin import Plugin

    plugin = Plugin("kho06", {})
    con = duckdb.connect()
    plugin.configure_connection(con)
    cursor = con.cursor()
    plugin.configure_cursor(cursor)
    for c in (con, cursor):
        assert c.execute("select pseudonym('030203000001')").fetchone()[0] == pseudonym(
            "030203000001", DEV_KEY.encode()
        )
