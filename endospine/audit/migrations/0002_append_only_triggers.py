"""Make the audit table append-only in the database itself, not only in the app."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_no_change ON audit_auditevent;",
        "DROP FUNCTION IF EXISTS audit_append_only();",
    ],
}


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
