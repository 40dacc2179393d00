"""The inspectors' workbench: one page edits everything about an inspection.

The page shows, beside each judgement, the rating its key questions propose, and beside the overall rating the
one the standards add up to; it refuses a rating that breaks the rule unless professional discretion is set
with its reason. Drafts are listed only for those who may see them. Every change is kept by
django-simple-history (the "History" button).
"""

import copy
import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from findings.models import Finding, Recommendation
from inspections import admin_users  # noqa: F401  (registers the user admin)
from inspections.admin_html import (
    COMPACT_TABULAR,
    FINDINGS_INLINE,
    CompactAdminForm,
    CompactInlineAdminFormSet,
    LabelsWrittenInPython,
    PlainSelect,
    PlainTextarea,
    SharedChoices,
    plain_widget,
    select_html,
)
from inspections.admin_import import import_urls
from inspections.admin_lists import (
    AtScaleList,
    CappedCountPaginator,
    DateHierarchyChecked,
    IndexedValuesFilter,
    KeysFirstPaginator,
    KeysOncePaginator,
    distinct_values,
    search_words,
)
from inspections.audit import ReadOnlyHistoryAdmin, inspection_audit_view
from inspections.filters import inspections_matching
from inspections.models import (
    Inspection,
    InspectionArea,
    InspectionStatus,
    KeyFact,
    LocalAuthority,
    Service,
    inspection_date,
)
from inspections.roles import can_see_drafts
from inspections.services import inspections_publish
from ratings.models import Domain, Framework, Grade, Judgement, KeyQuestion, KeyQuestionScore, RatedBy, Standard
from ratings.rules import judgement_problem
from ratings.selectors import (
    FrameworkCatalogue,
    framework_catalogue,
    framework_catalogues_in_force_order,
    inspection_derived_overall,
)


def rating_tag(name: str | None) -> str:
    """A rating as its word in a tag (never colour alone)."""
    if not name:
        return format_html('<span class="rating-tag rating-tag--none">{}</span>', "Not rated")
    css = name.lower().replace(" ", "-")
    return format_html('<span class="rating-tag rating-tag--{}">{}</span>', css, name)


class PublishedUnlessInspector:
    """Rows of draft inspections are listed only for those who may see drafts."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if can_see_drafts(request.user):
            return rows
        return rows.filter(inspection__status=InspectionStatus.PUBLISHED)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ReadOnlyHistoryAdmin):
    search_fields = ["name"]
    list_display = ["name"]


@admin.register(Service)
class ServiceAdmin(AtScaleList, ReadOnlyHistoryAdmin):
    list_display = ["name", "slug", "nation", "authorities"]
    list_filter = ["nation"]
    search_fields = ["name", "slug", "local_authorities__name"]  # as get_search_results reads them
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["local_authorities"]
    # As the other lists at national scale (10,005 services): no second count of every service, 50 a page.
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return super().get_queryset(request).prefetch_related("local_authorities")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Service], search_term: str):
        # Django's rule (every word, each in the name, the slug or an authority's name), with the authorities'
        # services as a subquery instead of a join: Django joined every service to each of its authorities and
        # needed a DISTINCT over all of them to list each service once (34 ms of SQL for "bay", now 13). The names
        # are tested row by row: over 10,005 services that costs less than gathering the services from the
        # trigram indexes when a short word matches most of them ("a").
        for word in search_words(search_term):
            of_authorities = Service.local_authorities.through.objects.filter(localauthority__name__icontains=word)
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(slug__icontains=word) | Q(pk__in=of_authorities.values("service_id"))
            )
        return queryset, False

    @admin.display(description="Local authorities")
    def authorities(self, service: Service) -> str:
        return ", ".join(authority.name for authority in service.local_authorities.all())


class RowIdField(forms.ModelChoiceField):
    """A row's hidden id: one of the rows the formset read, checked against them rather than by a query per row.

    Django gives every row's form its own queryset of the whole table for this field (two copies of a queryset per
    row) and checks a posted id with a query per row: a few hundred queries to save a report.
    """

    def __init__(self, *, formset: BaseModelFormSet, **kwargs):
        super().__init__(queryset=None, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.formset._existing_object(self.formset.model._meta.pk.to_python(value))
        except ValidationError:
            row = None
        if row is None:  # not a row of this inspection, or deleted since
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return row


class RowIdFormSet(BaseModelFormSet):
    """``BaseModelFormSet.add_fields`` with a RowIdField for the hidden id (every model here has an automatic id)."""

    def add_fields(self, form, index):
        self._pk_field = pk = self.model._meta.pk
        if form.is_bound:
            # A row being added: its id is not in the database (as Django's).
            pk_value = None if form.instance._state.adding else form.instance.pk
        else:
            rows = self.get_queryset()
            pk_value = rows[index].pk if index is not None and index < len(rows) else None
        widget = (form._meta.widgets or {}).get(pk.name, forms.HiddenInput)
        form.fields[pk.name] = RowIdField(formset=self, initial=pk_value, required=False, widget=widget)
        BaseFormSet.add_fields(self, form, index)


class CompactFormSet(BaseInlineFormSet, RowIdFormSet):
    """Every input of every row, including the id, the inspection and the delete box, written out in Python."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            plain_widget(field)

    @cached_property
    def empty_form(self):
        # Read some forty times a page (the media, the new-row template, the rows' layout, the stored rows' writer):
        # one is built, where Django's builds one each time.
        return super().empty_form

    # Every row has the same fields: asked of the first row, Django builds every row's form to answer, which a page
    # being shown does not otherwise need (StoredRowWriter).
    @property
    def media(self):
        return self.empty_form.media

    def is_multipart(self):
        return self.empty_form.is_multipart()

    def __getitem__(self, index):
        # A template's "formset.prefix" tries formset["prefix"] first, which would build every row's form to find
        # that a name is not a row number.
        if not isinstance(index, int):
            raise TypeError(f"formset rows are numbered, not named: {index!r}")
        return super().__getitem__(index)


def _shallow_copy(obj):
    copied = obj.__class__.__new__(obj.__class__)
    copied.__dict__ = obj.__dict__.copy()
    return copied


class QuicklyCopiedFields(dict):
    """A form class's fields, copied into each of its forms as ``Field.__deepcopy__`` copies them (the field, its
    widget and the widget's attributes, its error messages and validators) but without ``copy.deepcopy``'s
    dispatch for each object: a page builds some four hundred forms. A field of another kind (one that copies
    more: a queryset, choices that are not shared) is deep-copied as usual."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():
            if _quickly_copied(field):
                copied = _shallow_copy(field)
                copied.widget = _shallow_copy(field.widget)
                copied.widget.attrs = field.widget.attrs.copy()
                copied.error_messages = field.error_messages.copy()
                copied.validators = field.validators[:]
                fields[name] = copied
            else:
                fields[name] = copy.deepcopy(field, memo)
        return fields


def _quickly_copied(field) -> bool:
    if isinstance(field, forms.ChoiceField) and not isinstance(field, CatalogueChoiceField):
        # Shared choices are not copied anyway; a model choice field's queryset would be.
        return isinstance(getattr(field, "_choices", None), SharedChoices) and not isinstance(
            field, forms.ModelChoiceField
        )
    widget_deepcopy = type(field.widget).__deepcopy__
    widget_copied_plainly = widget_deepcopy is forms.Widget.__deepcopy__ or isinstance(
        getattr(field.widget, "choices", None), SharedChoices
    )
    field_deepcopy = type(field).__deepcopy__
    return widget_copied_plainly and field_deepcopy in (forms.Field.__deepcopy__, CatalogueChoiceField.__deepcopy__)


class UnchangedRowsNotRevalidated(forms.ModelForm):
    """An inline row's form that does not validate its model again when nothing in it changed.

    Django checks every row of every inline on each save (each check constraint and each foreign key by a query):
    732 queries (SQLite) to save the Warwickshire page with one rating corrected, 48 now. An unchanged stored row
    is not saved either, and the database keeps its constraints; a changed, added or deleted row is validated as
    before.
    """

    def _post_clean(self):
        if self.instance.pk is not None and not self.instance._state.adding and not self.has_changed():
            return
        super()._post_clean()


class CompactInline(admin.TabularInline):
    """A tabular inline sized for reading many rows: small text boxes, plain selects, no icons on every row."""

    extra = 0
    text_rows: dict[str, int] = {}
    form = UnchangedRowsNotRevalidated
    formset = CompactFormSet
    # Django's tabular inline, its rows written out in Python (CompactInlineAdminFormSet.rows_html).
    template = COMPACT_TABULAR

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields = QuicklyCopiedFields(formset.form.base_fields)
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.text_rows:
            kwargs["widget"] = PlainTextarea(attrs={"rows": self.text_rows[db_field.name], "cols": 50})
        elif db_field.choices:
            kwargs["widget"] = PlainSelect
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.choices and not db_field.is_relation:
            formfield.choices = SharedChoices(formfield.choices)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            inner = formfield.widget.widget
            if isinstance(inner, AutocompleteSelect):
                formfield.widget = inner  # only the chosen rows are read (KnownLabelsAutocomplete)
                return formfield
            formfield.widget = PlainSelect(choices=inner.choices)
        if db_field.is_relation and not isinstance(formfield, CatalogueChoiceField):
            formfield = _with_choices_read_once(formfield, request, key=(self.model, db_field.name))
        return formfield


class CatalogueChoiceField(forms.ModelChoiceField):
    """A choice of framework rows (standards, domains, key questions, grades, frameworks) taken from the framework
    catalogue kept in the process (``ratings.selectors.framework_catalogues``): listing and checking a choice reads
    nothing from the database, and every form of the page shares the same choices."""

    def __init__(self, *, rows, **kwargs):
        super().__init__(**kwargs)
        self.rows = {str(row.pk): row for row in rows}
        empty = [] if self.empty_label is None else [("", self.empty_label)]
        self.choices = SharedChoices(empty + [(row.pk, self.label_from_instance(row)) for row in self.rows.values()])

    def __deepcopy__(self, memo):
        # Neither the queryset (never read) nor the shared choices need copying for each form.
        return forms.Field.__deepcopy__(self, memo)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = str(getattr(value, "pk", value))
        if key not in self.rows:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return self.rows[key]


def catalogue_rows(request: HttpRequest, related, framework: Framework | None) -> list | None:
    """The rows of a framework model a choice may take: the framework's own (all frameworks' without one). From
    the catalogues kept in the process, whose version is checked once per request (ratings.selectors)."""
    in_force = framework_catalogues_in_force_order()
    chosen = [framework_catalogue(framework=framework)] if framework is not None else in_force
    if related is Framework:
        return [catalogue.framework for catalogue in in_force]
    if related is Standard:
        return [row for catalogue in chosen for row in catalogue.standards.values()]
    if related is Domain:
        return [row for catalogue in chosen for row in catalogue.domains.values()]
    if related is KeyQuestion:
        return [row for catalogue in chosen for row in catalogue.key_questions.values()]
    if related is Grade:
        scales = {}  # a scale's grades once, however many frameworks use it; in the model's order (scale, points)
        for catalogue in chosen:
            if catalogue.framework.rating_scale_id is not None:
                scales[catalogue.framework.rating_scale.code] = list(catalogue.grades.values())
        return [grade for code in sorted(scales) for grade in scales[code]]
    return None


def catalogue_choice(request: HttpRequest, db_field, framework: Framework | None, kwargs: dict) -> dict:
    """The formfield arguments that take a framework model's choices from the catalogue (unchanged for others)."""
    rows = catalogue_rows(request, db_field.related_model, framework)
    if rows is not None:
        kwargs["form_class"] = CatalogueChoiceField
        kwargs["rows"] = rows
        kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=[row.pk for row in rows])
    return kwargs


class FrameworkBoundInline(CompactInline):
    """An inline whose choices are limited to the inspection's own framework (and its rating scale)."""

    related_to_fetch: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        # Only what is named: select_related() with no names would join every foreign key, and theirs.
        return rows.select_related(*self.related_to_fetch) if self.related_to_fetch else rows

    def get_formset(self, request, obj=None, **kwargs):
        self._inspection = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        inspection = getattr(self, "_inspection", None)
        framework = inspection.framework if inspection is not None and inspection.framework_id else None
        return super().formfield_for_foreignkey(
            db_field, request, **catalogue_choice(request, db_field, framework, kwargs)
        )


def _with_choices_read_once(formfield, request: HttpRequest, *, key: tuple):
    """Give every row of an inline the same choice list, read once per request, not once per row.

    A report has about two hundred findings: without this the page runs a query per row and select.
    """
    if formfield is None:
        return formfield
    cache = request.__dict__.setdefault("_inline_choices", {})
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None:
        # The same choices in two inlines (a finding's standard, a judgement's standard) are read once.
        key = (queryset.model, str(queryset.query))
    if key not in cache:
        # Iterating (not len()) reads the rows in one query, without a COUNT first.
        cache[key] = SharedChoices(iter(formfield.choices))
    formfield.choices = cache[key]
    return formfield


class JudgementFormSet(CompactFormSet):
    """Checks every judgement against the rule, using the key-question % entered on the same page."""

    key_question_formset: BaseInlineFormSet | None = None
    catalogue: FrameworkCatalogue | None = None

    def clean(self) -> None:
        super().clean()
        inspection = self.instance
        if any(self.errors) or inspection.framework_id is None:
            return
        if self.key_question_formset is not None and not self.key_question_formset.is_valid():
            return  # the key questions' own errors come first
        catalogue = self.catalogue or framework_catalogue(framework=inspection.framework)
        percents = self._percents_on_page()
        ratings = {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or data.get("standard") is None:
                continue
            standard, rating = data["standard"], data.get("rating")
            ratings[standard.code] = rating.name if rating else None
            problem = judgement_problem(
                rating=rating.name if rating else None,
                proposal=catalogue.proposal(standard.code, percents),
                professional_discretion=data.get("professional_discretion", False),
                reason=data.get("note", ""),
            )
            if problem:
                form.add_error("rating", f"{problem[0].upper()}{problem[1:]}.")
        derived = catalogue.derived_overall(ratings)
        overall = inspection.overall_rating.name if inspection.overall_rating_id else None
        if overall and derived and overall != derived:
            raise ValidationError(
                f"The overall rating {overall} is not the {derived} that these standards' ratings add up to. "
                "Correct the overall rating (or leave it empty to have it derived), or the standards' ratings."
            )

    def _percents_on_page(self) -> dict[str, int | None]:
        if self.key_question_formset is None:
            return _stored_percents(self.instance)
        percents = {}
        for form in self.key_question_formset.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE") and data.get("key_question") is not None:
                percents[data["key_question"].code] = data.get("percent_yes")
        return percents


class JudgementInline(FrameworkBoundInline):
    model = Judgement
    formset = JudgementFormSet
    related_to_fetch = ("standard", "rating")
    text_rows = {"note": 2}
    fields = ["standard", "rating", "proposed_rating", "score_percent", "professional_discretion", "note"]
    readonly_fields = ["proposed_rating"]

    @admin.display(description="Proposed by the key questions")
    def proposed_rating(self, judgement: Judgement) -> str:
        if judgement.pk is None:
            return "—"
        # Inline instances live for one request: the page's stored rows (InspectionAdmin._create_formsets), or
        # without them the framework and the stored % read once, not per row.
        stored = getattr(self, "stored_ratings", None)
        if stored is None or stored.inspection_id != judgement.inspection_id:
            stored = self.stored_ratings = StoredRatings.read(judgement.inspection)
        standard = stored.catalogue.standards[judgement.standard.code]
        if standard.rated_by != RatedBy.KEY_QUESTIONS:
            return "Rated by judgement: no rule"
        proposal = stored.catalogue.proposal(standard.code, stored.percents)
        if proposal is None:
            return "Unknown: a key-question % is missing"
        return format_html(
            "{} <small>lowest: {} at {}%</small>",
            rating_tag(proposal.rating),
            proposal.lowest_code,
            proposal.lowest_percent,
        )


class KeyQuestionScoreInline(FrameworkBoundInline):
    model = KeyQuestionScore
    related_to_fetch = ("key_question",)
    text_rows = {"note": 1, "wording": 1}
    fields = ["key_question", "percent_yes", "note", "wording"]


class WithoutSearchVector:
    """Rows without their search vector: the page never shows it, and the database's trigger keeps it."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("search_vector")


class RecommendationInline(WithoutSearchVector, FrameworkBoundInline):
    model = Recommendation
    text_rows = {"text": 3}
    fields = ["number", "addressee", "text", "domain"]


FINDINGS_PAGE_VAR = "findings_page"
PAGE_NUMBER = re.compile(r"[0-9]{1,9}", flags=re.ASCII)


@dataclass(frozen=True)
class FindingsPage:
    """Which of an inspection's findings the page shows (``?findings_page=N``), with the links to the others."""

    page: Page
    links: list[tuple[int, str]]  # (page number, its URL)

    @property
    def rows(self) -> slice:
        return slice(self.page.start_index() - 1, self.page.end_index())

    @property
    def previous_url(self) -> str | None:
        return self.links[self.page.number - 2][1] if self.page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        return self.links[self.page.number][1] if self.page.has_next() else None


def findings_page(request: HttpRequest, *, total: int, per_page: int, orphans: int) -> FindingsPage | None:
    """The page of findings a request asks for; None when they all fit on one (``orphans`` more than a page still
    do). As the services list's pages (Django's ``Paginator.get_page``): a value that is no number of a page (in ASCII
    digits), or none, is the first page, and a number past the last page the last."""
    paginator = Paginator(range(total), per_page, orphans=orphans)
    if paginator.num_pages == 1:
        return None
    value = request.GET.get(FINDINGS_PAGE_VAR, "")
    # ASCII digits only: int() would also read "٢" (an Arabic-Indic two) as 2.
    page = paginator.get_page(max(1, int(value)) if PAGE_NUMBER.fullmatch(value) else 1)
    query = request.GET.copy()
    links = []
    for number in page.paginator.page_range:
        query[FINDINGS_PAGE_VAR] = str(number)
        links.append((number, f"?{query.urlencode()}"))
    return FindingsPage(page=page, links=links)


class FindingFormSet(CompactFormSet):
    """One page of the findings (FindingInline.per_page at a time): the rows shown are the only ones a save reads,
    checks and writes; a posted id of a finding on another page is refused (RowIdField)."""

    page: FindingsPage | None = None

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            rows = super().get_queryset()
            if self.page is not None:
                self._queryset = rows[self.page.rows]
        return self._queryset


class FindingInline(WithoutSearchVector, FrameworkBoundInline):
    """A report's findings, a page at a time: Western Bay has 185, each row five inputs, and one page of them all
    took most of the page's time to build and write out. Moving to another page keeps no unsaved change."""

    model = Finding
    formset = FindingFormSet
    template = FINDINGS_INLINE
    text_rows = {"text": 3}
    fields = ["position", "kind", "standard", "domain", "text", "attribution"]
    # A typical report's sixty or so findings stay on one page; Western Bay's 185 are four.
    per_page = 50
    orphans = 15

    def get_queryset(self, request: HttpRequest) -> QuerySet[Finding]:
        return super().get_queryset(request).order_by("position", "pk")  # a page's rows are the same each time

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            total = getattr(obj, "finding_count", None)
            if total is None:
                total = obj.findings.count()
            formset.page = findings_page(request, total=total, per_page=self.per_page, orphans=self.orphans)
        return formset


class KeyFactInline(CompactInline):
    model = KeyFact
    text_rows = {"source": 1}
    fields = ["position", "measure", "value", "unit", "comparator", "comparator_value", "period", "source", "area"]


class KnownLabelsAutocomplete(AutocompleteSelect):
    """An autocomplete whose chosen options' labels are read once for the whole inline, not once per row."""

    def __init__(self, *args, labels: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {} if labels is None else labels

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        missing = [pk for pk in chosen if pk not in self.labels]
        if missing:  # a value typed into a page that came back with errors
            self.labels.update(
                (str(pk), str(row)) for pk, row in self.choices.queryset.in_bulk([int(p) for p in missing]).items()
            )
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        options += [self.create_option(name, pk, self.labels.get(pk, pk), True, 1 + i) for i, pk in enumerate(chosen)]
        return [(None, options, 0)]

    def render(self, name, value, attrs=None, renderer=None):
        # Its template's HTML written in Python (select_html): through the templates, each of the page's
        # autocompletes (the service, every local authority) took as long as a hundred other inputs.
        return select_html(self.get_context(name, value, attrs)["widget"])


class InspectionAreaFormSet(CompactFormSet):
    """The chosen authorities' names come from the rows the formset reads (with their authority), not read again."""

    def get_queryset(self):
        first = not hasattr(self, "_queryset")
        rows = super().get_queryset()
        widget = self.form.base_fields["local_authority"].widget
        if first and isinstance(widget, KnownLabelsAutocomplete):
            widget.labels.update((str(area.local_authority_id), area.local_authority.name) for area in rows)
        return rows


class InspectionAreaInline(CompactInline):
    """The local authorities, chosen by autocomplete: a select of every authority would be thousands long."""

    model = InspectionArea
    formset = InspectionAreaFormSet

    def get_queryset(self, request: HttpRequest) -> QuerySet[InspectionArea]:
        return super().get_queryset(request).select_related("local_authority")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "local_authority":
            kwargs["widget"] = KnownLabelsAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    extra = 0
    fields = ["position", "local_authority"]
    verbose_name = "local authority covered at the time"
    verbose_name_plural = "local authorities covered at the time"


def _stored_percents(inspection: Inspection) -> dict[str, int | None]:
    scores = inspection.key_question_scores.select_related("key_question")
    return {score.key_question.code: score.percent_yes for score in scores}


@dataclass(frozen=True)
class StoredRatings:
    """What an inspection's stored judgements and key-question % give under its framework's rules: the proposed
    rating beside each judgement and the overall rating the standards add up to."""

    inspection_id: int
    catalogue: FrameworkCatalogue
    percents: dict[str, int | None]
    ratings: dict[str, str | None]

    @property
    def derived_overall(self) -> str | None:
        return self.catalogue.derived_overall(self.ratings)

    @classmethod
    def read(cls, inspection: Inspection) -> "StoredRatings":
        judgements = inspection.judgements.select_related("standard", "rating")
        return cls(
            inspection_id=inspection.pk,
            catalogue=framework_catalogue(framework=inspection.framework),
            percents=_stored_percents(inspection),
            ratings={j.standard.code: (j.rating.name if j.rating_id else None) for j in judgements},
        )

    @classmethod
    def from_formsets(cls, inspection: Inspection, catalogue: FrameworkCatalogue, judgements, key_question_scores):
        """From the rows the page's inline formsets read anyway (before any posted value is applied to them)."""
        return cls(
            inspection_id=inspection.pk,
            catalogue=catalogue,
            percents={score.key_question.code: score.percent_yes for score in key_question_scores.get_queryset()},
            ratings={j.standard.code: (j.rating.name if j.rating_id else None) for j in judgements.get_queryset()},
        )


class InspectionForm(LabelsWrittenInPython):
    """The inspection page's form, carrying the version it was shown at: a save from a stale page is refused.

    Two inspectors open the same inspection; the first saves; the second's save would silently undo the first's
    edits. The stored row is locked (the admin validates and saves in one transaction) and its version compared
    with the one the page was shown at.
    """

    class Meta:
        model = Inspection
        fields = ["version"]  # the admin's fieldsets add the rest
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "version" not in cleaned:
            return cleaned
        stored = Inspection.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
        stored_version = stored.first()
        if stored_version is not None and cleaned["version"] != stored_version:
            raise ValidationError(inspection_changed_since(self.instance), code="stale")
        return cleaned


def inspection_changed_since(inspection: Inspection) -> str:
    """The refusal of a stale save, naming who saved the inspection last and when."""
    latest = inspection.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    who = latest.history_user.get_username() if latest and latest.history_user else "the system"
    when = timezone.localtime(latest.history_date).strftime("%d %B %Y at %H:%M:%S") if latest else "recently"
    return (
        f"Not saved: {who} changed this inspection on {when}, after this page was opened. Your changes would "
        "overwrite theirs. Open the inspection again to see their changes, then make yours."
    )


class OverallRatingFilter(admin.SimpleListFilter):
    """Grades by scale: "Good" on the 2018 scale is not "Good" on the FJI scale."""

    title = "overall rating"
    parameter_name = "overall_rating"

    def lookups(self, request, model_admin):
        grades = Grade.objects.select_related("scale").order_by("scale__name", "-points")
        return [(grade.pk, f"{grade.name} ({grade.scale.name})") for grade in grades] + [("none", "None")]

    def queryset(self, request, queryset):
        # Only a value the filter offers: anything else ("²", a number past any id) shows the list unfiltered.
        value = self.value()
        if value == "none":
            return queryset.filter(overall_rating__isnull=True)
        if value in {str(pk) for pk, _ in self.lookup_choices}:
            return queryset.filter(overall_rating_id=int(value))
        return queryset


@admin.register(Inspection)
class InspectionAdmin(AtScaleList, DateHierarchyChecked, ReadOnlyHistoryAdmin):
    list_display = ["service_name", "when", "framework", "status", "overall", "lead_inspector"]
    list_filter = ["status", "framework", OverallRatingFilter, "service__nation"]
    list_select_related = ["service", "framework", "overall_rating"]
    search_fields = [
        "service__name",
        "service_name",
        "service__slug",
        "lead_inspector",
        "title",
        "local_authorities__name",
    ]
    search_help_text = (
        "Each word in the service's name or slug, the name the report gave, the lead inspector, the report's title "
        "or one of its local authorities' names, in any case."
    )
    # At national scale: no count of every inspection on each page (the filtered count is enough), no date
    # drill-down (it reads the distinct dates of every inspection), newest first from an index, 50 a page (the
    # admin writes each cell through its helpers: a hundred rows took 55 ms).
    show_full_result_count = False
    list_per_page = 50
    # A page's ids first, from the index of its order (Inspection.Meta.indexes), then its rows: a late page skips
    # index entries, not joined rows.
    paginator = KeysFirstPaginator
    # Sorted by what an index reads in order. Not by framework, status or rating (three, two and a few values,
    # which the filters choose): each of those sorts read and sorted every inspection, as the framework's order
    # and the rating's points are on other tables and status could be indexed one way only. By rating it sorted
    # the ids of an index, 20 ms of the page's 50 at national scale.
    sortable_by = ["service_name", "when", "lead_inspector"]
    date_lookups_checked = "published_on"
    ordering = ["-published_on", "-id"]
    autocomplete_fields = ["service"]
    readonly_fields = ["derived_overall_rating"]
    form = InspectionForm
    actions = ["publish"]
    # The "Import a report" link (inspections/admin_import.py is the workflow).
    change_list_template = "admin/inspections/import/inspection_change_list.html"
    fieldsets = [
        (None, {"fields": ["service", "service_name", "framework", "status", "title", "version"]}),
        (
            "Dates",
            {
                "fields": [
                    ("published_on", "published_precision"),
                    ("fieldwork_start_on", "fieldwork_start_precision"),
                    ("fieldwork_end_on", "fieldwork_end_precision"),
                ],
                "description": "A report that gives only a month: enter any day of it and choose 'month'.",
            },
        ),
        ("Inspection", {"fields": ["lead_inspector", ("cases_court", "cases_out_of_court", "cases_total")]}),
        ("Overall rating", {"fields": ["overall_rating", "derived_overall_rating"]}),
        ("Gaps in the source", {"fields": ["notes"], "classes": ["collapse"]}),
    ]
    inlines = [
        InspectionAreaInline,
        JudgementInline,
        KeyQuestionScoreInline,
        RecommendationInline,
        FindingInline,
        KeyFactInline,
    ]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # A search's keys are read once, to 1,000 and one more, for its count and its pages: a word of a letter or
        # two matches most inspections or few, and no index finds it (counting every match tested every one of
        # them, 46 ms at national scale). The list itself, and its filters, are counted in full from the indexes.
        paginator = KeysOncePaginator if request.GET.get(SEARCH_VAR, "").strip() else self.paginator
        return paginator(queryset, per_page, orphans, allow_empty_first_page)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        # The services list's name search (inspections_matching: on PostgreSQL trigram-indexed lookups gathered by
        # id, or one pass over the rows for a word too short for a trigram) for each word, with the slug, lead
        # inspector and title: no join to every authority and no DISTINCT over the whole list. Each word may match
        # a different authority (Django's search wanted one authority to hold every word it matched there).
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        for word in search_words(search_term):
            queryset = inspections_matching(
                queryset,
                text=word,
                service_fields=("slug",),
                fields=("lead_inspector", "title"),
                each_service_once=True,
            )
        return queryset, False

    def get_urls(self):
        audit = path(
            "<path:object_id>/audit/",
            self.admin_site.admin_view(lambda request, object_id: inspection_audit_view(request, object_id, self)),
            name="inspections_inspection_audit",
        )
        return [*import_urls(self.admin_site), audit, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["adminform"].__class__ = CompactAdminForm
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_formset in inline_formsets:
            inline_formset.__class__ = CompactInlineAdminFormSet
        return inline_formsets

    def get_object(self, request, object_id, from_field=None):
        # Django's, with the number of findings read in the same query (the findings inline shows a page of them).
        count = Finding.objects.filter(inspection=OuterRef("pk")).order_by().values("inspection")
        queryset = self.get_queryset(request).annotate(
            finding_count=Coalesce(Subquery(count.annotate(n=Count("pk")).values("n")), 0)
        )
        field = Inspection._meta.pk if from_field is None else Inspection._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Inspection.DoesNotExist, ValidationError, ValueError):
            return None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Inspection]:
        inspections = super().get_queryset(request).select_related("service", "framework", "overall_rating")
        if not can_see_drafts(request.user):
            inspections = inspections.filter(status=InspectionStatus.PUBLISHED)
        return inspections

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for field in form.base_fields.values():
            plain_widget(field)  # as the inline rows' (CompactFormSet)
        service = form.base_fields.get("service")
        widget = getattr(service.widget, "widget", service.widget) if service is not None else None
        if isinstance(widget, KnownLabelsAutocomplete) and obj is not None and obj.service_id is not None:
            widget.labels[str(obj.service_id)] = str(obj.service)  # read with the inspection (get_queryset)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service":
            kwargs["widget"] = KnownLabelsAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        elif db_field.name in {"framework", "overall_rating"}:
            # Every framework and every grade: the rule that the rating is on the framework's scale is the database's.
            kwargs = catalogue_choice(request, db_field, None, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Date", ordering=inspection_date())
    def when(self, inspection: Inspection) -> str:
        return inspection.date_label

    @admin.display(description="Overall rating", ordering="overall_rating__points")
    def overall(self, inspection: Inspection) -> str:
        if inspection.overall_rating_id is None:
            return "—"
        return rating_tag(inspection.overall_rating.name)

    @admin.display(description="What the standards add up to")
    def derived_overall_rating(self, inspection: Inspection) -> str:
        if inspection.pk is None:
            return "—"
        stored = getattr(inspection, "_stored_ratings", None) or StoredRatings.read(inspection)
        derived = stored.derived_overall
        if derived is None:
            if not stored.catalogue.rules.overall_bands:
                return "This framework has no overall rating."
            return "Unknown until every counted standard is rated."
        return rating_tag(derived)

    def _create_formsets(self, request, obj, change):
        # Judgements are checked against the key-question % on the same page, not the stored ones.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_model = {formset.model: formset for formset in formsets}
        if Judgement in by_model and KeyQuestionScore in by_model:
            by_model[Judgement].key_question_formset = by_model[KeyQuestionScore]
            if obj is not None and obj.pk is not None and obj.framework_id is not None:
                # The proposed and derived ratings from the rows the inlines read, not read again.
                catalogue = framework_catalogue(framework=obj.framework)
                by_model[Judgement].catalogue = catalogue
                stored = StoredRatings.from_formsets(obj, catalogue, by_model[Judgement], by_model[KeyQuestionScore])
                obj._stored_ratings = stored
                for inline in inline_instances:
                    if isinstance(inline, JudgementInline):
                        inline.stored_ratings = stored
        return formsets, inline_instances

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        inspection = form.instance
        if inspection.overall_rating_id is None:
            derived = inspection_derived_overall(inspection=inspection)
            if derived is not None:
                inspection.overall_rating = Grade.objects.get(
                    scale_id=inspection.framework.rating_scale_id, name=derived
                )
                inspection._change_reason = "overall rating derived from the standards"
                inspection.save(update_fields=["overall_rating"])
                messages.info(request, f"The overall rating was derived from the standards: {derived}.")

    def save_model(self, request, obj, form, change) -> None:
        if change and "status" in form.changed_data:
            obj._change_reason = "published" if obj.status == InspectionStatus.PUBLISHED else "returned to draft"
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish the selected inspections", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Inspection]) -> None:
        published = inspections_publish(inspections=queryset, user=request.user)
        self.message_user(request, f"Published {published} inspection(s).", messages.SUCCESS)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Inspection]) -> None:
        # The bulk delete action: every selected inspection and everything under it, or none.
        with transaction.atomic():
            super().delete_queryset(request, queryset)

    class Media:
        css = {"all": ["admin/rating-tags.css"]}


@admin.register(KeyFact)
class KeyFactAdmin(AtScaleList, PublishedUnlessInspector, ReadOnlyHistoryAdmin):
    list_display = ["inspection", "measure", "value", "unit", "comparator", "comparator_value", "period"]
    # At national scale (378,000 key facts), as the findings lists: a measure's or a unit's values from their
    # index (each SELECT DISTINCT read every key fact: 50 ms), a count that stops at the cap and no second, full
    # count, 50 rows a page.
    list_filter = [("measure", IndexedValuesFilter), ("unit", IndexedValuesFilter)]
    list_select_related = ["inspection__service"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    search_fields = ["measure", "inspection__service__name"]  # as get_search_results reads them
    search_help_text = "Part of a measure's name ('reoffending') or of a service's name; every word must match."

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[KeyFact], search_term: str):
        # Django's rule (every word, each in any of the fields), each field read through an index: the measures
        # whose name holds the word, picked from the measures' index (a dozen names over 378,000 rows), and the
        # services whose name holds it (on PostgreSQL a trigram index). Django's own search tested every key
        # fact's text (0.7 s). The source is not searched: a dozen citations, each on tens of thousands of rows,
        # that no index could narrow.
        words = search_words(search_term)
        if not words:
            return queryset, False
        measures = distinct_values(KeyFact.objects.all(), "measure")
        for word in words:
            of_services = Q(inspection__service__name__icontains=word)
            named = [measure for measure in measures if word.casefold() in measure.casefold()]
            if not named:
                queryset = queryset.filter(of_services)
            elif Service.objects.filter(name__icontains=word).exists():
                queryset = queryset.filter(of_services | Q(measure__in=named))
            else:
                # The measures alone (no service's name holds the word): the rows, and their count, from the
                # measure's index. With the services too, the database must test every row it reads for both.
                queryset = queryset.filter(measure__in=named)
        return queryset, False
