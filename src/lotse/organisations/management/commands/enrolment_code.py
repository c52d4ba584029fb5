from django.core.management.base import BaseCommand, CommandError

from lotse.organisations.models import StaffUser
from lotse.organisations.services import ENROLMENT_CODE_DAYS, enrolment_code_issue


class Command(BaseCommand):
    help = "Issue a one-time code with which a staff user enrols their second factor."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, username, **options):
        user = StaffUser.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        code = enrolment_code_issue(user=user)
        self.stdout.write(f"Enrolment code for {username} (valid {ENROLMENT_CODE_DAYS} days, "
                          f"shown once): {code}")
