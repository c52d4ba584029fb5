from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotse.core.backup import BackupError, RestoreRefused, restore_backup


class Command(BaseCommand):
    help = ("Restore the database and the uploaded files from a `lotse backup` archive, then verify "
            "the access log and compare row counts with the archive's manifest. Stop the web "
            "servers and workers first.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The backup archive (.tar).")
        parser.add_argument("--force", action="store_true",
                            help="Replace the data of a database that is not empty.")

    def handle(self, *args, archive, force=False, **options):
        try:
            report = restore_backup(archive, force=force)
        except RestoreRefused as exc:
            raise CommandError(f"Restore refused, nothing was changed: {exc}") from exc
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(f"restored in {report.seconds:.2f} s, {report.tables} tables, {report.rows} rows")
        if not report.ok:
            raise CommandError("The restored data differs from the backup:\n  - " + "\n  - ".join(report.problems))
        self.stdout.write(self.style.SUCCESS(
            f"Row counts match the backup; access log intact ({report.access_log_entries} entries)."))
