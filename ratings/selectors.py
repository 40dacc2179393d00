"""Reads of frameworks and of the rules an inspection's ratings must follow."""

import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Sum, Value, When, Window

from inspections.data_version import cached_until_data_changes
from inspections.models import Inspection, Service, inspection_date
from inspections.roles import can_see_drafts
from inspections.visibility import latest_inspections, visible_inspections, visible_services
from ratings import rules
from ratings.models import (
    Domain,
    Framework,
    Grade,
    Judgement,
    KeyQuestion,
    OverallBand,
    PercentBand,
    RatedBy,
    RatingScale,
    Standard,
)


@dataclass
class FrameworkCatalogue:
    """A framework with everything that validating or showing an inspection against it needs, by code."""

    framework: Framework
    rules: rules.RuleSet
    grades: dict[str, Grade] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    standards: dict[str, Standard] = field(default_factory=dict)
    key_questions: dict[str, KeyQuestion] = field(default_factory=dict)

    @property
    def standards_by_id(self) -> dict[int, Standard]:
        return {standard.pk: standard for standard in self.standards.values()}

    def question_codes(self, standard_code: str) -> list[str]:
        standard = self.standards[standard_code]
        return [q.code for q in self.key_questions.values() if q.standard_id == standard.pk]

    def proposal(self, standard_code: str, percent_by_question: dict[str, int | None]) -> rules.Proposal | None:
        """The rating a standard's key questions propose; questions missing from the mapping count as unknown."""
        standard = self.standards[standard_code]
        if standard.rated_by != RatedBy.KEY_QUESTIONS:
            return None
        percents = {code: percent_by_question.get(code) for code in self.question_codes(standard_code)}
        return rules.proposed_rating(percents, self.rules.percent_bands)

    def derived_overall(self, rating_by_standard: dict[str, str | None]) -> str | None:
        """The overall rating the counted standards' ratings give; standards without a rating count as unknown."""
        counted = [code for code, standard in self.standards.items() if standard.counts_towards_overall]
        return rules.overall_rating((rating_by_standard.get(code) for code in counted), self.rules)


def framework_rule_set(*, framework: Framework) -> rules.RuleSet:
    """The rule parameters stored on a framework's rows. Uses prefetched bands and grades when present."""
    grade_points = None
    if framework.rating_scale_id is not None:
        grade_points = {grade.name: grade.points for grade in framework.rating_scale.grades.all()}
    return rules.RuleSet(
        percent_bands=tuple(
            rules.PercentBand(rating=band.grade.name, min_percent=band.min_percent)
            for band in framework.percent_bands.all()
        ),
        overall_bands=tuple(
            rules.PointsBand(rating=band.grade.name, min_points=band.min_points, max_points=band.max_points)
            for band in framework.overall_bands.all()
        ),
        grade_points=grade_points,
    )


# Frameworks change once in years, and every page reads one: their catalogues are kept in the process and read
# again when the frameworks' history moves on (every save and delete through the ORM writes a history row, in any
# process). One small query checks that instead of seven reading the catalogue. A framework row changed without
# history (a queryset ``update()``, raw SQL) is not seen until ``framework_catalogues_forget()``.
FRAMEWORK_MODELS = (RatingScale, Grade, Framework, Domain, Standard, KeyQuestion, PercentBand, OverallBand)
_cache_lock = threading.Lock()
_cache: dict = {"version": None, "catalogues": {}, "complete": False}


def framework_catalogues_forget() -> None:
    """Drop the catalogues kept in this process (tests, and after writing framework rows without history)."""
    with _cache_lock:
        _cache.update(version=None, catalogues={}, complete=False)
    _request.version = None


@functools.cache
def _frameworks_version_sql() -> str:
    # Built once: reading ``Model.history`` goes through simple-history's descriptor, dear on every request.
    tables = [model.history.model._meta.db_table for model in FRAMEWORK_MODELS]
    return "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables)


def _frameworks_version_read() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_frameworks_version_sql())
        return (connection.alias, connection.settings_dict["NAME"], *cursor.fetchone())


# Within one request the frameworks' version is read once, however many reads of the catalogues the page makes
# (its filters' choices, its inspections' frameworks). Outside a request (commands, shells) every read checks.
_request = threading.local()


def frameworks_request_started(**kwargs) -> None:
    _request.version = None
    _request.active = True


def frameworks_request_finished(**kwargs) -> None:
    _request.version = None
    _request.active = False


def _frameworks_version() -> tuple:
    if not getattr(_request, "active", False):
        return _frameworks_version_read()
    if _request.version is None:
        _request.version = _frameworks_version_read()
    return _request.version


def framework_catalogues(*, codes: Iterable[str] | None = None) -> dict[str, FrameworkCatalogue]:
    """Catalogues of the named frameworks (all when ``codes`` is None): one query when they are kept in the
    process and unchanged, eight otherwise. Treat them as read-only: they are shared."""
    codes = None if codes is None else list(codes)
    version = _frameworks_version()
    with _cache_lock:
        if _cache["version"] != version:
            _cache.update(version=version, catalogues={}, complete=False)
        kept = _cache["catalogues"]
        if codes is None and _cache["complete"]:
            return dict(kept)
        if codes is not None and all(code in kept for code in codes):
            return {code: kept[code] for code in codes}
    catalogues = _framework_catalogues_read(codes=codes)
    with _cache_lock:
        if _cache["version"] == version:
            _cache["catalogues"].update(catalogues)
            _cache["complete"] = _cache["complete"] or codes is None
    return catalogues


def _framework_catalogues_read(*, codes: list[str] | None) -> dict[str, FrameworkCatalogue]:
    frameworks = Framework.objects.select_related("rating_scale").prefetch_related(
        "rating_scale__grades",
        Prefetch("percent_bands", queryset=PercentBand.objects.select_related("grade")),
        Prefetch("overall_bands", queryset=OverallBand.objects.select_related("grade")),
        "domains",
        Prefetch("standards", queryset=Standard.objects.select_related("domain")),
        Prefetch(
            "standards__key_questions",
            queryset=KeyQuestion.objects.order_by("position", "code"),
        ),
    )
    if codes is not None:
        frameworks = frameworks.filter(code__in=list(codes))
    catalogues = {}
    for framework in frameworks:
        catalogue = FrameworkCatalogue(framework=framework, rules=framework_rule_set(framework=framework))
        if framework.rating_scale_id is not None:
            catalogue.grades = {grade.name: grade for grade in framework.rating_scale.grades.all()}
        catalogue.domains = {domain.code: domain for domain in framework.domains.all()}
        for standard in framework.standards.all():
            catalogue.standards[standard.code] = standard
            for question in standard.key_questions.all():
                catalogue.key_questions[question.code] = question
        catalogues[framework.code] = catalogue
    return catalogues


def framework_catalogue(*, framework: Framework) -> FrameworkCatalogue:
    """One framework's catalogue (see ``framework_catalogues``)."""
    return framework_catalogues(codes=[framework.code])[framework.code]


def grade_names() -> list[str]:
    """Every grade's name once, scale by scale (by the scale's name), best first: a rating filter's choices.

    From the catalogues kept in the process, so a page's filters cost no query of their own."""
    scales: dict[str, list[Grade]] = {}
    for catalogue in framework_catalogues().values():
        if catalogue.framework.rating_scale_id is not None:
            scales[catalogue.framework.rating_scale.name] = list(catalogue.grades.values())
    names = [grade.name for scale in sorted(scales) for grade in sorted(scales[scale], key=lambda g: -g.points)]
    return list(dict.fromkeys(names))


def grade_ids(*, names: Iterable[str]) -> list[int]:
    """The ids of the grades of these names on every scale ("Good" is a grade of two scales)."""
    wanted = set(names)
    return sorted(
        grade.pk
        for catalogue in framework_catalogues().values()
        for grade in catalogue.grades.values()
        if grade.name in wanted
    )


def framework_catalogues_in_force_order() -> list[FrameworkCatalogue]:
    """Every framework's catalogue, the oldest framework first (by the year it came into force, none last)."""
    return sorted(
        framework_catalogues().values(),
        key=lambda c: (c.framework.in_force_from is None, c.framework.in_force_from or 0, c.framework.code),
    )


def standard_labels() -> dict[str, str]:
    """Every standard (or theme) code once, oldest framework first, each with its name and framework's name:
    "2.1 Assessment (Inspection standards 2018)". Frameworks share theme codes; the oldest names them."""
    labels: dict[str, str] = {}
    for catalogue in framework_catalogues_in_force_order():
        for standard in sorted(catalogue.standards.values(), key=lambda s: (s.position, s.code)):
            labels.setdefault(standard.code, f"{standard.code} {standard.name} ({catalogue.framework.name})")
    return labels


def standard_ids(*, code: str) -> list[int]:
    """The ids of the standards with this code in every framework (FJI and SQS share theme codes)."""
    return sorted(
        catalogue.standards[code].pk for catalogue in framework_catalogues().values() if code in catalogue.standards
    )


def framework_choices() -> list[tuple[str, str]]:
    """(code, name) of every framework, oldest first."""
    return [(c.framework.code, c.framework.name) for c in framework_catalogues_in_force_order()]


def framework_id(*, code: str) -> int | None:
    catalogue = framework_catalogues().get(code)
    return catalogue.framework.pk if catalogue is not None else None


def inspection_derived_overall(*, inspection) -> str | None:
    """The overall rating an inspection's stored judgements add up to under its framework's rule."""
    catalogue = framework_catalogue(framework=inspection.framework)
    ratings = {
        judgement.standard.code: (judgement.rating.name if judgement.rating_id else None)
        for judgement in inspection.judgements.select_related("standard", "rating")
    }
    return catalogue.derived_overall(ratings)


# The public pages' reads: the national overview's rating distributions and the side-by-side comparison.
# They import inspections.selectors inside the functions: that module imports this one at load time.


@dataclass(frozen=True)
class RatingCount:
    """How many services have a rating (None: not rated), and the bar's width as a % of the chart's row."""

    rating: str | None
    count: int
    bar_percent: int


@dataclass(frozen=True)
class Distribution:
    """Services by rating: every grade of the scale best first (zeros included), and the services not rated."""

    counts: list[RatingCount]
    not_rated: RatingCount

    @property
    def chart(self) -> list[RatingCount]:
        """The chart's bars: the grades, and "Not rated" only when some service is."""
        return [*self.counts, *([self.not_rated] if self.not_rated.count else [])]


@dataclass
class StandardDistribution:
    standard: Standard
    distribution: Distribution


@dataclass
class FrameworkDistribution:
    """The ratings of the services whose latest inspection used this framework (the scales differ by framework)."""

    framework: Framework
    services: int
    grades: list[str]
    overall: Distribution | None
    standards: list[StandardDistribution]

    @property
    def rated(self) -> bool:
        return bool(self.grades)


@dataclass
class RatingsOverview:
    services: int
    inspections: int
    frameworks: list[FrameworkDistribution]
    latest_publications: list[Inspection]


# The longest possible bar (every service) fills this % of its cell, leaving room for the count beside it.
CHART_WIDTH_PERCENT = 80


def _distribution(grades: list[str], counted: dict[str | None, int], total: int) -> Distribution:
    def count(rating: str | None, number: int) -> RatingCount:
        bar_percent = round(CHART_WIDTH_PERCENT * number / total) if total else 0
        return RatingCount(rating=rating, count=number, bar_percent=bar_percent)

    counts = [count(grade, counted.get(grade, 0)) for grade in grades]
    return Distribution(counts=counts, not_rated=count(None, total - sum(c.count for c in counts)))


def _has_overall_rule() -> Exists:
    return Exists(OverallBand.objects.filter(framework=OuterRef("pk")))


def ratings_overview(*, user) -> RatingsOverview:
    """The national picture a user may see: computed once after each change to the inspections or judgements
    (``inspections.data_version``), then read from the cache in two queries (the frameworks' version, the data's
    token), whatever the number of services or inspections.

    Counts and distributions come from each service's latest visible inspection (drafts only for users who may
    see them). One distribution per framework, since each framework has its own rating scale. A framework shows
    an overall distribution when it has an overall rule or one of its reports gives an overall rating.
    """
    drafts = can_see_drafts(user)
    return cached_until_data_changes(
        "ratings-overview",
        variant=(drafts, _frameworks_version()),
        compute=lambda: ratings_overview_compute(user=user),
    )


def ratings_overview_compute(*, user) -> RatingsOverview:
    """``ratings_overview`` read from the tables, in seven queries whatever the number of services."""
    latest = latest_inspections(user=user)
    # Counted by grade id, named from the catalogues: no join to the grades over every judgement.
    grade_name = {
        grade.pk: grade.name for catalogue in framework_catalogues().values() for grade in catalogue.grades.values()
    }
    overall_rows = latest.values("framework_id", "overall_rating_id").annotate(count=Count("pk")).order_by()
    services_by_framework: dict[int, int] = {}
    overall_by_framework: dict[int, dict[str | None, int]] = {}
    for row in overall_rows:
        framework_id = row["framework_id"]
        services_by_framework[framework_id] = services_by_framework.get(framework_id, 0) + row["count"]
        rating = grade_name.get(row["overall_rating_id"])
        counts = overall_by_framework.setdefault(framework_id, {})
        counts[rating] = counts.get(rating, 0) + row["count"]
    judgement_rows = (
        Judgement.objects.filter(inspection__in=latest.values("pk"), rating__isnull=False)
        .values("standard_id", "rating_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_standard: dict[int, dict[str | None, int]] = {}
    for row in judgement_rows:
        by_standard.setdefault(row["standard_id"], {})[grade_name[row["rating_id"]]] = row["count"]

    frameworks = (
        Framework.objects.filter(pk__in=list(services_by_framework))
        .select_related("rating_scale")
        .annotate(has_overall_rule=_has_overall_rule())
        .prefetch_related(
            "rating_scale__grades", Prefetch("standards", queryset=Standard.objects.order_by("position", "code"))
        )
        .order_by("-in_force_from", "code")
    )
    distributions = []
    for framework in frameworks:
        total = services_by_framework[framework.pk]
        grades = [grade.name for grade in framework.rating_scale.grades.all()] if framework.rating_scale_id else []
        overall_counts = overall_by_framework[framework.pk]
        rates_overall = bool(grades) and (
            framework.has_overall_rule or any(rating is not None for rating in overall_counts)
        )
        distributions.append(
            FrameworkDistribution(
                framework=framework,
                services=total,
                grades=grades,
                overall=_distribution(grades, overall_counts, total) if rates_overall else None,
                standards=[
                    StandardDistribution(
                        standard=standard, distribution=_distribution(grades, by_standard.get(standard.pk, {}), total)
                    )
                    for standard in framework.standards.all()
                ]
                if grades
                else [],
            )
        )
    latest_publications = list(
        visible_inspections(user=user)
        .select_related("service", "framework", "overall_rating")
        .annotate(framework_has_overall_rule=Exists(OverallBand.objects.filter(framework=OuterRef("framework"))))
        .order_by(inspection_date().desc(nulls_last=True), "-pk")[:5]
    )
    return RatingsOverview(
        services=sum(services_by_framework.values()),
        inspections=visible_inspections(user=user).count(),
        frameworks=distributions,
        latest_publications=latest_publications,
    )


@dataclass(frozen=True)
class ComparisonCell:
    """One service's rating of one standard (or overall); ``judgement`` is None where there is no judgement row."""

    rating: str | None = None
    judgement: Judgement | None = None


@dataclass
class ComparisonRow:
    """A standard, or the overall rating; ``cells`` has one entry per compared service, None for a service that was
    not inspected under this row's framework."""

    label: str
    cells: list[ComparisonCell | None]
    is_overall: bool = False


@dataclass
class ComparisonSection:
    """Rows under one heading: a domain's standards, or (heading None) the overall rating and undomained ones."""

    heading: str | None
    rows: list[ComparisonRow] = field(default_factory=list)


@dataclass
class ComparisonGroup:
    """One framework's rows; ``compared[i]`` says whether the i-th service was inspected under it."""

    framework: Framework
    rated: bool
    compared: list[bool]
    sections: list[ComparisonSection]


@dataclass
class ServiceComparison:
    inspections: list[Inspection]
    groups: list[ComparisonGroup]


def comparable_services(*, user) -> QuerySet[Service]:
    """The services a user may compare: those with at least one inspection the user may see, by name."""
    return visible_services(user=user).order_by("name")


def service_comparison(*, user, slugs: list[str]) -> ServiceComparison:
    """The latest visible inspections of the named services, standard by standard, in three queries.

    Services come in the order of ``slugs`` (validate them first against ``comparable_services``: unknown ones are
    left out). Rows are grouped by framework, newest framework first, then by domain.
    """

    latest = (
        latest_inspections(user=user)
        .filter(service__slug__in=slugs)
        .select_related("service", "framework", "overall_rating")
        .annotate(framework_has_overall_rule=Exists(OverallBand.objects.filter(framework=OuterRef("framework"))))
        .prefetch_related(Prefetch("judgements", queryset=Judgement.objects.select_related("rating")))
    )
    by_slug = {inspection.service.slug: inspection for inspection in latest}
    inspections = [by_slug[slug] for slug in slugs if slug in by_slug]
    frameworks = {inspection.framework_id: inspection.framework for inspection in inspections}
    standards_by_framework: dict[int, list[Standard]] = {}
    for standard in (
        Standard.objects.filter(framework_id__in=list(frameworks)).select_related("domain").order_by("position", "code")
    ):
        standards_by_framework.setdefault(standard.framework_id, []).append(standard)
    judgements = {
        inspection.pk: {judgement.standard_id: judgement for judgement in inspection.judgements.all()}
        for inspection in inspections
    }

    groups = []
    for framework in sorted(frameworks.values(), key=lambda f: (-(f.in_force_from or 0), f.code)):
        compared = [inspection.framework_id == framework.pk for inspection in inspections]
        rated = framework.rating_scale_id is not None
        sections = [ComparisonSection(heading=None)]
        # As on the overview: an overall row when the framework has an overall rule or a report gives a rating.
        on_framework = [inspection for inspection, on in zip(inspections, compared, strict=True) if on]
        if rated and any(i.framework_has_overall_rule or i.overall_rating_id for i in on_framework):
            cells = [
                ComparisonCell(rating=i.overall_rating.name if i.overall_rating_id else None) if on else None
                for i, on in zip(inspections, compared, strict=True)
            ]
            sections[0].rows.append(ComparisonRow(label="Overall rating", cells=cells, is_overall=True))
        for standard in standards_by_framework.get(framework.pk, []) if rated else []:
            heading = str(standard.domain) if standard.domain_id else None
            if heading != sections[-1].heading:
                sections.append(ComparisonSection(heading=heading))
            cells = []
            for inspection, on in zip(inspections, compared, strict=True):
                judgement = judgements[inspection.pk].get(standard.pk) if on else None
                rating = judgement.rating.name if judgement is not None and judgement.rating_id else None
                cells.append(ComparisonCell(rating=rating, judgement=judgement) if on else None)
            sections[-1].rows.append(ComparisonRow(label=str(standard), cells=cells))
        groups.append(
            ComparisonGroup(
                framework=framework,
                rated=rated,
                compared=compared,
                sections=[section for section in sections if section.rows],
            )
        )
    return ServiceComparison(inspections=inspections, groups=groups)


# Services typed into the comparison form ---------------------------------------------------------------------------

# How many matching services a value that matches several names (the rest are counted).
COMPARE_MATCHES_LISTED = 5
# What a slug may hold (SlugField): a value with anything else (a space, a capital) is not looked up as one.
_SLUG_LIKE = re.compile(r"[-a-zA-Z0-9_]+")


@dataclass(frozen=True)
class ServiceMatch:
    """A comparable service that a value given for comparison matched.

    ``name_shared``: another comparable service has the same name, so the form shows the slug, which is the one
    text that finds this service again.
    """

    slug: str
    name: str
    name_shared: bool = False

    @property
    def shown(self) -> str:
        return self.slug if self.name_shared else self.name


@dataclass(frozen=True)
class ServiceLookup:
    """What one value given for comparison stands for: ``service`` when it found exactly one, else ``matches``
    services (0: none, or not looked up by name), of which ``examples`` are the first few (exact names first)."""

    text: str
    service: ServiceMatch | None = None
    by_slug: bool = False
    matches: int = 0
    examples: tuple[ServiceMatch, ...] = ()


def _storable(text: str, *, max_length: int) -> bool:
    """Whether a column of ``max_length`` could hold the text: PostgreSQL cannot compare a NUL, nor encode a lone
    surrogate, so such text (which no service holds) is answered without a query."""
    if len(text) > max_length or "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def comparable_services_by_slug(*, user, slugs: Iterable[str]) -> dict[str, ServiceMatch]:
    """The comparable services with these slugs (exact), in one query, or none when no value could be a slug."""
    max_length = Service._meta.get_field("slug").max_length
    candidates = {slug for slug in slugs if _SLUG_LIKE.fullmatch(slug) and _storable(slug, max_length=max_length)}
    if not candidates:
        return {}
    # The same name exactly (the service_by_name index; in another case it would read every service).
    same_name = comparable_services(user=user).filter(name=OuterRef("name")).exclude(pk=OuterRef("pk")).order_by()
    found = (
        comparable_services(user=user)
        .filter(slug__in=sorted(candidates))
        .annotate(name_shared=Exists(same_name))
        .order_by()
        .values_list("slug", "name", "name_shared")
    )
    return {slug: ServiceMatch(slug=slug, name=name, name_shared=shared) for slug, name, shared in found}


def comparable_services_named(*, user, text: str) -> ServiceLookup:
    """The comparable service a typed name stands for, in one query: the one whose name is the text (any case),
    else the one whose name holds it. Several (or none) give ``matches`` and the first few by name.

    A case-insensitive substring, so on PostgreSQL the trigram index on UPPER(name) (inspections 0007) finds the
    candidates; the count and the exact matches are window aggregates over them, read with the first rows.
    """
    if not _storable(text, max_length=Service._meta.get_field("name").max_length):
        return ServiceLookup(text=text)
    exact = Case(When(name__iexact=text, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = list(
        comparable_services(user=user)
        .filter(name__icontains=text)
        .annotate(
            exact=exact,
            matches=Window(Count("pk")),
            exact_matches=Window(Sum(exact)),
        )
        .order_by("-exact", "name", "slug")
        .values_list("slug", "name", "matches", "exact_matches")[:COMPARE_MATCHES_LISTED]
    )
    if not rows:
        return ServiceLookup(text=text)
    matches, exact_matches = rows[0][2], rows[0][3]
    if exact_matches:
        # An exact name wins over longer names that hold it; several services of that name are ambiguous.
        matches, rows = exact_matches, rows[:exact_matches]
    examples = tuple(ServiceMatch(slug=slug, name=name) for slug, name, _, _ in rows)
    if matches == 1:
        return ServiceLookup(text=text, service=examples[0], matches=1, examples=examples)
    return ServiceLookup(text=text, matches=matches, examples=examples)


def comparable_services_lookup(*, user, texts: list[str], names_at_most: int) -> dict[str, ServiceLookup]:
    """Each distinct text as the services a user may compare know it: an exact slug, else a name (exact in any
    case, else the one name holding it), by text.

    One query for every slug, then one per other text among the first ``names_at_most`` texts (the most a
    comparison takes): later texts are looked up as slugs only, so a thousand values run two queries at most
    beyond the four names. Drafts count only for users who may see them (``comparable_services``).
    """
    texts = list(dict.fromkeys(texts))
    by_slug = comparable_services_by_slug(user=user, slugs=texts)
    lookups = {}
    for position, text in enumerate(texts):
        if text in by_slug:
            lookups[text] = ServiceLookup(text=text, service=by_slug[text], by_slug=True, matches=1)
        elif position < names_at_most:
            lookups[text] = comparable_services_named(user=user, text=text)
        else:
            lookups[text] = ServiceLookup(text=text)
    return lookups
