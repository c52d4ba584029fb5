from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lotse.core.database_roles import DatabaseRoleError, apply_grants, build_plan, grant_statements


class Command(BaseCommand):
    help = ("Give the application's database role least privilege on PostgreSQL: connect, read "
            "and write the tables, only read and append to the access log, no TRUNCATE and no "
            "DDL (see docs/operations.md, 'Database rights'). Prints the SQL by default; --apply "
            "runs it, connected (DATABASE_URL) as the owner role. Run it again after every "
            "`lotse migrate`.")

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True,
                            help="The application role the web servers and workers connect as.")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--print", action="store_true", dest="print_sql",
                          help="Print the SQL for review (the default).")
        mode.add_argument("--apply", action="store_true",
                          help="Run the SQL in one transaction and check the role's rights afterwards.")

    def handle(self, *args, role, apply=False, **options):
        try:
            if apply:
                statements = apply_grants(connection, role)
            else:
                statements = grant_statements(connection, build_plan(connection, role))
        except DatabaseRoleError as exc:
            raise CommandError(str(exc)) from exc
        if not apply:
            self.stdout.write("\n".join(statements))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Applied {len(statements)} statements: {role} now has least privilege on this database. "
            "Run this again after every `lotse migrate`."))
