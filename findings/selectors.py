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
    BigIntegerField,
    Case,
    CharField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from findings.models import Finding, FindingKind, Recommendation
from inspections.models import Service, format_partial_date
from inspections.visibility import visible_inspections, visible_services
from ratings.selectors import (
    framework_catalogues_in_force_order,
    grade_ids,
    grade_names,
    standard_ids,
    standard_labels,
)

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
    """What the search form offers; each list is (value, label), the values being what the URL carries.

    With the ids each value stands for, so that a search filters on ids the planner can weigh (how many
    judgements are Poor, how many findings are about 2.1) rather than on names behind a join."""

    kinds: list[tuple[str, str]]
    standards: list[tuple[str, str]]
    ratings: list[tuple[str, str]]
    # A standard's code, or domain-<code>: the standards it selects (for a domain, its standards).
    standard_ids: dict[str, list[int]]
    # domain-<code>: the domains with that code.
    domain_ids: dict[str, list[int]]
    # A rating's name: its grades (one on each scale that has it).
    grade_ids: dict[str, list[int]]


def finding_search_choices() -> SearchChoices:
    """The search form's choices, from the framework catalogues kept in the process (one query when unchanged).

    A standard's value is its code (as on the services list: ``2.1``; FJI and SQS share theme codes); a domain's
    is ``domain-<code>`` and selects the domain's own findings and those of its standards. By the year the
    framework came into force (none last), then position; where two frameworks share a code (FJI and SQS themes)
    the label is the first's. Grades by scale name, best first. Services are not offered as a list (there are ten
    thousand at national scale): the form takes a name or slug and looks it up with ``finding_search_services``.
    """
    catalogues = framework_catalogues_in_force_order()
    # The standards' codes, labels and ids as the services list has them (ratings.selectors), then the domains.
    standards = standard_labels()
    standard_ids_by_value = {code: standard_ids(code=code) for code in standards}
    for catalogue in catalogues:
        for standard in catalogue.standards.values():
            if standard.domain_id is not None:
                standard_ids_by_value.setdefault(f"{DOMAIN_PREFIX}{standard.domain.code}", []).append(standard.pk)
    domain_ids: dict[str, list[int]] = {}
    for catalogue in catalogues:
        for domain in sorted(catalogue.domains.values(), key=lambda domain: (domain.position, domain.code)):
            standards.setdefault(
                f"{DOMAIN_PREFIX}{domain.code}",
                f"Domain {domain.code} {domain.name}, all its standards ({catalogue.framework.name})",
            )
            domain_ids.setdefault(f"{DOMAIN_PREFIX}{domain.code}", []).append(domain.pk)
            standard_ids_by_value.setdefault(f"{DOMAIN_PREFIX}{domain.code}", [])
    grade_ids_by_name = {name: grade_ids(names=[name]) for name in grade_names()}
    return SearchChoices(
        kinds=[*FindingKind.choices, (RECOMMENDATION, "Recommendation")],
        standards=list(standards.items()),
        ratings=[(name, name) for name in grade_ids_by_name],
        standard_ids=standard_ids_by_value,
        domain_ids=domain_ids,
        grade_ids=grade_ids_by_name,
    )


def finding_search_services(*, user, name_or_slug: str) -> list[Service]:
    """The services a user may see whose slug is ``name_or_slug``, or else whose name it is (any case): one query.

    A slug is unique, so a slug match comes first and alone decides; names are not unique, so a name may give
    several (at most two are read: enough to tell that the name is ambiguous). A service whose inspections are
    all drafts is, for anyone but an inspector, as unknown as one that does not exist.
    """
    return list(
        visible_services(user=user)
        .filter(Q(slug=name_or_slug) | Q(name__iexact=name_or_slug))
        .annotate(by_slug=Case(When(slug=name_or_slug, then=Value(0)), default=Value(1)))
        .order_by("by_slug", "slug")[:2]
    )


def finding_search_services_like(*, user, text: str, limit: int = 5) -> list[Service]:
    """Up to ``limit`` services a user may see whose name contains ``text`` (any case), by name: what the form
    suggests when a name or slug matches no service. One query, only then."""
    return list(visible_services(user=user).filter(name__icontains=text).order_by("name", "slug")[:limit])


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
# A page's rows also carry PostgreSQL's headline of the text (the words searched for marked) when there was a search.
HEADLINE_COLUMNS = ("result_headline",)
# What a search orders its matches by, best first (a search on PostgreSQL puts its rank before these).
ORDER = ("result_service_name", "-result_date", "result_inspection", "result_source", "result_position", "result_pk")


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
        # Its standard's rating in the same inspection, else the inspection's overall rating (Finding.filed_rating).
        result_rating=F("filed_rating__name"),
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


def _matching_findings(
    *, inspections: QuerySet, kind: str, standard: str, rating: str, choices: SearchChoices
) -> QuerySet:
    """The findings that pass the filters, with no column but their own and no join to show them: the capped
    subquery of a search, where every join would be paid for each of the many rows read to find the first
    matches."""
    findings = Finding.objects.order_by().filter(inspection__in=inspections)
    if kind:
        findings = findings.filter(kind=kind)
    if standard.startswith(DOMAIN_PREFIX):
        findings = findings.filter(
            _one_of("domain_id", choices.domain_ids[standard]) | _one_of("standard_id", choices.standard_ids[standard])
        )
    elif standard:
        findings = findings.filter(_one_of("standard_id", choices.standard_ids[standard]))
    if rating:
        # Stored on each finding and indexed with its kind (Finding.filed_rating): no judgement is read.
        findings = findings.filter(_one_of("filed_rating_id", choices.grade_ids[rating]))
    return findings


def _one_of(column: str, ids: list[int]) -> Q:
    """``column`` (a foreign key) is one of ``ids``, compared as bigints, so that the GIN index over the filters
    and the search vector (findings/migrations/0008) can take it with the words: btree_gin compares a bigint
    column with bigints only (before PostgreSQL 18), and PostgreSQL reads ``IN (16)`` as ``= 16``, an integer
    (a longer list takes the column's type)."""
    if len(ids) == 1:
        return Q(**{column: Cast(Value(ids[0]), BigIntegerField())})
    return Q(**{f"{column}__in": ids})


def _matching_recommendations(*, inspections: QuerySet, standard: str, rating: str, choices: SearchChoices) -> QuerySet:
    """The recommendations that pass the filters, as ``_matching_findings``."""
    if rating:
        # A recommendation is filed under its inspection's overall rating: tested with the inspections it may come
        # from (one index of ratings, then each one's recommendations), not through a second join to them.
        inspections = inspections.filter(overall_rating_id__in=choices.grade_ids[rating])
    recommendations = Recommendation.objects.order_by().filter(inspection__in=inspections)
    if standard.startswith(DOMAIN_PREFIX):
        recommendations = recommendations.filter(domain_id__in=choices.domain_ids[standard])
    elif standard:
        # Recommendations are about a domain or the whole service, never one standard.
        recommendations = recommendations.none()
    return recommendations


# A search shows at most this many matches (of each of findings and recommendations, then of both): beyond it,
# counting, ranking and sorting every match would cost seconds at national scale, and nobody pages that far.
MAX_MATCHES = 1000


def _keys(model, *, source: str, position: str) -> QuerySet:
    """A model's rows with only what a search orders them by: no text, no rating, no standard or domain."""
    return model.objects.annotate(
        result_source=Value(source),
        result_pk=F("pk"),
        result_service_name=F("inspection__service__name"),
        result_date=Coalesce(
            "inspection__published_on", "inspection__fieldwork_end_on", "inspection__fieldwork_start_on"
        ),
        result_inspection=F("inspection_id"),
        result_position=F(position),
    )


class SearchMatches:
    """What ``finding_matches`` found, for Django's paginator: ``count()`` and slices of ``COLUMNS`` rows.

    The matches are found, capped, ranked and ordered once, in one query that reads only their keys and what they
    are ordered by (at most ``MAX_MATCHES`` short rows); the count is how many came back. A slice (a page) then
    reads the columns the page shows, and on PostgreSQL the headlines, of its own twenty rows only, in one more
    query. Finding the matches is the expensive part, so it is not done twice (count, then page), and no match
    off the page has its text, rating or headline computed.
    """

    ordered = True  # the paginator asks

    def __init__(self, *, keys: QuerySet, q: str):
        self._keys_query = keys
        self._keys: list[tuple[str, int]] | None = None
        self._q = q

    def keys(self) -> list[tuple[str, int]]:
        """(source, pk) of every match, in order: one query, the first time."""
        if self._keys is None:
            self._keys = [(row["result_source"], row["result_pk"]) for row in self._keys_query]
        return self._keys

    def count(self) -> int:
        return len(self.keys())

    def __getitem__(self, index: slice) -> list[dict]:
        return finding_search_rows(keys=self.keys()[index], q=self._q)


def finding_matches(
    *,
    user,
    q: str = "",
    kind: str = "",
    standard: str = "",
    rating: str = "",
    service: Service | None = None,
    choices: SearchChoices | None = None,
) -> SearchMatches:
    """Findings and recommendations of the inspections a user may see, matching ``q`` and the filters.

    At most ``MAX_MATCHES``, to page through (``SearchMatches``: one query for the matches, one a page for its
    rows of ``COLUMNS``; turn a page into results with ``finding_search_results``). On PostgreSQL a search takes
    the matches from the stored search vectors' GIN index (at most ``MAX_MATCHES`` of each of findings and
    recommendations), ranks those and orders them best first; without a search, or on other databases, the newest
    ``MAX_MATCHES`` come by service, newest inspection first, then in the report's order. Arguments must be
    validated first (``findings.forms.FindingSearchForm``; ``service`` is one the user may see);
    ``kind="recommendation"`` searches recommendations only. ``choices`` (``finding_search_choices``, read if not
    given) says which ids a standard, domain or rating stands for.
    """
    if choices is None:
        choices = finding_search_choices()
    inspections = visible_inspections(user=user)
    if service is not None:
        inspections = inspections.filter(service=service)
    halves = []
    if kind != RECOMMENDATION:
        findings = _matching_findings(
            inspections=inspections, kind=kind, standard=standard, rating=rating, choices=choices
        )
        halves.append((findings, _keys(Finding, source="finding", position="position")))
    if not kind or kind == RECOMMENDATION:
        recommendations = _matching_recommendations(
            inspections=inspections, standard=standard, rating=rating, choices=choices
        )
        halves.append((recommendations, _keys(Recommendation, source=RECOMMENDATION, position="number")))
    words = search_words(q)
    ranked = search_is_full_text() and bool(q.strip())
    order = ("-result_rank", *ORDER) if ranked else ORDER
    columns = [name.removeprefix("-") for name in order]
    keys = []
    for matching, keys_of in halves:
        if ranked:
            query = search_query(q)
            # The matches first (from the index, at most MAX_MATCHES), then their rank.
            capped = matching.filter(search_vector=query).values("pk")[:MAX_MATCHES]
            half = keys_of.filter(pk__in=capped).annotate(result_rank=SearchRank(F("search_vector"), query))
        else:
            if q.strip():
                # Every word must appear somewhere in the text; a search of only punctuation matches nothing.
                words_in = [Q(text__icontains=word) for word in words]
                matching = matching.filter(*words_in) if words else matching.none()
            # The newest rows first, so the cap keeps the most recent reports.
            capped = matching.order_by("-pk").values("pk")[:MAX_MATCHES]
            half = keys_of.filter(pk__in=capped)
        keys.append(half.order_by().values(*columns))
    return SearchMatches(keys=_union(keys).order_by(*order)[:MAX_MATCHES], q=q)


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


def finding_search_rows(*, keys: list[tuple[str, int]], q: str) -> list[dict]:
    """The ``COLUMNS`` of the findings and recommendations with these keys ((source, pk), as ``SearchMatches``
    gives them), in that order, in one query; on PostgreSQL, after a search, with their headlines
    (``ts_headline``: the matching words marked; only for the page shown, as a headline parses the whole text
    again)."""
    headlines = search_is_full_text() and bool(q.strip())
    columns = COLUMNS + (HEADLINE_COLUMNS if headlines else ())
    halves = []
    for source, rows_of in (("finding", _finding_rows), (RECOMMENDATION, _recommendation_rows)):
        pks = [pk for key_source, pk in keys if key_source == source]
        if not pks:
            continue
        half = rows_of().filter(pk__in=pks)
        if headlines:
            half = half.annotate(
                result_headline=SearchHeadline(
                    "text",
                    search_query(q),
                    config=SEARCH_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    highlight_all=True,
                )
            )
        halves.append(half.order_by().values(*columns))
    if not halves:
        return []
    rows = {(row["result_source"], row["result_pk"]): row for row in _union(halves)}
    return [rows[key] for key in keys]


def finding_search_results(*, rows, q: str) -> list[SearchResult]:
    """A page of ``finding_matches`` rows as results, their matches marked: PostgreSQL's headline where the row
    has one, else the words marked in Python (the SQLite fallback). No query."""
    words = search_words(q)
    results = []
    for row in rows:
        headline = row.get("result_headline")
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
