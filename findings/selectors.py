"""Reads of findings and recommendations: the full-text search behind /findings/.

On PostgreSQL the search is PostgreSQL's own full-text search (English stemming, web-search syntax, ranking and
highlighting by ``ts_headline``); elsewhere (SQLite, the quickstart) every word must appear in the text, case
aside, and Python marks the matches. Either way a result's text is escaped before any mark is added, so a
finding can never inject markup.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from findings.models import Finding, FindingKind, Recommendation
from inspections.models import Inspection, Service, format_partial_date
from inspections.visibility import visible_inspections
from ratings.models import Domain, Grade, Judgement, Standard

SEARCH_CONFIG = "english"
RECOMMENDATION = "recommendation"
DOMAIN_PREFIX = "domain-"
# ts_headline wraps matches in these (Unicode private-use characters, which report text does not contain); the
# text is escaped first and only then are they turned into <mark> elements.
MARK_START, MARK_END = "\ue000", "\ue001"
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def search_is_full_text() -> bool:
    """True where the database does full-text search with ranking (PostgreSQL); False for the SQLite fallback."""
    return connection.vendor == "postgresql"


def search_words(q: str) -> list[str]:
    """The words of a search, as the fallback matches them: letters and digits, in order, each once."""
    return list(dict.fromkeys(WORD.findall(q)))


@dataclass(frozen=True)
class SearchChoices:
    """What the search form offers; each list is (value, label), the values being what the URL carries."""

    kinds: list[tuple[str, str]]
    standards: list[tuple[str, str]]
    ratings: list[tuple[str, str]]


def finding_search_choices() -> SearchChoices:
    """The search form's choices, in three queries: standards, domains and grades.

    A standard's value is its code (as on the services list: ``2.1``; FJI and SQS share theme codes); a domain's
    is ``domain-<code>`` and selects the domain's own findings and those of its standards. Services are not
    offered as a list (there are ten thousand at national scale): the form takes a name or slug and looks it up
    with ``finding_search_service``.
    """
    standards: dict[str, str] = {}
    for standard in Standard.objects.select_related("framework").order_by("framework__in_force_from", "position"):
        standards.setdefault(standard.code, f"{standard.code} {standard.name} ({standard.framework.name})")
    domains = Domain.objects.select_related("framework").order_by("framework__in_force_from", "position", "code")
    for domain in domains:
        standards.setdefault(
            f"{DOMAIN_PREFIX}{domain.code}",
            f"Domain {domain.code} {domain.name}, all its standards ({domain.framework.name})",
        )
    grade_names = Grade.objects.order_by("scale__name", "-points").values_list("name", flat=True)
    return SearchChoices(
        kinds=[*FindingKind.choices, (RECOMMENDATION, "Recommendation")],
        standards=list(standards.items()),
        ratings=[(name, name) for name in dict.fromkeys(grade_names)],
    )


def finding_search_services(*, user, name_or_slug: str) -> list[Service]:
    """The services a user may see whose slug is ``name_or_slug``, or else whose name it is (any case): one query.

    A slug is unique, so a slug match comes first and alone decides; names are not unique, so a name may give
    several (at most two are read: enough to tell that the name is ambiguous). A service whose inspections are
    all drafts is, for anyone but an inspector, as unknown as one that does not exist.
    """
    return list(
        Service.objects.filter(Q(slug=name_or_slug) | Q(name__iexact=name_or_slug))
        .filter(Exists(visible_inspections(user=user).filter(service=OuterRef("pk"))))
        .annotate(by_slug=Case(When(slug=name_or_slug, then=Value(0)), default=Value(1)))
        .order_by("by_slug", "slug")[:2]
    )


# The columns both halves of the search select, in this order (a UNION matches columns by position).
COLUMNS = (
    "result_source",
    "result_pk",
    "result_kind",
    "result_text",
    "result_label",
    "result_position",
    "result_inspection",
    "result_status",
    "result_service_slug",
    "result_service_name",
    "result_published_on",
    "result_published_precision",
    "result_fieldwork_on",
    "result_fieldwork_precision",
    "result_date",
    "result_about",
    "result_rating_of",
    "result_rating",
)
RANKED_COLUMNS = ("result_rank",)


def _inspection_columns() -> dict:
    return {
        "result_inspection": F("inspection_id"),
        "result_status": F("inspection__status"),
        "result_service_slug": F("inspection__service__slug"),
        "result_service_name": F("inspection__service__name"),
        "result_published_on": F("inspection__published_on"),
        "result_published_precision": F("inspection__published_precision"),
        "result_fieldwork_on": F("inspection__fieldwork_start_on"),
        "result_fieldwork_precision": F("inspection__fieldwork_start_precision"),
        "result_date": Coalesce(
            "inspection__published_on", "inspection__fieldwork_end_on", "inspection__fieldwork_start_on"
        ),
    }


def _finding_rows() -> QuerySet:
    """Every finding with the ``COLUMNS`` the page shows."""
    # The rating a finding is filed under: its standard's rating in the same inspection; for a finding about a
    # domain or the whole report, the inspection's overall rating.
    standard_rating = (
        Judgement.objects.filter(inspection=OuterRef("inspection"), standard=OuterRef("standard"))
        .order_by()
        .values("rating__name")[:1]
    )
    return Finding.objects.annotate(
        result_source=Value("finding"),
        result_pk=F("pk"),
        result_kind=F("kind"),
        result_text=F("text"),
        result_label=F("attribution"),
        result_position=F("position"),
        **_inspection_columns(),
        result_about=Case(
            When(standard__isnull=False, then=Concat("standard__code", Value(" "), "standard__name")),
            When(domain__isnull=False, then=Concat("domain__code", Value(" "), "domain__name")),
            default=Value(""),
            output_field=CharField(),
        ),
        result_rating_of=Case(
            When(standard__isnull=False, then=Value("standard")), default=Value("overall"), output_field=CharField()
        ),
        result_rating=Case(
            When(standard__isnull=False, then=Subquery(standard_rating)),
            default=F("inspection__overall_rating__name"),
            output_field=CharField(),
        ),
    )


def _recommendation_rows() -> QuerySet:
    """Every recommendation with the ``COLUMNS`` the page shows."""
    return Recommendation.objects.annotate(
        result_source=Value(RECOMMENDATION),
        result_pk=F("pk"),
        result_kind=Value(RECOMMENDATION),
        result_text=F("text"),
        result_label=F("addressee"),
        result_position=F("number"),
        **_inspection_columns(),
        result_about=Case(
            When(domain__isnull=False, then=Concat("domain__code", Value(" "), "domain__name")),
            default=Value(""),
            output_field=CharField(),
        ),
        result_rating_of=Value("overall"),
        result_rating=F("inspection__overall_rating__name"),
    )


def _rated(rating: str) -> QuerySet:
    return Inspection.objects.filter(overall_rating__name=rating)


def _matching_findings(*, inspections: QuerySet, kind: str, standard: str, rating: str) -> QuerySet:
    """The findings that pass the filters, with no column but their own and no join to show them: the capped
    subquery of a search, where every join would be paid for each of the many rows read to find the first
    matches."""
    findings = Finding.objects.order_by().filter(inspection__in=inspections)
    if kind:
        findings = findings.filter(kind=kind)
    if standard.startswith(DOMAIN_PREFIX):
        code = standard.removeprefix(DOMAIN_PREFIX)
        findings = findings.filter(
            Q(domain__in=Domain.objects.filter(code=code)) | Q(standard__in=Standard.objects.filter(domain__code=code))
        )
    elif standard:
        findings = findings.filter(standard__in=Standard.objects.filter(code=standard))
    if rating:
        # As result_rating: the standard's rating in the same inspection, else the inspection's overall rating.
        findings = findings.filter(
            Q(
                Exists(
                    Judgement.objects.filter(
                        inspection=OuterRef("inspection"), standard=OuterRef("standard"), rating__name=rating
                    )
                ),
                standard__isnull=False,
            )
            | Q(Exists(_rated(rating).filter(pk=OuterRef("inspection"))), standard__isnull=True)
        )
    return findings


def _matching_recommendations(*, inspections: QuerySet, standard: str, rating: str) -> QuerySet:
    """The recommendations that pass the filters, as ``_matching_findings``."""
    recommendations = Recommendation.objects.order_by().filter(inspection__in=inspections)
    if standard.startswith(DOMAIN_PREFIX):
        recommendations = recommendations.filter(
            domain__in=Domain.objects.filter(code=standard.removeprefix(DOMAIN_PREFIX))
        )
    elif standard:
        # Recommendations are about a domain or the whole service, never one standard.
        recommendations = recommendations.none()
    if rating:
        recommendations = recommendations.filter(Exists(_rated(rating).filter(pk=OuterRef("inspection"))))
    return recommendations


# A search shows at most this many matches (of each of findings and recommendations, then of both): beyond it,
# counting, ranking and sorting every match would cost seconds at national scale, and nobody pages that far.
MAX_MATCHES = 1000


@dataclass(frozen=True)
class SearchMatches:
    """What ``finding_matches`` found: the rows to page through, and a cheap count of them.

    Django's paginator counts what it pages; counting ``rows`` would compute every column of every match (the
    joins, the ratings) only to count them, where counting the matches' keys needs none of that.
    """

    rows: QuerySet
    keys: QuerySet
    ordered = True  # the rows are ordered (the paginator asks)

    def count(self) -> int:
        return min(self.keys.count(), MAX_MATCHES)

    def __getitem__(self, index):
        return self.rows[index]


def finding_matches(
    *, user, q: str = "", kind: str = "", standard: str = "", rating: str = "", service: Service | None = None
) -> SearchMatches:
    """Findings and recommendations of the inspections a user may see, matching ``q`` and the filters.

    As rows of the ``COLUMNS`` (a UNION of findings and recommendations, one query a page; turn a page into
    results with ``finding_search_results``), at most ``MAX_MATCHES`` rows, counted in one more query. On
    PostgreSQL a search takes the matches from the stored search vectors' GIN index, ranks those (no more than
    ``MAX_MATCHES``) and orders them best first; without a search, or on other databases, rows come by service,
    newest inspection first, then in the report's order. Arguments must be validated first
    (``findings.forms.FindingSearchForm``; ``service`` is one the user may see); ``kind="recommendation"``
    searches recommendations only.
    """
    inspections = visible_inspections(user=user)
    if service is not None:
        inspections = inspections.filter(service=service)
    halves = []
    if kind != RECOMMENDATION:
        halves.append(
            (_matching_findings(inspections=inspections, kind=kind, standard=standard, rating=rating), _finding_rows)
        )
    if not kind or kind == RECOMMENDATION:
        halves.append(
            (_matching_recommendations(inspections=inspections, standard=standard, rating=rating), _recommendation_rows)
        )
    words = search_words(q)
    ranked = search_is_full_text() and bool(q.strip())
    columns = COLUMNS + (RANKED_COLUMNS if ranked else ())
    rows, keys = [], []
    for matching, rows_of in halves:
        if ranked:
            query = search_query(q)
            # The matches first (from the index, at most MAX_MATCHES), then their columns and rank.
            capped = matching.filter(search_vector=query).values("pk")[:MAX_MATCHES]
            half = rows_of().filter(pk__in=capped).annotate(result_rank=SearchRank(F("search_vector"), query))
        else:
            if q.strip():
                # Every word must appear somewhere in the text; a search of only punctuation matches nothing.
                matching = matching.filter(*[Q(text__icontains=word) for word in words]) if words else matching.none()
            # The newest rows first, so the cap keeps the most recent reports.
            capped = matching.order_by("-pk").values("pk")[:MAX_MATCHES]
            half = rows_of().filter(pk__in=capped)
        rows.append(half.order_by().values(*columns))
        keys.append(matching.model.objects.filter(pk__in=capped).order_by().values("pk"))
    order = ("result_service_name", "-result_date", "result_inspection", "result_source", "result_position")
    if ranked:
        order = ("-result_rank", *order)
    return SearchMatches(rows=_union(rows).order_by(*order, "result_pk")[:MAX_MATCHES], keys=_union(keys))


def _union(querysets: list[QuerySet]) -> QuerySet:
    return querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]


def search_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


@dataclass(frozen=True)
class SearchResult:
    """One finding or recommendation found, ready for the page."""

    kind: str
    kind_label: str
    text: SafeString
    label: str
    inspection_pk: int
    is_draft: bool
    service_slug: str
    service_name: str
    date_label: str
    about: str
    rating_of: str
    rating: str | None


KIND_LABELS = {**dict(FindingKind.choices), RECOMMENDATION: "Recommendation"}


def highlight(text: str, *, words: list[str]) -> SafeString:
    """The text, escaped, with every case-insensitive occurrence of the words in <mark class="search-match">."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    parts, end = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[end : match.start()]))
        parts.append(f'<mark class="search-match">{escape(match.group())}</mark>')
        end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # every piece of the text is escaped above


def highlight_headline(headline: str) -> SafeString:
    """A PostgreSQL headline, escaped, with its match markers turned into <mark class="search-match">."""
    pieces = re.split(f"{MARK_START}(.*?){MARK_END}", headline, flags=re.DOTALL)
    parts = []
    for index, piece in enumerate(pieces):
        piece = escape(piece.replace(MARK_START, "").replace(MARK_END, ""))
        parts.append(f'<mark class="search-match">{piece}</mark>' if index % 2 else piece)
    return mark_safe("".join(parts))  # every piece of the text is escaped above


def _date_label(row: dict) -> str:
    if row["result_published_on"] is not None:
        return format_partial_date(row["result_published_on"], row["result_published_precision"])
    if row["result_fieldwork_on"] is not None:
        return f"fieldwork {format_partial_date(row['result_fieldwork_on'], row['result_fieldwork_precision'])}"
    return "date unknown"


def finding_search_headlines(*, rows, q: str) -> dict[tuple[str, int], str]:
    """PostgreSQL's headlines (``ts_headline``: the matching words marked) of a page of rows, in one query.

    Only for the page shown: a headline parses the whole text again, too slow to run over every match.
    """
    if not (search_is_full_text() and q.strip()):
        return {}
    ids = {"finding": [], RECOMMENDATION: []}
    for row in rows:
        ids[row["result_source"]].append(row["result_pk"])
    query = search_query(q)
    halves = [
        model.objects.filter(pk__in=pks)
        .annotate(
            source=Value(source, output_field=CharField()),
            headline=SearchHeadline(
                "text", query, config=SEARCH_CONFIG, start_sel=MARK_START, stop_sel=MARK_END, highlight_all=True
            ),
        )
        .order_by()
        .values_list("source", "pk", "headline")
        for source, model in (("finding", Finding), (RECOMMENDATION, Recommendation))
        if (pks := ids[source])
    ]
    if not halves:
        return {}
    union = halves[0].union(*halves[1:], all=True) if len(halves) > 1 else halves[0]
    return {(source, pk): headline for source, pk, headline in union}


def finding_search_results(*, rows, q: str) -> list[SearchResult]:
    """A page of ``finding_matches`` rows as results, their matches marked (on PostgreSQL, one query for the
    headlines; none elsewhere)."""
    rows = list(rows)
    words = search_words(q)
    headlines = finding_search_headlines(rows=rows, q=q)
    results = []
    for row in rows:
        headline = headlines.get((row["result_source"], row["result_pk"])) if headlines else None
        text = highlight_headline(headline) if headline is not None else highlight(row["result_text"], words=words)
        results.append(
            SearchResult(
                kind=row["result_kind"],
                kind_label=KIND_LABELS.get(row["result_kind"], row["result_kind"]),
                text=text,
                label=row["result_label"] or "",
                inspection_pk=row["result_inspection"],
                is_draft=row["result_status"] != "published",
                service_slug=row["result_service_slug"],
                service_name=row["result_service_name"],
                date_label=_date_label(row),
                about=row["result_about"] or "",
                rating_of=row["result_rating_of"],
                rating=row["result_rating"],
            )
        )
    return results
