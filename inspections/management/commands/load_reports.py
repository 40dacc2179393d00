from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inspections.jsonchecks import DocumentInvalid
from inspections.services import reports_load


class Command(BaseCommand):
    help = (
        "Check and load inspection documents (docs/data-format.md) in one transaction. "
        "On any problem nothing is written; loading the same files again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="inspection document files")
        parser.add_argument("--user", help="username to record in the audit history as having loaded them")

    def handle(self, *args, paths: list[Path], user: str | None = None, **options):
        loader = None
        if user:
            loader = get_user_model().objects.filter(username=user).first()
            if loader is None:
                raise CommandError(f"--user {user!r}: no such user")
        try:
            results = reports_load(paths=paths, user=loader, reason="load_reports")
        except DocumentInvalid as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from None
        for result in results:
            self.stdout.write(f"{result.source}: {result.outcome} ({result.inspection})")
        outcomes = [result.outcome for result in results]
        self.stdout.write(
            f"{len(results)} documents: {outcomes.count('created')} created, "
            f"{outcomes.count('updated')} updated, {outcomes.count('unchanged')} unchanged"
        )
