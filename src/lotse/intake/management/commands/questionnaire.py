"""Export the current version of a questionnaire as JSON, or publish a new version from a file.

    lotse questionnaire export kim-erstgespraech > erstgespraech.json
    lotse questionnaire publish kim-erstgespraech --title "…" --file erstgespraech.json
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lotse.intake.selectors import questionnaire_current
from lotse.intake.services import questionnaire_publish


class Command(BaseCommand):
    help = "Export the current questionnaire version as JSON, or publish a new version from a file."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "publish"])
        parser.add_argument("code")
        parser.add_argument("--file", help="JSON definition to publish.")
        parser.add_argument("--title", default="", help="Title of the new version.")

    def handle(self, *args, action, code, file=None, title="", **options):
        current = questionnaire_current(code)
        if action == "export":
            if current is None:
                raise CommandError(f"No questionnaire '{code}'.")
            self.stdout.write(json.dumps(current.definition, ensure_ascii=False, indent=2))
            return
        if not file:
            raise CommandError("publish needs --file with the JSON definition.")
        try:
            with open(file, encoding="utf-8") as handle:
                definition = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            published = questionnaire_publish(
                code=code, title=title or (current.title if current else code),
                definition=definition, published_on=timezone.localdate())
        except ValidationError as exc:
            raise CommandError("The definition was not published:\n- " + "\n- ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Published {published.code} version {published.version}; earlier intakes keep theirs."))
