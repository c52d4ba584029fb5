from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lotse.audit.checkpoints import generate_keypair


class Command(BaseCommand):
    help = "Create the Ed25519 key pair that signs audit checkpoints (kept outside the database)."

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if a key exists.")

    def handle(self, *args, if_missing=False, **options):
        private = Path(settings.LOTSE_AUDIT_KEY_FILE)
        public = Path(settings.LOTSE_AUDIT_PUBLIC_KEY_FILE)
        if private.exists():
            if if_missing:
                self.stdout.write(f"Audit signing key present: {private}")
                return
            raise CommandError(f"{private} exists; refusing to overwrite an audit key.")
        generate_keypair(private, public)
        self.stdout.write(self.style.SUCCESS(f"Audit signing key written to {private} (public: {public})."))
