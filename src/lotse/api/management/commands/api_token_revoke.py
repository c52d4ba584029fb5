"""`lotse api_token_revoke --id N` or `--prefix P`: revoke API tokens."""

from django.core.management.base import BaseCommand, CommandError

from lotse.api.models import ApiToken
from lotse.api.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by id or by its prefix (the 8 characters after 'lotse_')."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--id", type=int, dest="token_id")
        group.add_argument("--prefix")

    def handle(self, *args, token_id=None, prefix=None, **options):
        tokens = ApiToken.objects.filter(pk=token_id) if token_id else ApiToken.objects.filter(
            prefix=prefix.removeprefix("lotse_")[:8])
        ids = list(tokens.values_list("pk", flat=True))
        if not ids:
            raise CommandError("No such token.")
        for pk in ids:
            token = api_token_revoke(token_id=pk)
            self.stdout.write(f"Revoked token #{token.pk} ({token}) of {token.user.username}.")
