import time

from django.core.management.base import BaseCommand, CommandError

from lotse.audit.checkpoints import CheckpointKeyMissing
from lotse.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the whole access log against its hashes and the signed checkpoints."

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = verify_chain()
        except CheckpointKeyMissing as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        if not result.ok:
            raise CommandError(
                f"Access log BROKEN at entry #{result.first_broken_seq}: {result.problem} "
                f"({result.entries} entries verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(
            f"Access log intact: {result.entries} entries, {result.checkpoints} signed "
            f"checkpoints, {elapsed:.2f} s."))
