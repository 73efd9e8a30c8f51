import pytest

from kho06.warehouse.pseudonym import DEV_KEY, PseudonymKeyError, key_from_env, pseudonym


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
