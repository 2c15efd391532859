"""A copy of the test database as it is once the territory and the plan are loaded, put back
after a flushing test instead of loading them again.

Loading the 312 comuni and the plan's 66 pages (Italian and English, through wagtail-localize)
takes several seconds; every browser test and every ``transactional_db`` test flushes the
database when it ends, so the next one had to load them again. The copy is taken once per test
process, right after ``django_db_setup``:
- SQLite (the embedded default): SQLite's online backup, page by page, into a second in-memory
  database and back;
- PostgreSQL: every table's rows through ``COPY`` into memory and back, with the foreign-key
  triggers off while the tables are emptied and the rows go in (the rows were consistent when
  they were copied).
Row ids are the ones the copy was taken with, so the in-process caches that remember ids
(content types, the Italian locale) are emptied after a restore.
"""

from __future__ import annotations

import io
import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction


class Snapshot:
    def __init__(self, vendor: str, data):
        self.vendor = vendor
        self.data = data


def take() -> Snapshot | None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot("sqlite", copy)
    if connection.vendor == "postgresql":
        return Snapshot("postgresql", _pg_copy_out())
    return None


def restore(snapshot: Snapshot) -> None:
    connection.ensure_connection()
    if snapshot.vendor == "sqlite":
        snapshot.data.backup(connection.connection)
    else:
        _pg_copy_in(snapshot.data)
    ContentType.objects.clear_cache()
    from psm.localisation import DEFAULT_LOCALE_KEY

    cache.delete(DEFAULT_LOCALE_KEY)


def _pg_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _pg_copy_out() -> dict[str, bytes]:
    rows = {}
    with connection.cursor() as cursor:
        for table in _pg_tables():
            buffer = io.BytesIO()
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                for chunk in copy:
                    buffer.write(chunk)
            rows[table] = buffer.getvalue()
    return rows


def _pg_copy_in(rows: dict[str, bytes]) -> None:
    """Empty every table and copy the rows back. DELETE rather than TRUNCATE: after a flush
    most tables are empty already, and TRUNCATE gives each table new files, which costs far more
    than deleting the few rows a flush's post-migrate handlers put back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            for table in rows:
                cursor.execute(f'DELETE FROM "{table}"')
            for table, data in rows.items():
                if data:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
