from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from lotse.retention.processing_record import as_markdown, processing_record


class Command(BaseCommand):
    help = "Print the record of processing activities (Art. 30 GDPR) as Markdown."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="de", help="de (default) or en")

    def handle(self, *args, language="de", **options):
        today = timezone.localdate()
        with translation.override(language):
            self.stdout.write(as_markdown(processing_record(today), today))
