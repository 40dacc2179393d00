"""Caches that hold until an inspection or a judgement changes (the token of migrations/0009_data_version).

For reads that aggregate the whole database and would otherwise be computed on every request: the national
overview. Database triggers change the token on every write to those tables, whoever makes it, so a cached value
is never served after the data under it changed. The cache is Django's (``CACHES``: by default memory in each
process, so each process computes a value once per token).
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

T = TypeVar("T")
# Entries of past tokens are never read again; they go when this runs out (or when the cache is full).
TIMEOUT_SECONDS = 60 * 60


def data_version() -> str | None:
    """The current token; None on a database without the table (before the migration)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM inspections_data_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cached_until_data_changes(name: str, *, variant: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for the same ``name`` and ``variant`` since the data last changed.

    ``variant`` must hold everything else the value depends on (who may see drafts, the frameworks' version).
    One query (the token) when the value is cached.
    """
    token = data_version()
    if token is None:
        return compute()
    # A key any cache backend takes (no spaces or symbols): the parts that vary, hashed.
    parts = repr((connection.alias, connection.settings_dict["NAME"], variant)).encode()
    key = f"data-version:{name}:{token}:{hashlib.sha256(parts).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
