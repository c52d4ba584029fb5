import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from lotse.retention.sweep import run_sweep


class Command(BaseCommand):
    help = ("Erase or anonymise personal data whose retention period has run out (restricting "
            "persons under a legal hold). Run daily from cron; --dry-run only reports.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Report what would be erased; change nothing.")
        parser.add_argument("--today", help="Judge as of this date (YYYY-MM-DD); default today.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, dry_run=False, today=None, json=False, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date like 2027-01-31, not {today!r}.") from exc
        report = run_sweep(day, dry_run=dry_run)
        data = report.as_dict()
        if json:
            self.stdout.write(_json(data))
        else:
            verb = "would erase" if dry_run else "erased"
            self.stdout.write(f"Retention sweep {data['today']}{' (dry run)' if dry_run else ''}: "
                              f"{report.persons_seen} persons seen, {report.persons_erased} "
                              f"{verb} completely, {report.persons_restricted} restricted "
                              f"(legal hold), {len(report.failed_persons)} failed.")
            for title, counts in (("erased" if not dry_run else "would erase", report.erased),
                                  ("anonymised" if not dry_run else "would anonymise",
                                   report.anonymised),
                                  ("restricted", report.restricted)):
                for kind, number in sorted(counts.items()):
                    self.stdout.write(f"  {title}: {kind}: {number}")
            self.stdout.write(f"  uploaded files {'to delete' if dry_run else 'deleted'}: {report.files}")
            if report.missing_rules:
                self.stdout.write(self.style.WARNING(
                    "  no rule in force (nothing erased) for: " + ", ".join(report.missing_rules)))
        if report.failed_persons:
            raise CommandError(f"The sweep failed for {len(report.failed_persons)} persons "
                               f"(ids {report.failed_persons[:20]}); see the log.")


def _json(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True)
