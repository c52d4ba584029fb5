"""`lotse appointments_daily`: the foreigners' authorities' daily run (expiry scan, assignment,
invitations), now and/or as a background task every day."""

from django.core.management.base import BaseCommand, CommandError

from lotse.appointments.models import Office
from lotse.appointments.slots import authority_agencies
from lotse.appointments.tasks import daily_run, schedule_all
from lotse.organisations.models import Agency, AgencyKind


class Command(BaseCommand):
    help = ("Run the daily eAT appointment work now (--run-now) and/or start its daily background task "
            "(--schedule, idempotent; the worker `lotse db_worker` runs it).")

    def add_arguments(self, parser):
        parser.add_argument("--run-now", action="store_true", help="Scan, assign and invite now.")
        parser.add_argument("--schedule", action="store_true", help="Enqueue the next daily run of every "
                            "authority that has none pending.")
        parser.add_argument("--agency", type=int, default=None, help="Only this authority (id).")

    def handle(self, *args, run_now=False, schedule=False, agency=None, **options):
        if not run_now and not schedule:
            raise CommandError("Say --run-now, --schedule or both.")
        if run_now:
            authorities = {}
            query = Office.objects.filter(is_active=True, agency__kind=AgencyKind.FOREIGNERS_AUTHORITY)
            if agency is not None:
                query = query.filter(agency__in=authority_agencies(Agency.objects.get(pk=agency)))
            for office in query.select_related("agency__parent"):
                main = authority_agencies(office.agency)[0]
                authorities[main.pk] = main
            for main in authorities.values():
                report = daily_run(main)
                self.stdout.write(f"{main.name}: {report['proposed']} proposed, {report['booked']} booked "
                                  f"({report['unassigned']} without a time), {report['invited']} invited, "
                                  f"{report['emails']} by e-mail.")
        if schedule:
            count = schedule_all()
            self.stdout.write(f"Daily run scheduled for {count} authorities.")
