"""`lotse api_token_create --username U --name N [--valid-days D]`: print a new token once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lotse.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a staff user and print it once (it is stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument("--valid-days", type=int, default=None,
                            help="Days until the token expires (default: no expiry).")

    def handle(self, *args, username, name, valid_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            token, plaintext = api_token_create(user=user, name=name, valid_days=valid_days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(plaintext)
        expiry = token.expires_at.isoformat() if token.expires_at else "never"
        self.stderr.write(
            f"Token #{token.pk} ({token}) for {user.username}, expires: {expiry}. "
            "It is shown only now; store it in the client's secret store."
        )
