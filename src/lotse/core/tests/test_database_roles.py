"""Least privilege of the application's database role (ASVS 13.2.2): `lotse db_grants`.

On PostgreSQL the tests create a real LOGIN role, apply the grants as the owner (the test
database's role) and then connect as that role, as an attacker holding the application's
credentials would: the grants must be committed for that second connection to see them, so
these tests run in transactions of their own. On SQLite the command refuses.
"""

import copy
import io
import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from psycopg import sql

from lotse.core.database_roles import TABLE_PRIVILEGES
from lotse.core.testing import build_world, open_case, register_person

ACCESS_LOG = "audit_accessevent"
CHECKPOINTS = "audit_auditcheckpoint"
PEOPLE = "people_person"
INSUFFICIENT_PRIVILEGE = "42501"  # the append-only trigger raises P0001 instead


@dataclass(frozen=True)
class Role:
    name: str
    password: str


def _owner_execute(template: str, *parts) -> None:
    connection.ensure_connection()
    statement = sql.SQL(template).format(*parts).as_string(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.fixture
def app_role():
    """A fresh LOGIN role on the test server, dropped afterwards (also when the test fails)."""
    assert connection.vendor == "postgresql", "needs PostgreSQL (the PostgreSQL pass of make test)"
    role = Role(f"lotse_app_test_{uuid.uuid4().hex[:12]}", secrets.token_urlsafe(24))
    _owner_execute("CREATE ROLE {} LOGIN PASSWORD {}", sql.Identifier(role.name), sql.Literal(role.password))
    try:
        yield role
    finally:
        # DROP OWNED revokes the role's rights in this database (the only one it has rights in),
        # so the role can go and the test database can be dropped.
        _owner_execute("DROP OWNED BY {}", sql.Identifier(role.name))
        _owner_execute("DROP ROLE {}", sql.Identifier(role.name))


@contextmanager
def _connected_as(role: Role):
    """A plain psycopg connection to the test database as the role (autocommit)."""
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or None, port=settings["PORT"] or None,
                         dbname=settings["NAME"], user=role.name, password=role.password,
                         autocommit=True) as raw:
        yield raw


@contextmanager
def _django_connected_as(role: Role):
    """Django's default connection as the role: the application's own code runs on it."""
    owner = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(owner.settings_dict)
    settings_dict.update(USER=role.name, PASSWORD=role.password, CONN_MAX_AGE=0)
    restricted = type(owner)(settings_dict, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = restricted
    try:
        yield restricted
    finally:
        restricted.close()
        connections[DEFAULT_DB_ALIAS] = owner


def _sqlstate_of(raw, statement: str) -> str | None:
    try:
        with raw.transaction():
            raw.execute(statement)
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


def _grant(role: Role) -> str:
    out = io.StringIO()
    call_command("db_grants", role=role.name, apply=True, stdout=out)
    return out.getvalue()


def _table_rights(raw, role: Role, table: str) -> set[str]:
    return {privilege for privilege in TABLE_PRIVILEGES
            if raw.execute("SELECT has_table_privilege(%s, %s, %s)", [role.name, table, privilege]).fetchone()[0]}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_change_the_access_log_or_the_schema(app_role):
    world = build_world()
    register_person(world, given_names="Rights", family_name="Probe")  # a person and log rows
    assert "least privilege" in _grant(app_role)

    with _connected_as(app_role) as raw:
        assert raw.execute(f'SELECT count(*) FROM "{PEOPLE}"').fetchone()[0] == 1
        head = raw.execute(f'SELECT max(seq) FROM "{ACCESS_LOG}"').fetchone()[0]
        assert head >= 1
        with raw.transaction(force_rollback=True):  # appending works; rolled back to keep the chain
            raw.execute(
                f'INSERT INTO "{ACCESS_LOG}" (seq, ts, action, categories, purpose, decision, basis, '
                "object_ref, request_id, prev_hash, entry_hash) "
                "VALUES (%s, now(), 'probe', '', '', 'allowed', '', '', '', %s, %s)",
                [head + 1, "0" * 64, "f" * 64])

        refused = {
            "UPDATE the access log": f"UPDATE \"{ACCESS_LOG}\" SET action = 'forged'",
            "DELETE from the access log": f'DELETE FROM "{ACCESS_LOG}"',
            "TRUNCATE the access log": f'TRUNCATE "{ACCESS_LOG}"',
            "switch off the append-only trigger": f'ALTER TABLE "{ACCESS_LOG}" DISABLE TRIGGER ALL',
            "DELETE a checkpoint": f'DELETE FROM "{CHECKPOINTS}"',
            "TRUNCATE a people table": f'TRUNCATE "{PEOPLE}" CASCADE',
            "CREATE TABLE": "CREATE TABLE lotse_intruder (id integer)",
            "CREATE TEMP TABLE": "CREATE TEMP TABLE lotse_intruder (id integer)",
            "CREATE SCHEMA": "CREATE SCHEMA lotse_intruder",
            "DROP TABLE": f'DROP TABLE "{PEOPLE}" CASCADE',
            "ALTER TABLE": f'ALTER TABLE "{PEOPLE}" ADD COLUMN intruder integer',
            "CREATE TRIGGER": (f'CREATE TRIGGER intruder BEFORE INSERT ON "{ACCESS_LOG}" '
                               "FOR EACH ROW EXECUTE FUNCTION lotse_audit_append_only()"),
            "fake a migration": "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
            "forget a migration": "DELETE FROM django_migrations",
        }
        outcomes = {what: _sqlstate_of(raw, statement) for what, statement in refused.items()}
        assert outcomes == dict.fromkeys(refused, INSUFFICIENT_PRIVILEGE)

        assert _table_rights(raw, app_role, ACCESS_LOG) == {"SELECT", "INSERT"}
        assert _table_rights(raw, app_role, CHECKPOINTS) == {"SELECT", "INSERT", "UPDATE"}
        assert _table_rights(raw, app_role, "django_migrations") == {"SELECT"}
        ordinary = {"SELECT", "INSERT", "UPDATE", "DELETE"}
        task_queue = apps.get_model("django_tasks_database", "DBTaskResult")._meta.db_table
        for table in (PEOPLE, task_queue, "django_session", "axes_accessattempt"):
            assert _table_rights(raw, app_role, table) == ordinary, table


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_works_under_the_role(app_role, settings, tmp_path):
    settings.LOTSE_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.pem"
    settings.LOTSE_AUDIT_PUBLIC_KEY_FILE = tmp_path / "keys" / "audit.pub.pem"
    settings.LOTSE_AUDIT_CHECKPOINT_FILE = tmp_path / "keys" / "checkpoints.jsonl"
    call_command("audit_keygen", stdout=io.StringIO())
    world = build_world()  # the reference data and the organisation, as the owner
    _grant(app_role)

    with _django_connected_as(app_role) as restricted:
        assert restricted.settings_dict["USER"] == app_role.name
        # Writes through the services, each logged in the access log in the same transaction.
        person_id = register_person(world, by="caritas", given_names="Role", family_name="Probe")
        case = open_case(world, person_id)
        assert case.pk
        # A checkpoint twice on the same head: the second one updates the stored row.
        for _ in range(2):
            call_command("audit_checkpoint", stdout=io.StringIO())
        out = io.StringIO()
        call_command("verify_audit", stdout=out)
        assert "Access log intact" in out.getvalue()
        call_command("migrate", check_unapplied=True, verbosity=0)  # reads django_migrations only
        with restricted.cursor() as cursor:
            cursor.execute(f'SELECT count(*), current_user FROM "{ACCESS_LOG}"')
            entries, user = cursor.fetchone()
    assert user == app_role.name
    assert entries >= 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_print_shows_the_sql_for_review_and_changes_nothing(app_role):
    out = io.StringIO()
    call_command("db_grants", role=app_role.name, stdout=out)
    lines = out.getvalue().splitlines()
    role = f'"{app_role.name}"'
    assert f'REVOKE ALL ON ALL TABLES IN SCHEMA "public" FROM {role};' in lines
    assert f'GRANT SELECT, INSERT ON TABLE "{ACCESS_LOG}" TO {role};' in lines
    assert f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "{PEOPLE}" TO {role};' in lines
    assert 'REVOKE CREATE ON SCHEMA "public" FROM PUBLIC;' in lines
    grants = [line for line in lines if line.startswith("GRANT")]
    assert grants and not [line for line in grants
                           if any(word in line for word in ("TRUNCATE", "REFERENCES", "TRIGGER", "ALL", "CREATE"))]
    assert [line for line in lines if f'"{ACCESS_LOG}"' in line] == [
        f'GRANT SELECT, INSERT ON TABLE "{ACCESS_LOG}" TO {role};']

    with _connected_as(app_role) as raw:
        assert _table_rights(raw, app_role, PEOPLE) == set()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_unknown_owner_and_too_powerful_roles_are_refused_and_nothing_changes(app_role):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("db_grants", role=f"{app_role.name}_missing", apply=True)
    with pytest.raises(CommandError, match="connected as"):
        call_command("db_grants", role=connection.settings_dict["USER"], apply=True)

    # A member of the owner role keeps the owner's rights whatever is granted: refused, rolled back.
    _owner_execute("GRANT {} TO {}", sql.Identifier(connection.settings_dict["USER"]), sql.Identifier(app_role.name))
    with pytest.raises(CommandError, match="can still do more than it needs") as refusal:
        call_command("db_grants", role=app_role.name, apply=True)
    assert f"TRUNCATE on table {ACCESS_LOG}" in str(refusal.value)
    _owner_execute("REVOKE {} FROM {}", sql.Identifier(connection.settings_dict["USER"]), sql.Identifier(app_role.name))
    with _connected_as(app_role) as raw:
        assert _table_rights(raw, app_role, PEOPLE) == set()  # the refused run granted nothing

    _owner_execute("ALTER ROLE {} CREATEROLE", sql.Identifier(app_role.name))
    with pytest.raises(CommandError, match="NOCREATEROLE"):
        call_command("db_grants", role=app_role.name, apply=True)


@pytest.mark.db_independent  # the SQLite pass only: there the default database is SQLite
def test_sqlite_has_no_roles_and_the_command_refuses():
    assert connection.vendor == "sqlite"
    with pytest.raises(CommandError, match="SQLite has no database roles"):
        call_command("db_grants", role="lotse_app", apply=True)
    with pytest.raises(CommandError, match="file's permissions"):
        call_command("db_grants", role="lotse_app")
