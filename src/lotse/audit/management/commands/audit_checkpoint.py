from django.core.management.base import BaseCommand, CommandError

from lotse.audit.checkpoints import CheckpointKeyMissing, checkpoint_file, sign_head


class Command(BaseCommand):
    help = "Sign the current head of the access log (run hourly, e.g. from cron or a timer)."

    def handle(self, *args, **options):
        try:
            head = sign_head()
        except CheckpointKeyMissing as exc:
            raise CommandError(str(exc)) from exc
        if head is None:
            self.stdout.write("The access log is empty; nothing to sign.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Signed checkpoint at entry #{head.seq} ({head.entry_hash[:16]}…), "
            f"also appended to {checkpoint_file()}."))
