"""Keyed pseudonyms for personal identifiers (citizen IDs): HMAC-SHA256 with a secret key.

The same ID always gives the same pseudonym under one key, so records still join across feeds and runs, while
the ID cannot be recovered or recomputed without the key. The key comes from `KHO06_PSEUDONYM_KEY`; outside
production a published development key is used, and with `KHO06_ENV=production` a missing, short or
development key stops the run.
"""

from __future__ import annotations

import hashlib
import hmac
import os

DEV_KEY = "kho06-development-key-not-for-production"
MIN_KEY_LENGTH = 32


class PseudonymKeyError(RuntimeError):
    pass


def key_from_env(environ: dict | None = None) -> bytes:
    env = os.environ if environ is None else environ
    key = env.get("KHO06_PSEUDONYM_KEY", "")
    production = env.get("KHO06_ENV", "development").lower() == "production"
    if production and (not key or key == DEV_KEY or len(key) < MIN_KEY_LENGTH):
        raise PseudonymKeyError(
            "KHO06_ENV=production needs KHO06_PSEUDONYM_KEY: a secret of at least "
            f"{MIN_KEY_LENGTH} characters that is not the development key"
        )
    return (key or DEV_KEY).encode()


def pseudonym(value: str | None, key: bytes) -> str | None:
    """32 hex characters (128 bits of HMAC-SHA256) for a non-empty value; None stays None."""
    if value is None or value == "":
        return None
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def sql_macro(key: bytes) -> str:
    """`pseudonym(v)` as a DuckDB temporary macro giving the same value as `pseudonym()` above.

    HMAC written out over DuckDB's built-in sha256 (RFC 2104: H((K ^ opad) || H((K ^ ipad) || m))), so it runs
    vectorised on every core; a Python function called per chunk is 3x slower in bulk and costs a call even
    for chunks a filter has emptied. The macro is temporary: the key's pads live in the session, never in the
    database file.
    """
    block = 64  # SHA-256 block size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    ipad = bytes(b ^ 0x36 for b in key).hex()
    opad = bytes(b ^ 0x5C for b in key).hex()
    return (
        "create or replace temporary macro pseudonym(v) as "
        "case when v is null or v = '' then null else left(sha256("
        f"unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode(v)))), 32) end"
    )
