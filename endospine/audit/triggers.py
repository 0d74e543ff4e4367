"""Database triggers that make the audit table append-only below the app.

Only `flush` (which empties the whole database, as tests between cases do)
lifts them, and puts them straight back.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

CREATE = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
        "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditevent;",
        "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_no_change ON audit_auditevent;"],
}


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def create(connection: BaseDatabaseWrapper) -> None:
    _run(connection, CREATE)


def drop(connection: BaseDatabaseWrapper) -> None:
    _run(connection, DROP)


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    drop(connection)
    try:
        yield
    finally:
        create(connection)
