from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotse.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files into one tar archive (mode 0600; it holds "
            "personal data: encrypt it at rest, see docs/operations.md).")

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path,
                            help="Archive file or folder (default: var/backups/lotse-<UTC time>.tar).")

    def handle(self, *args, output=None, **options):
        try:
            result = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        head = manifest["access_log_head"]
        head_text = f"#{head['seq']}" if head else "empty"
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {result.path}: {manifest['database_vendor']}, {result.tables} tables, "
            f"{result.rows} rows, {manifest['media']['files']} uploaded files, access log {head_text}."))
        self.stdout.write("It holds personal data: keep it encrypted and delete it when its retention "
                          "period ends.")
