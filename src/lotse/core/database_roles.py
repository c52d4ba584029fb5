"""Least privilege for the application's database role on PostgreSQL (ASVS 13.2.2).

Two roles: an owner role owns the database, the schema and every table; it runs `lotse
migrate`, `lotse restore` and `lotse db_grants --apply`. The application role, which the web
servers and workers connect as, owns nothing and gets only what Lotse needs at run time:

- CONNECT on the database (no CREATE, no TEMPORARY), USAGE on the schema (no CREATE);
- SELECT, INSERT, UPDATE, DELETE on the tables of the installed models (Lotse, Django,
  django-otp, django-axes and the database task queue of django-tasks);
- on the access log (`audit_accessevent`) only SELECT and INSERT: the application appends
  and reads, it never changes or removes an entry;
- on the signed checkpoints (`audit_auditcheckpoint`) SELECT, INSERT and UPDATE but no
  DELETE: `audit_checkpoint` stores a checkpoint with `update_or_create`, which locks the row
  with SELECT … FOR UPDATE and so needs UPDATE;
- on `django_migrations` only SELECT: only the owner migrates; the application may read which
  migrations are applied (`lotse showmigrations`, `lotse migrate --check`, backups);
- USAGE and SELECT on the sequences of the tables it inserts into.

No TRUNCATE, REFERENCES or TRIGGER anywhere, and no DDL: without ownership the role can
neither ALTER nor DROP a table, and without CREATE on the schema it creates none. CREATE on
the schema and TEMPORARY on the database are also revoked from PUBLIC (every role is a member
of PUBLIC). The statements first revoke everything from the role and then grant the list
above, so running them again is harmless and also takes back rights granted earlier.

New tables of a later migration get no rights on their own (no ALTER DEFAULT PRIVILEGES, on
purpose): run `lotse db_grants --role ROLE --apply` again after every `lotse migrate`.

SQLite has no roles: there, the file permissions of the database are the boundary.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError, transaction
from psycopg import sql

FULL_ACCESS = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY = ("SELECT", "INSERT")
NO_DELETE = ("SELECT", "INSERT", "UPDATE")
READ_ONLY = ("SELECT",)
SEQUENCE_ACCESS = ("USAGE", "SELECT")

# Every table privilege PostgreSQL knows; whatever the plan does not grant must be absent.
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT", "UPDATE")

MIGRATIONS_TABLE = "django_migrations"


class DatabaseRoleError(Exception):
    """The rights cannot be produced or applied; the message says why and what to do."""


@dataclass(frozen=True)
class GrantPlan:
    database: str
    schema: str
    role: str
    tables: dict[str, tuple[str, ...]]
    sequences: dict[str, tuple[str, ...]]


def restricted_tables() -> dict[str, tuple[str, ...]]:
    """Tables with fewer rights than FULL_ACCESS, by table name."""
    access_log = apps.get_model("audit", "AccessEvent")._meta.db_table
    checkpoints = apps.get_model("audit", "AuditCheckpoint")._meta.db_table
    return {access_log: APPEND_ONLY, checkpoints: NO_DELETE, MIGRATIONS_TABLE: READ_ONLY}


def build_plan(connection, role: str) -> GrantPlan:
    """What the role gets on the current database; raise DatabaseRoleError if it cannot be
    given safely (SQLite, unknown role, a role too powerful for grants to mean anything)."""
    require_postgresql(connection)
    check_role(connection, role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        existing = set(connection.introspection.table_names(cursor))
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        if MIGRATIONS_TABLE in existing:
            tables.append(MIGRATIONS_TABLE)
        restricted = restricted_tables()
        grants = {table: restricted.get(table, FULL_ACCESS) for table in tables}
        sequences = {}
        for table, privileges in grants.items():
            if "INSERT" in privileges:
                for sequence in connection.introspection.get_sequences(cursor, table):
                    sequences[sequence["name"]] = SEQUENCE_ACCESS
    return GrantPlan(database=database, schema=schema, role=role, tables=grants,
                     sequences=dict(sorted(sequences.items())))


def require_postgresql(connection) -> None:
    if connection.vendor == "sqlite":
        raise DatabaseRoleError(
            "SQLite has no database roles: there, least privilege is the database file's "
            "permissions (mode 0600, owned by the service user). db_grants is for PostgreSQL.")
    if connection.vendor != "postgresql":
        raise DatabaseRoleError(f"db_grants supports PostgreSQL only, not {connection.vendor}.")


def check_role(connection, role: str) -> None:
    """The role must exist, and be neither the connected role nor one whose attributes make
    table rights meaningless (superuser; CREATEROLE could make itself a member of the owner)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolname = current_user FROM pg_roles WHERE rolname = %s",
            [role])
        row = cursor.fetchone()
    if row is None:
        raise DatabaseRoleError(
            f"The role {role!r} does not exist on this server. Create it first, e.g. "
            f"CREATE ROLE {role} LOGIN PASSWORD '…'; then run db_grants again.")
    superuser, createrole, is_current = row
    if is_current:
        raise DatabaseRoleError(
            f"{role!r} is the role this command is connected as (DATABASE_URL): that is the owner "
            "role. Name the application role, which the web servers and workers connect as.")
    if superuser or createrole:
        raise DatabaseRoleError(
            f"The role {role!r} is a superuser or may create roles; grants cannot restrict it. "
            f"Run ALTER ROLE {role} NOSUPERUSER NOCREATEROLE; first.")


def grant_statements(connection, plan: GrantPlan) -> list[str]:
    """The SQL of the plan, one statement per item, identifiers quoted by psycopg."""
    connection.ensure_connection()
    raw = connection.connection
    database, schema, role = (sql.Identifier(name) for name in (plan.database, plan.schema, plan.role))

    def render(template: str, *parts) -> str:
        return sql.SQL(template).format(*parts).as_string(raw) + ";"

    statements = [
        render("REVOKE ALL ON DATABASE {} FROM {}", database, role),
        render("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC", database),
        render("GRANT CONNECT ON DATABASE {} TO {}", database, role),
        render("REVOKE ALL ON SCHEMA {} FROM {}", schema, role),
        render("REVOKE CREATE ON SCHEMA {} FROM PUBLIC", schema),
        render("GRANT USAGE ON SCHEMA {} TO {}", schema, role),
        render("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}", schema, role),
        render("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}", schema, role),
    ]
    for table, privileges in plan.tables.items():
        statements.append(render("GRANT {} ON TABLE {} TO {}", sql.SQL(", ".join(privileges)),
                                 sql.Identifier(table), role))
    for sequence, privileges in plan.sequences.items():
        statements.append(render("GRANT {} ON SEQUENCE {} TO {}", sql.SQL(", ".join(privileges)),
                                 sql.Identifier(sequence), role))
    return statements


def privileges_beyond_plan(connection, plan: GrantPlan) -> list[str]:
    """What the role can effectively do beyond the plan, as PostgreSQL's privilege functions
    see it (ownership, membership in the owner role or in pg_write_all_data, grants to PUBLIC
    included); empty when the role has exactly the least privilege."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relkind = 'S', p.privilege FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "CROSS JOIN unnest(%s::text[]) AS p(privilege) "
            "WHERE n.nspname = %s AND ("
            " (c.relkind IN ('r', 'p', 'v', 'm', 'f') AND p.privilege = ANY(%s::text[])"
            "  AND has_table_privilege(%s, c.oid, p.privilege))"
            " OR (c.relkind = 'S' AND p.privilege = ANY(%s::text[])"
            "  AND has_sequence_privilege(%s, c.oid, p.privilege))) "
            "ORDER BY 1, 3",
            [list(dict.fromkeys(TABLE_PRIVILEGES + SEQUENCE_PRIVILEGES)), plan.schema,
             list(TABLE_PRIVILEGES), plan.role, list(SEQUENCE_PRIVILEGES), plan.role])
        for name, is_sequence, privilege in cursor.fetchall():
            allowed = (plan.sequences if is_sequence else plan.tables).get(name, ())
            if privilege not in allowed:
                problems.append(f"{privilege} on {'sequence' if is_sequence else 'table'} {name}")
        cursor.execute(
            "SELECT has_schema_privilege(%s, %s, 'CREATE'), has_database_privilege(%s, %s, 'CREATE'), "
            "has_database_privilege(%s, %s, 'TEMPORARY')",
            [plan.role, plan.schema, plan.role, plan.database, plan.role, plan.database])
        schema_create, database_create, temporary = cursor.fetchone()
    if schema_create:
        problems.append(f"CREATE on schema {plan.schema}")
    if database_create:
        problems.append(f"CREATE on database {plan.database}")
    if temporary:
        problems.append(f"TEMPORARY on database {plan.database}")
    return problems


def apply_grants(connection, role: str) -> list[str]:
    """Run the statements in one transaction as the connected (owner) role and check the
    result; nothing changes if a statement fails or the role keeps more than the plan."""
    plan = build_plan(connection, role)
    statements = grant_statements(connection, plan)
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            beyond = privileges_beyond_plan(connection, plan)
            if beyond:
                raise DatabaseRoleError(
                    f"After the grants the role {role!r} can still do more than it needs, so nothing "
                    "was changed: " + "; ".join(beyond) + ". It probably owns tables or is a member of "
                    "the owner role or of pg_write_all_data: run ALTER TABLE … OWNER TO the owner role "
                    "(or REASSIGN OWNED BY the role TO the owner role) and REVOKE the membership, then "
                    "run db_grants again.")
    except DatabaseError as exc:
        raise DatabaseRoleError(
            f"The grants could not be applied, nothing was changed: {exc}. Connect (DATABASE_URL) as "
            "the role that owns the database and the tables, or as a superuser.") from exc
    return statements
