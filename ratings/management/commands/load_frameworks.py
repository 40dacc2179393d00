import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.jsonchecks import DocumentInvalid
from ratings.services import frameworks_load


class Command(BaseCommand):
    help = "Create or update rating scales and frameworks from a frameworks file (docs/data-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="e.g. fixtures/frameworks.json")

    def handle(self, *args, path: Path, **options):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: cannot read: {error}") from None
        try:
            counts = frameworks_load(data=data, source=str(path))
        except DocumentInvalid as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from None
        self.stdout.write(
            f"{path}: {counts.frameworks} frameworks, {counts.standards} standards, "
            f"{counts.key_questions} key questions, {counts.scales} rating scales"
        )
