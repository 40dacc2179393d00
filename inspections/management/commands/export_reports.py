import json

from django.core.management.base import BaseCommand

from inspections.models import InspectionStatus
from inspections.selectors import inspection_documents


class Command(BaseCommand):
    help = (
        "Write every inspection as a JSON list of documents (docs/data-format.md) to stdout, ordered by "
        "service slug then date, so that two exports can be diffed and any export loaded back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--status", choices=InspectionStatus.values, help="only inspections with this status")

    def handle(self, *args, status: str | None = None, **options):
        documents = inspection_documents(status=status)
        self.stdout.write(json.dumps(documents, indent=2, ensure_ascii=False))
