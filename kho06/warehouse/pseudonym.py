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
