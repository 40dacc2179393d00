import time

from django.core.management.base import BaseCommand, CommandError

from inspections.synthetic import SyntheticDataExists, synthetic_generate


class Command(BaseCommand):
    help = (
        "Write synthetic services and published inspections (slugs starting 'synthetic-') for benchmarks and load "
        "tests: the same seed always writes the same rows. Needs the frameworks loaded; refuses a database that "
        "already holds synthetic services. No history is recorded for them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="how many services")
        parser.add_argument("--inspections-per-service", type=int, default=6, help="inspections of each service")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")

    def handle(self, *args, services: int, inspections_per_service: int, seed: int, **options):
        started = time.monotonic()
        # A progress bar for a person at a terminal; plain lines every tenth for logs (CI has no terminal).
        interactive = self.stdout.isatty()
        tenths_written = [0]

        def progress(done: int, total: int) -> None:
            if interactive:
                filled = 30 * done // total
                self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} services", ending="")
                self.stdout.flush()
                if done == total:
                    self.stdout.write("")
            elif 10 * done // total > tenths_written[0]:
                tenths_written[0] = 10 * done // total
                self.stdout.write(f"{done}/{total} services written")

        try:
            result = synthetic_generate(
                services=services, inspections_per_service=inspections_per_service, seed=seed, progress=progress
            )
        except (SyntheticDataExists, ValueError) as error:
            raise CommandError(f"Nothing was written: {error}") from None
        self.stdout.write(
            f"{result.services} services, {result.inspections} inspections, {result.judgements} judgements, "
            f"{result.key_question_scores} key-question scores, {result.findings} findings, "
            f"{result.recommendations} recommendations, {result.key_facts} key facts "
            f"in {time.monotonic() - started:.1f} s (seed {seed})"
        )
