"""The access log is append-only at database level.

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE rights should also be revoked from
the application role in production; see docs/operations.md). SQLite: a trigger raises on
UPDATE (DELETE stays possible there because Django's test flush uses it).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION lotse_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION lotse_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP FUNCTION IF EXISTS lotse_audit_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
BEGIN SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_accessevent_no_update;"


def create_triggers(apps, schema_editor):
    sql = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    sql = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
