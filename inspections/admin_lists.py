"""What the admin lists share: what a list accepts in its URL, and how a list reads and counts its rows at scale.

Django's date hierarchy turns ``<field>__year``/``__month``/``__day`` into a datetime and answers a bad value
by showing the list again with "?e=1"; a number too big for a date overflows instead (a server error). Values
are checked here first and answered the same way as any other bad lookup.

At national scale (60,000 inspections, 3.6 million findings, hundreds of thousands of recommendations and key
facts) a list reads a page's keys before its rows (``KeysFirstPaginator``), counts no further than it must
(``CappedCountPaginator``) and offers a column's values from an index (``IndexedValuesFilter``).
"""

import math
import re
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext

DATE_PART = re.compile(r"[0-9]{1,4}", flags=re.ASCII)
# What each part may be: Python's dates start in year 1 (a year 0 was a server error).
DATE_PART_RANGE = {"year": range(1, 10_000), "month": range(1, 13), "day": range(1, 32)}


class DateHierarchyChecked:
    """A ModelAdmin mixin: a date hierarchy parameter must be 1 to 4 ASCII digits within a date's range (year 1 to
    9999, month 1 to 12, day 1 to 31), or the lookup is refused."""

    # A list without a date hierarchy (too costly at scale) still accepts its date lookups in the URL.
    date_lookups_checked: str | None = None

    def get_changelist_instance(self, request):
        field = self.date_hierarchy or self.date_lookups_checked
        if field:
            for part in ("year", "month", "day"):
                for value in request.GET.getlist(f"{field}__{part}"):
                    if not DATE_PART.fullmatch(value) or int(value) not in DATE_PART_RANGE[part]:
                        raise IncorrectLookupParameters(f"{part} must be a number a date can hold")
        return super().get_changelist_instance(request)


# Stands for each row's key in the link written once for a list (AtScaleChangeList).
ROW_KEY = "__row_key__"


class AtScaleChangeList(ChangeList):
    """Django's ChangeList, with the link to each row's page written once for the list, and a list shown whole
    read by the keys its paginator read already (``KeysOncePaginator``), not searched again.

    Django reversed each row's URL, then added the list's filters to it, resolving that URL again to do so: a
    tenth of a list page's time at 50 rows. The link here is Django's (``url_for_result`` with the preserved
    filters), written for a stand-in key that each row's own replaces, quoted as ``reverse`` quotes it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self.opts
        try:
            link = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(ROW_KEY,),
                current_app=self.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            self.row_link = None  # Django's url_for_result raises it for each row: the rows are not links
            return
        self.row_link = add_preserved_filters({"preserved_filters": self.preserved_filters, "opts": opts}, link)
        # In the link already: Django's items_for_result would add them to each row's link again.
        self.preserved_filters = ""

    def get_results(self, request):
        super().get_results(request)
        keys = getattr(self.paginator, "keys", None)
        shown_whole = (self.show_all and self.can_show_all) or not self.multi_page
        if keys is not None and shown_whole and not self.paginator.capped:
            # Shown whole, the list has no more rows than it may show at once: every key was read.
            self.result_list = page_rows(self.queryset, Q(pk__in=keys))

    def url_for_result(self, result) -> str:
        if self.row_link is None:
            return super().url_for_result(result)
        key = quote(str(admin_quote(getattr(result, self.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@")
        return self.row_link.replace(ROW_KEY, key, 1)  # the path's: it comes before the filters


class AtScaleList:
    """A ModelAdmin mixin for a long list: its row links written once (``AtScaleChangeList``) and each row's action
    checkbox written out in Python, the same HTML as Django's (rendered through a template per row, it was a third
    of a list page's time)."""

    def get_changelist(self, request, **kwargs):
        return AtScaleChangeList

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        value = conditional_escape(str(obj.pk))
        return mark_safe(
            f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{value}" class="action-select"'
            f' aria-label="{label}">'
        )


class AnyOf(Lookup):
    """PostgreSQL's ``value = ANY(array)``: the array (a subquery's) is worked out once, then looked up."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class KeysFirstPaginator(Paginator):
    """Reads a page as ``WHERE id IN (the page's ids in the list's order)``, one query: the ids come from the
    narrowest index that gives the order (no joins but those the order and filters need), and only the page's
    rows are read and joined. A late page skips its offset over index entries instead of whole joined rows, and
    a sort no index can give sorts ids, not rows.

    The page's rows are read by their ids alone (``page_rows``): the list's filters and search chose the ids, and
    tested again on the rows they cost as much as the first time (the inspections searched for "a": each name of
    10,005 services tested again, 5 ms, for 50 rows). On PostgreSQL the ids are an array worked out first
    (``= ANY(ARRAY(...))``), so the page's rows are read by their primary key: as ``IN (...)``, PostgreSQL planned
    those filters for every row of the table before keeping the page's (75 ms for 50 rows, 9 ms by the array)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom, top = self.page_bounds(number)
        keys = self.object_list.values("pk")[bottom:top]
        if connections[self.object_list.db].vendor == "postgresql":
            on_page = AnyOf(F("pk"), ArraySubquery(keys))
        else:
            on_page = Q(pk__in=keys)
        return self._get_page(page_rows(self.object_list, on_page), number, self)

    def page_bounds(self, number: int) -> tuple[int, int]:
        """Where a valid page starts and ends in the list, as Django's Paginator.page slices it."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top


def page_rows(listed: QuerySet, on_page) -> QuerySet:
    """The rows ``on_page`` chooses, read, joined and ordered as ``listed`` reads them, without its filters.

    A list that annotates, adds extra SQL or is DISTINCT keeps its filters too (they may be what those need)."""
    query = listed.query
    if query.annotations or query.extra or query.extra_tables or query.distinct:
        return listed.filter(on_page)
    rows = listed.model._base_manager.using(listed.db).filter(on_page)
    rows.query.select_related = query.select_related
    rows.query.deferred_loading = query.deferred_loading
    return rows.order_by(*query.order_by) if query.order_by else rows


class CappedCountPaginator(KeysFirstPaginator):
    """Counts no more than ``cap`` rows (and one more, to know there are more): counting 3.6 million findings took
    longer than showing a page of them. The list says "more than 10,000" (templates/admin/pagination.html) and
    pages go no further than the cap; a filter or a search narrows the list."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        # Neither the list's order nor its related rows change how many rows there are; sorting every match first
        # (the order is by service and date) is what made counting slow.
        return self.object_list.select_related(None).order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        # The pages of the first ``cap`` rows: the one row counted past the cap only says that there are more.
        return super().num_pages if not self.capped else math.ceil(self.cap / self.per_page)

    @property
    def cap_text(self) -> str:
        return f"{self.cap:,}"


class KeysOncePaginator(CappedCountPaginator):
    """For a search: its first ``cap`` keys and one more, in the list's order, read once. How many there are is
    the count, a page is a slice of them read by their ids (``page_rows``), and a list shown whole is read by all
    of them (``AtScaleChangeList``).

    Counting, then reading a page's keys, tested the search twice: on the inspections, a word of a letter or two
    matches most of them ("a": the count tested 10,001 rows, 13 ms) or few ("qz": each query tested all 60,005).
    Counted to 1,000 ("More than 1,000 results"): 20 pages of a search that narrows nothing.
    """

    cap = 1_000

    @cached_property
    def keys(self) -> list:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self.keys)

    def page(self, number):
        number = self.validate_number(number)
        bottom, top = self.page_bounds(number)
        return self._get_page(page_rows(self.object_list, Q(pk__in=self.keys[bottom:top])), number, self)


def distinct_values(rows: QuerySet, field_name: str) -> list:
    """Every value of a column among ``rows``, in order, read from the column's index one value at a time (a
    "loose index scan": one short index read per distinct value, however many rows hold it), where SELECT
    DISTINCT reads every row. For a column of few values over many rows: key facts' measures and units."""
    column = rows.model._meta.get_field(field_name)
    if column.null:
        raise ValueError(f"{field_name} may be null: its values are read as not null")
    ordered = rows.order_by(field_name).values_list(field_name)
    # The next value: the first one past the last found ("found"."value", the recursive query's own column).
    after = ordered.filter(**{f"{field_name}__gt": RawSQL('"found"."value"', ())})
    try:
        first_sql, first_params = ordered[:1].query.sql_with_params()
        next_sql, next_params = after[:1].query.sql_with_params()
    except EmptyResultSet:  # rows that cannot match anything (none(), an id among no ids)
        return []
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT ({first_sql}) UNION ALL SELECT ({next_sql}) FROM found"
        ' WHERE "found"."value" IS NOT NULL) SELECT "value" FROM found WHERE "value" IS NOT NULL'
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, (*first_params, *next_params))
        return [value for (value,) in cursor.fetchall()]


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by every value of a column (the values of the rows the user may see), read from the column's
    index (``distinct_values``) instead of by SELECT DISTINCT over every row."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # Django's choices are a query not yet run: replaced here by the same values, read from the index.
        self.lookup_choices = distinct_values(model_admin.get_queryset(request), field_path)


def search_words(search_term: str) -> list[str]:
    """The words of an admin search as Django's own search splits them ("quoted words" stay one)."""
    return [
        unescape_string_literal(bit) if bit.startswith(('"', "'")) and bit[0] == bit[-1] else bit
        for bit in smart_split(search_term)
    ]
