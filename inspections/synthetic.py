"""Synthetic inspections at national scale, for the benchmark (``make bench``) and load tests.

``synthetic_generate`` writes ``services`` made-up services with ``inspections_per_service`` published inspections
each, across the frameworks stored in the database, and the same seed always writes the same rows:

- dates follow each framework's era (from its ``in_force_from`` to the year before the next framework starts);
- ratings come from a latent quality per service and inspection, so they are spread roughly as in real reports
  (most services Good or Requires improvement, fewer Outstanding or Inadequate);
- a case-based standard's key-question % give the rating the rules propose (``ratings.rules``), except for a few
  judgements marked with professional discretion and their reason; the overall rating is the one the counted
  standards add up to; FJI scores follow their theme's rating; SQS gives no ratings, as in the real reports;
- findings, recommendations and quotes are built from the sentences of the seed reports in ``fixtures/reports/``
  (so their length and vocabulary are a real report's), with the seed services' names replaced by the synthetic
  service's; about 60 findings per inspection;
- every slug starts with ``synthetic-``, so synthetic services never collide with real ones.

Rows are written in bulk: ``bulk_create`` in batches, and on PostgreSQL ``COPY`` for the large tables (with the
findings table's secondary indexes dropped and rebuilt around the copy, inside the same transaction, and the
judgements' trigger that files findings again turned off meanwhile: there are no findings yet to file). No history
rows are written for synthetic data: it is not anyone's edit. The check constraints and the cross-table triggers
stay on and see every row.
"""

import contextlib
import datetime
import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from findings.models import Finding, FindingKind, Recommendation
from inspections.models import (
    DatePrecision,
    Inspection,
    InspectionArea,
    InspectionStatus,
    KeyFact,
    LocalAuthority,
    Nation,
    Service,
)
from inspections.services import inspections_flag_latest
from ratings import rules
from ratings.models import Judgement, KeyQuestionScore, RatedBy
from ratings.selectors import FrameworkCatalogue, framework_catalogues

SLUG_PREFIX = "synthetic-"
SEED_REPORTS = Path(settings.BASE_DIR) / "fixtures" / "reports"
# The last year synthetic inspections are dated in (fixed, so that a seed gives the same rows every year).
LAST_YEAR = 2025
FINDINGS_PER_INSPECTION = 60
DISCRETION_SHARE = 0.04
MAX_INSPECTIONS_PER_SERVICE = 40
SERVICE_BATCH = 100
# The batches after which the tables' statistics are refreshed (_CopyWriter.statistics_refresh): after the first,
# then each time the rows written have grown tenfold.
STATISTICS_REFRESHED_AFTER = frozenset({1, 10, 100, 1000})
BULK_BATCH = 2000
# Stands for the service's name in the seed sentences (a private-use character no report contains).
NAME = "\ue010"

PLACE_STARTS = (
    "Ash Bar Black Bourne Bram Brook Burn Cald Carl Chester Clay Cole Craig Dun East Elm Fair Fern Glen Green "
    "Hart Hazel High Holm Kings Lang Lea Lin Long Marsh Mill Moss New North Oak Pen Red Rich Rose Rother Sand "
    "Shel South Stan Stock Stone Thorn Tre Wake Water West Whit Wick Wil Win Wood Wren Yar Aber Bryn Llan"
).split()
PLACE_ENDS = (
    "bury by caster chester combe dale den don field ford gate ham haven hill holme hurst ington land leigh ley "
    "mere minster mouth ness port shaw stead stoke ton wald well wick worth"
).split()
SERVICE_KINDS = ("Youth Offending Service", "Youth Offending Team", "Youth Justice Service")
INSPECTORS = (
    "Alex Morgan",
    "Sam Patel",
    "Jo Williams",
    "Chris Evans",
    "Priya Shah",
    "Rhys Jones",
    "Helen Clarke",
    "David Okafor",
    "Fiona Grant",
    "Tom Hughes",
)
ADDRESSEES = ("{name} Management Board", "The Chair of the {name} Management Board", "The {name} Manager")
DISCRETION_REASON = (
    "The inspectors used professional discretion: the lowest key question does not reflect the quality of the "
    "work seen across the cases."
)


@dataclass(frozen=True)
class SyntheticResult:
    services: int
    inspections: int
    judgements: int
    key_question_scores: int
    findings: int
    recommendations: int
    key_facts: int


class SyntheticDataExists(Exception):
    """Synthetic services are already stored: generating again would collide with them."""


@dataclass
class SeedCorpus:
    """What the seed reports say, cut into pieces that synthetic reports are built from."""

    sentences: dict[str, list[str]]  # by finding kind
    sentence_counts: dict[str, list[int]]  # how many sentences each seed finding of a kind has
    kinds: dict[str, list[str]]  # by framework code: the kinds of its seed findings (duplicates keep the mix)
    attributions: list[str]
    recommendations: list[str]
    key_facts: dict[str, list[dict]]  # by framework code
    scored_standards: set[tuple[str, str]]  # (framework, standard) pairs whose seed judgements give a score

    @cached_property
    def all_sentences(self) -> list[str]:
        return [sentence for pool in self.sentences.values() for sentence in pool]


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“'\"])")


def seed_corpus(*, directory: Path = SEED_REPORTS) -> SeedCorpus:
    """The seed reports' sentences, kinds of findings, recommendations and key facts, in a fixed order."""
    corpus = SeedCorpus(
        sentences={},
        sentence_counts={},
        kinds={},
        attributions=[],
        recommendations=[],
        key_facts={},
        scored_standards=set(),
    )
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        names = _seed_names(document)
        framework = document["framework"]

        def anonymised(text: str, names=names) -> str:
            for name in names:
                text = text.replace(name, NAME)
            return text

        for finding in document["findings"]:
            kind = finding["kind"]
            sentences = [s for s in SENTENCE_END.split(anonymised(finding["text"]).strip()) if s]
            corpus.sentences.setdefault(kind, []).extend(sentences)
            corpus.sentence_counts.setdefault(kind, []).append(max(1, len(sentences)))
            corpus.kinds.setdefault(framework, []).append(kind)
            if finding.get("attribution"):
                corpus.attributions.append(anonymised(finding["attribution"]))
        corpus.recommendations.extend(anonymised(r["text"]) for r in document["recommendations"])
        facts = [fact for fact in document["key_facts"] if fact["value"] is not None and "area" not in fact]
        corpus.key_facts.setdefault(framework, []).extend(facts)
        for judgement in document["judgements"]:
            if judgement["score_percent"] is not None:
                corpus.scored_standards.add((framework, judgement["code"]))
    return corpus


def _seed_names(document: dict) -> list[str]:
    """The names by which a seed report calls its service and areas, longest first (so the full name goes first)."""
    service = document["service"]
    names = {service["name"], *service["local_authorities"], service["slug"].replace("-", " ").title()}
    names |= set(re.findall(r"\(([A-Z]{4,})\)", json.dumps(document)))  # initialisms: "(WBYJEIS)"
    return sorted(names, key=len, reverse=True)


@dataclass
class Era:
    catalogue: FrameworkCatalogue
    first_year: int
    last_year: int


def framework_eras(catalogues: dict[str, FrameworkCatalogue]) -> list[Era]:
    """Each framework's years: from its ``in_force_from`` to its ``in_force_to``, else to the year before the next
    framework comes into force, else to ``LAST_YEAR``."""
    dated = sorted(
        (c for c in catalogues.values() if c.framework.in_force_from), key=lambda c: c.framework.in_force_from
    )
    eras = []
    for catalogue in dated:
        start = catalogue.framework.in_force_from
        later = [c.framework.in_force_from for c in dated if c.framework.in_force_from > start]
        end = catalogue.framework.in_force_to or (min(later) - 1 if later else LAST_YEAR)
        eras.append(Era(catalogue=catalogue, first_year=start, last_year=min(end, LAST_YEAR)))
    return eras


@dataclass
class PlannedInspection:
    """One synthetic inspection and its rows, before any database id is known (children keep plain values)."""

    framework_code: str
    published_on: datetime.date
    published_precision: str
    fieldwork_start_on: datetime.date
    fieldwork_end_on: datetime.date
    lead_inspector: str
    cases_court: int | None
    cases_out_of_court: int | None
    cases_total: int | None
    overall_rating: str | None
    title: str
    judgements: list[dict] = field(default_factory=list)
    key_question_scores: list[tuple[str, int]] = field(default_factory=list)
    findings: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # kind, about, text, attribution
    recommendations: list[tuple[str, str]] = field(default_factory=list)  # addressee, text
    key_facts: list[dict] = field(default_factory=list)


@dataclass
class PlannedService:
    slug: str
    name: str
    nation: str
    local_authorities: list[str]
    inspections: list[PlannedInspection]


class Planner:
    """Turns a seed into services and inspections; the same seed gives the same plan, service after service."""

    def __init__(self, *, seed: int, inspections_per_service: int, catalogues: dict[str, FrameworkCatalogue]):
        self.random = random.Random(seed)
        self.seed = seed
        self.per_service = inspections_per_service
        self.catalogues = catalogues
        self.eras = framework_eras(catalogues)
        if not self.eras:
            raise ValueError("no frameworks with a year in force are loaded: run load_frameworks first")
        self.corpus = seed_corpus()
        self.first_day = datetime.date(self.eras[0].first_year, 1, 1)
        self.last_day = datetime.date(LAST_YEAR, 12, 31)
        self._questions: dict[tuple[str, str], list[str]] = {}

    def services(self, count: int) -> Iterator[PlannedService]:
        for number in range(1, count + 1):
            yield self.service(number)

    def service(self, number: int) -> PlannedService:
        rng = self.random
        place = rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)
        name = f"{place} {rng.choice(SERVICE_KINDS)}"
        nation = Nation.WALES if rng.random() < 0.1 else Nation.ENGLAND
        areas = [f"{place} (synthetic {number})"]
        if rng.random() < 0.15:
            areas += [f"{place} {side} (synthetic {number})" for side in ("East", "West")[: rng.randint(1, 2)]]
        quality = rng.gauss(68, 9)
        span = (self.last_day - self.first_day).days
        slot = span / self.per_service
        inspections = []
        for index in range(self.per_service):
            # One date in each equal slot of the years, at least a month from the slot's edges: distinct months.
            day = self.first_day + datetime.timedelta(days=int(slot * index + 31 + rng.random() * max(0, slot - 62)))
            inspections.append(self.inspection(name=name, areas=areas, published=day, quality=quality))
        return PlannedService(
            slug=f"{SLUG_PREFIX}{number:05d}-{place.lower()}",
            name=name,
            nation=nation,
            local_authorities=areas,
            inspections=inspections,
        )

    def _era(self, day: datetime.date) -> Era:
        eras = [era for era in self.eras if era.first_year <= day.year <= era.last_year]
        return self.random.choice(eras) if eras else self.eras[-1]

    def inspection(self, *, name: str, areas: list[str], published: datetime.date, quality: float):
        rng = self.random
        catalogue = self._era(published).catalogue
        framework = catalogue.framework
        fieldwork_start = published - datetime.timedelta(days=rng.randint(70, 120))
        month_precise = framework.rating_scale_id is not None
        if month_precise:
            published = published.replace(day=1)
        cases_court, cases_out_of_court = rng.randint(15, 45), rng.randint(8, 30)
        planned = PlannedInspection(
            framework_code=framework.code,
            published_on=published,
            published_precision=DatePrecision.MONTH if month_precise else DatePrecision.DAY,
            fieldwork_start_on=fieldwork_start,
            fieldwork_end_on=fieldwork_start + datetime.timedelta(days=rng.randint(2, 9)),
            lead_inspector=rng.choice(INSPECTORS),
            cases_court=cases_court,
            cases_out_of_court=cases_out_of_court,
            cases_total=cases_court + cases_out_of_court,
            overall_rating=None,
            title=f"An inspection of youth offending services in {name} (synthetic)",
        )
        level = quality + rng.gauss(0, 6)
        if catalogue.grades:
            self._judgements(planned, catalogue, level)
        self._findings(planned, catalogue, name)
        for _ in range(rng.randint(3, 10)):
            addressee = rng.choice(ADDRESSEES).format(name=name)
            planned.recommendations.append((addressee, rng.choice(self.corpus.recommendations).replace(NAME, name)))
        facts = self.corpus.key_facts.get(framework.code) or []
        for fact in facts[: rng.randint(1, len(facts))] if facts else []:
            value = Decimal(str(fact["value"])) * Decimal(str(round(rng.uniform(0.7, 1.3), 2)))
            planned.key_facts.append({**fact, "value": value.quantize(Decimal("0.001"))})
        return planned

    def _judgements(self, planned: PlannedInspection, catalogue: FrameworkCatalogue, level: float) -> None:
        rng = self.random
        grades = sorted(catalogue.grades.values(), key=lambda grade: -grade.points)
        bands = catalogue.rules.percent_bands or _even_bands(grades)
        percents: dict[str, int] = {}
        ratings: dict[str, str] = {}
        for code, standard in catalogue.standards.items():
            lowest = _percent(level + rng.gauss(0, 9))
            proposal = rules.band_for_percent(lowest, bands)
            judgement = {"code": code, "rating": proposal, "score": None, "discretion": False, "note": ""}
            if standard.rated_by == RatedBy.KEY_QUESTIONS:
                questions = self._question_codes(catalogue, code)
                lowest_at = rng.randrange(len(questions))
                for index, question in enumerate(questions):
                    percent = lowest if index == lowest_at else _percent(lowest + abs(rng.gauss(0, 10)))
                    percents[question] = percent
                    planned.key_question_scores.append((question, percent))
                if rng.random() < DISCRETION_SHARE:
                    names = [grade.name for grade in grades]
                    position = names.index(proposal)
                    neighbours = [names[i] for i in (position - 1, position + 1) if 0 <= i < len(names)]
                    judgement.update(rating=rng.choice(neighbours), discretion=True, note=DISCRETION_REASON)
            elif (catalogue.framework.code, code) in self.corpus.scored_standards:
                judgement["score"] = lowest
            ratings[code] = judgement["rating"]
            planned.judgements.append(judgement)
        planned.overall_rating = catalogue.derived_overall(ratings)

    def _question_codes(self, catalogue: FrameworkCatalogue, code: str) -> list[str]:
        key = (catalogue.framework.code, code)
        if key not in self._questions:
            self._questions[key] = catalogue.question_codes(code)
        return self._questions[key]

    def _findings(self, planned: PlannedInspection, catalogue: FrameworkCatalogue, name: str) -> None:
        rng = self.random
        corpus = self.corpus
        kinds = corpus.kinds.get(catalogue.framework.code) or [FindingKind.EXPLANATION]
        abouts = [*catalogue.standards, *catalogue.domains]
        count = max(1, round(rng.gauss(FINDINGS_PER_INSPECTION, 8)))
        for kind in sorted(rng.choices(kinds, k=count), key=_report_order):
            pool = corpus.sentences.get(kind) or corpus.all_sentences
            text = " ".join(rng.choices(pool, k=rng.choice(corpus.sentence_counts.get(kind) or [2])))
            text = text.replace(NAME, name)
            about = None if kind == FindingKind.SUMMARY or not abouts else rng.choice(abouts)
            attribution = rng.choice(corpus.attributions) if kind == FindingKind.QUOTE and corpus.attributions else ""
            planned.findings.append((kind, about, text, attribution))


KIND_ORDER = {kind: position for position, kind in enumerate(FindingKind.values)}


def _report_order(kind: str) -> int:
    return KIND_ORDER.get(kind, len(KIND_ORDER))


def _percent(value: float) -> int:
    return max(0, min(100, round(value)))


def _even_bands(grades) -> tuple[rules.PercentBand, ...]:
    """For a rated framework without % bands (FJI): the scale's grades spread over 0-100% as the seed scores fall
    (a synthetic convention for the scores, not a published rule)."""
    starts = (75, 65, 50, 0)
    count = len(grades)
    minimums = starts[-count:] if count <= len(starts) else [math.floor(100 * i / count) for i in range(count)][::-1]
    return tuple(rules.PercentBand(rating=grade.name, min_percent=m) for grade, m in zip(grades, minimums, strict=True))


# Writing ------------------------------------------------------------------------------------------------------------


def synthetic_services_exist() -> bool:
    return Service.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def synthetic_generate(
    *,
    services: int,
    inspections_per_service: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticResult:
    """Write the synthetic services and their inspections in one transaction (see the module's docstring).

    Raises ``SyntheticDataExists`` when synthetic services are already stored, ``ValueError`` for a count out of
    range or when no frameworks are loaded.
    """
    if services < 1:
        raise ValueError(f"--services must be at least 1, not {services}")
    if not 1 <= inspections_per_service <= MAX_INSPECTIONS_PER_SERVICE:
        raise ValueError(
            f"--inspections-per-service must be 1 to {MAX_INSPECTIONS_PER_SERVICE}, not {inspections_per_service}"
        )
    catalogues = framework_catalogues()
    planner = Planner(seed=seed, inspections_per_service=inspections_per_service, catalogues=catalogues)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        if synthetic_services_exist():
            raise SyntheticDataExists(
                "synthetic services are already stored (slugs starting 'synthetic-'): generate into a fresh database"
            )
        writer = _CopyWriter() if connection.vendor == "postgresql" else _BulkWriter()
        with writer.fast_findings():
            batch: list[PlannedService] = []
            batches = 0
            for number, planned in enumerate(planner.services(services), start=1):
                batch.append(planned)
                if len(batch) == SERVICE_BATCH or number == services:
                    _write(batch, catalogues=catalogues, writer=writer, counts=counts)
                    batch = []
                    batches += 1
                    if batches in STATISTICS_REFRESHED_AFTER:
                        writer.statistics_refresh()
                    if progress is not None:
                        progress(number, services)
    return SyntheticResult(
        services=counts["services"],
        inspections=counts["inspections"],
        judgements=counts["judgements"],
        key_question_scores=counts["key_question_scores"],
        findings=counts["findings"],
        recommendations=counts["recommendations"],
        key_facts=counts["key_facts"],
    )


def _write(batch: list[PlannedService], *, catalogues, writer, counts: Counter) -> None:
    authorities = LocalAuthority.objects.bulk_create(
        [LocalAuthority(name=name) for planned in batch for name in planned.local_authorities]
    )
    authority_ids = {authority.name: authority.pk for authority in authorities}
    stored = Service.objects.bulk_create(
        [Service(slug=planned.slug, name=planned.name, nation=planned.nation) for planned in batch]
    )
    Service.local_authorities.through.objects.bulk_create(
        [
            Service.local_authorities.through(service_id=service.pk, localauthority_id=authority_ids[name])
            for service, planned in zip(stored, batch, strict=True)
            for name in planned.local_authorities
        ]
    )
    rows = []
    for service, planned in zip(stored, batch, strict=True):
        for item in planned.inspections:
            catalogue = catalogues[item.framework_code]
            rows.append(
                Inspection(
                    service_id=service.pk,
                    framework_id=catalogue.framework.pk,
                    status=InspectionStatus.PUBLISHED,
                    published_on=item.published_on,
                    published_precision=item.published_precision,
                    fieldwork_start_on=item.fieldwork_start_on,
                    fieldwork_end_on=item.fieldwork_end_on,
                    lead_inspector=item.lead_inspector,
                    cases_court=item.cases_court,
                    cases_out_of_court=item.cases_out_of_court,
                    cases_total=item.cases_total,
                    overall_rating_id=catalogue.grades[item.overall_rating].pk if item.overall_rating else None,
                    service_name=planned.name,
                    title=item.title,
                    notes=["Synthetic data for benchmarks and load tests: not a real inspection."],
                )
            )
    inspections = Inspection.objects.bulk_create(rows, batch_size=BULK_BATCH)
    inspections_flag_latest(service_ids=[service.pk for service in stored])  # bulk_create sends no signals
    counts["services"] += len(stored)
    counts["inspections"] += len(inspections)

    planned_inspections = [(item, planned) for planned in batch for item in planned.inspections]
    areas, judgements, scores, findings, recommendations, facts = [], [], [], [], [], []
    for inspection, (item, planned) in zip(inspections, planned_inspections, strict=True):
        catalogue = catalogues[item.framework_code]
        pk = inspection.pk
        areas += [(pk, authority_ids[name], position) for position, name in enumerate(planned.local_authorities)]
        for judgement in item.judgements:
            judgements.append(
                (
                    pk,
                    catalogue.standards[judgement["code"]].pk,
                    catalogue.grades[judgement["rating"]].pk if judgement["rating"] else None,
                    judgement["score"],
                    judgement["discretion"],
                    judgement["note"],
                )
            )
        scores += [
            (pk, catalogue.key_questions[code].pk, percent, "", "") for code, percent in item.key_question_scores
        ]
        for position, (kind, about, text, attribution) in enumerate(item.findings):
            standard = catalogue.standards[about].pk if about in catalogue.standards else None
            domain = catalogue.domains[about].pk if about is not None and standard is None else None
            findings.append((pk, kind, standard, domain, text, attribution, position))
        recommendations += [
            (pk, number, addressee, text, None)
            for number, (addressee, text) in enumerate(item.recommendations, start=1)
        ]
        facts += [
            (
                pk,
                fact["measure"],
                fact["value"],
                fact["unit"],
                fact["comparator"] or "",
                None if fact["comparator_value"] is None else Decimal(str(fact["comparator_value"])),
                fact["period"] or "",
                fact["source"] or "",
                "",
                position,
            )
            for position, fact in enumerate(item.key_facts)
        ]
    writer.write(InspectionArea, ("inspection_id", "local_authority_id", "position"), areas)
    writer.write(
        Judgement,
        ("inspection_id", "standard_id", "rating_id", "score_percent", "professional_discretion", "note"),
        judgements,
    )
    writer.write(KeyQuestionScore, ("inspection_id", "key_question_id", "percent_yes", "wording", "note"), scores)
    writer.write(
        Finding, ("inspection_id", "kind", "standard_id", "domain_id", "text", "attribution", "position"), findings
    )
    writer.write(Recommendation, ("inspection_id", "number", "addressee", "text", "domain_id"), recommendations)
    writer.write(
        KeyFact,
        (
            "inspection_id",
            "measure",
            "value",
            "unit",
            "comparator",
            "comparator_value",
            "period",
            "source",
            "area",
            "position",
        ),
        facts,
    )
    counts["judgements"] += len(judgements)
    counts["key_question_scores"] += len(scores)
    counts["findings"] += len(findings)
    counts["recommendations"] += len(recommendations)
    counts["key_facts"] += len(facts)


class _BulkWriter:
    """Any database: ``bulk_create`` in batches."""

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BULK_BATCH
        )

    def fast_findings(self):
        return contextlib.nullcontext()

    def statistics_refresh(self) -> None:
        """Nothing to do: SQLite plans each statement with what it finds."""


class _CopyWriter(_BulkWriter):
    """PostgreSQL: ``COPY ... FROM STDIN`` (psycopg 3), many times faster than INSERT for millions of rows."""

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def statistics_refresh(self) -> None:
        """ANALYZE the tables the triggers read as each row is written (the inspections, the judgements, the
        key-question scores): their statistics are those of the empty tables the generation began with, and a
        trigger's query keeps the plan it was first given for the whole transaction, a scan of every row. Each
        inspection written, and each set of its latest flags, then read every judgement written so far: every
        batch took longer than the last (10,000 services: 30 minutes, not 8). ANALYZE sees the transaction's own
        rows, and its new statistics make the triggers plan again, by the indexes."""
        tables = (Inspection, Judgement, KeyQuestionScore, InspectionArea, Service)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables))

    # The judgements' trigger that files findings under a changed rating (findings/migrations/0007).
    JUDGEMENT_TRIGGER = "judgement_files_findings"

    @contextlib.contextmanager
    def fast_findings(self):
        """The findings' indexes rebuilt around the copy (_IndexesRebuilt), and the judgements' filing trigger off
        meanwhile: a new inspection's judgements are written before its findings, so there is nothing for it to
        file again, and with the findings' indexes dropped each judgement would read every finding to find that
        out. Each finding still takes its rating from its judgement or inspection as it is copied (its own trigger
        stays on). If the copy fails, the transaction's rollback restores both."""
        # The indexes first: entering checks the transaction's deferred foreign keys, and a table with checks
        # pending cannot be altered.
        with _IndexesRebuilt(Finding._meta.db_table), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE ratings_judgement DISABLE TRIGGER {self.JUDGEMENT_TRIGGER}")
            yield
            cursor.execute(f"ALTER TABLE ratings_judgement ENABLE TRIGGER {self.JUDGEMENT_TRIGGER}")


class _IndexesRebuilt:
    """Drop a table's secondary indexes (not those behind constraints) and create them again on leaving.

    Building an index once over millions of rows is far cheaper than updating it row by row (above all the
    full-text GIN index). Done inside the caller's transaction: if anything fails, the drop is rolled back too.
    The table is locked against readers meanwhile, which a bulk generation may do.
    """

    def __init__(self, table: str):
        self.table = table
        self.definitions: list[tuple[str, str]] = []

    def __enter__(self):
        with connection.cursor() as cursor:
            # Check foreign keys row by row rather than queue millions of deferred checks to the commit (an index
            # cannot be built on a table with checks pending).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = %s
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                [self.table],
            )
            self.definitions = cursor.fetchall()
            for name, _ in self.definitions:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is not None:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in self.definitions:
                cursor.execute(definition)
        return False
