import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inspections.importing import ImportResult, ImportUnreadable, import_report_text
from inspections.importing.reading import report_text_from_file
from inspections.jsonchecks import DocumentInvalid
from inspections.models import Nation
from inspections.services import documents_load


class Command(BaseCommand):
    help = (
        "Read a published report (plain text or a PDF with a text layer) into a draft inspection document. "
        "Prints the document (or writes it with --output) and, on stderr, every value it could not read. "
        "Exits non-zero only when the file cannot be read as a report (or --load is refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the report: a .txt file or a PDF")
        parser.add_argument("--service", help="the service's slug, where it is stored under another one")
        parser.add_argument(
            "--nation",
            choices=Nation.values,
            help="the service's nation, where the report does not say and the service is not stored yet",
        )
        parser.add_argument("--output", type=Path, help="write the document to this file instead of stdout")
        parser.add_argument(
            "--load", action="store_true", help="also load the draft (replacing a stored copy of the inspection)"
        )
        parser.add_argument("--user", help="with --load: the username to record in the audit history")

    def handle(self, *args, path: Path, service=None, nation=None, output=None, load=False, user=None, **options):
        loader = None
        if user:
            loader = get_user_model().objects.filter(username=user).first()
            if loader is None:
                raise CommandError(f"--user {user!r}: no such user")
        progress = self._progress if self.stderr.isatty() else None
        try:
            text = report_text_from_file(path, progress=progress)
            result = import_report_text(text, service, progress=progress, nation=nation)
        except ImportUnreadable as unreadable:
            raise CommandError(f"{path}: cannot be imported: {unreadable}") from None
        except ValueError as error:  # only --service can be wrong: argparse checks --nation
            raise CommandError(f"--service: {error}") from None
        finally:
            if progress is not None:
                self.stderr.write("")

        text = json.dumps(result.document, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
        self.stderr.write(problems_report(path, result), ending="")

        if load:
            try:
                [loaded] = documents_load(documents=[(str(path), result.document)], user=loader, reason="import_report")
            except DocumentInvalid as error:
                raise CommandError(f"Nothing was loaded: correct the draft, then load it.\n{error}") from None
            self.stderr.write(f"{path}: {loaded.outcome} ({loaded.inspection}), as a draft")

    def _progress(self, stage: str, done: int, total: int) -> None:
        # On a terminal only: one line redrawn in place.
        self.stderr.write(f"\r{stage}: {done}/{total}\x1b[K", ending="")
        sys.stderr.flush()


def problems_report(path: Path, result: ImportResult) -> str:
    """What could not be read: one line per problem, with the nearby source line where there is one."""
    lines = [
        f"{path}: read as {result.format}: {len(result.sources)} values read, "
        f"{len(result.problems)} could not be read{':' if result.problems else '.'}"
    ]
    for problem in result.problems:
        line = f"  {problem.field}: {problem.reason}"
        if problem.source is not None:
            line += f" (line {problem.source.number}: {problem.source.text!r})"
        lines.append(line)
    return "\n".join(lines) + "\n"
