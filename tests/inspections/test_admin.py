"""The inspectors' admin: one page edits an inspection, the rules are enforced, the other roles only read."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.admin import findings_page
from inspections.models import Inspection, InspectionStatus
from ratings.models import Judgement

pytestmark = pytest.mark.integration


def change_url(inspection: Inspection) -> str:
    return reverse("admin:inspections_inspection_change", args=[inspection.pk])


def inspection_of(slug: str) -> Inspection:
    return Inspection.objects.get(service__slug=slug)


def form_data(response) -> dict:
    """What the browser would post back unchanged: every field of the page's form and inline formsets."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def judgement_prefix(data: dict, code: str, inspection: Inspection) -> str:
    """The inline form prefix ("judgements-4") of a standard's judgement."""
    judgement = Judgement.objects.get(inspection=inspection, standard__code=code)
    [key] = [
        k for k, v in data.items() if k.startswith("judgements-") and k.endswith("-id") and str(v) == str(judgement.pk)
    ]
    return key.removesuffix("-id")


def test_change_page_shows_proposed_and_derived_ratings(client, reports, inspector):
    client.force_login(inspector)
    response = client.get(change_url(inspection_of("western-bay")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Proposed by the key questions" in html
    # 2.1: the lowest of 65 / 42 / 37 % is 2.1.3, in the Inadequate band.
    assert "lowest: 2.1.3 at 37%" in html
    # 3.3: lowest 50% proposes Requires improvement; the report rated it Inadequate by discretion.
    assert "lowest: 3.3.2 at 50%" in html
    assert 'rating-tag--requires-improvement">Requires improvement</span> <small>lowest: 3.3.2' in html
    assert "Rated by judgement: no rule" in html  # organisational delivery standards
    assert "What the standards add up to" in html
    assert '<span class="rating-tag rating-tag--inadequate">Inadequate</span>' in html


def test_change_page_runs_a_fixed_number_of_queries(client, reports, inspector, django_assert_num_queries):
    client.force_login(inspector)
    western_bay, warwickshire = inspection_of("western-bay"), inspection_of("warwickshire")
    assert western_bay.findings.count() != warwickshire.findings.count()
    client.get(change_url(western_bay))  # warm the session, the permission caches and the framework catalogue
    with django_assert_num_queries(11):
        client.get(change_url(western_bay))
    with django_assert_num_queries(11):
        client.get(change_url(warwickshire))


def test_change_page_offers_authorities_by_autocomplete_not_a_list_of_all(client, reports, inspector):
    client.force_login(inspector)
    html = client.get(change_url(inspection_of("western-bay"))).content.decode()
    for name in ("Swansea", "Neath Port Talbot", "Bridgend"):  # its own, chosen
        assert f"selected>{name}</option>" in html
    for name in ("Swindon", "Bromley", "Warwickshire"):  # every other authority is left to the search
        assert f">{name}</option>" not in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html


def test_inspection_list_shows_no_full_count_and_no_date_drill_down(
    client, reports, inspector, django_assert_num_queries
):
    client.force_login(inspector)
    url = reverse("admin:inspections_inspection_changelist")
    client.get(url)
    with django_assert_num_queries(7):
        html = client.get(url).content.decode()
    assert 'class="xfull"' not in html  # the date drill-down
    assert " total)" not in html  # the full count
    rows = [pk for pk in Inspection.objects.order_by("-published_on", "-id").values_list("pk", flat=True)]
    positions = [html.index(f"/admin/inspections/inspection/{pk}/change/") for pk in rows]
    assert positions == sorted(positions)  # newest first


def test_inspector_rating_against_the_rule_is_refused_without_discretion(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    data = form_data(client.get(change_url(western_bay)))
    prefix = judgement_prefix(data, "2.1", western_bay)
    data[f"{prefix}-rating"] = western_bay.framework.rating_scale.grades.get(name="Good").pk

    response = client.post(change_url(western_bay), data)

    assert response.status_code == 200
    assert (
        "Rating &#x27;Good&#x27; differs from &#x27;Inadequate&#x27;, which the lowest key question (2.1.3 at 37%) "
        "proposes" in response.content.decode()
    )
    assert Judgement.objects.get(inspection=western_bay, standard__code="2.1").rating.name == "Inadequate"


def test_inspector_discretion_with_reason_is_accepted_and_overall_rederived(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    data = form_data(client.get(change_url(western_bay)))
    prefix = judgement_prefix(data, "2.1", western_bay)
    data[f"{prefix}-rating"] = western_bay.framework.rating_scale.grades.get(name="Requires improvement").pk
    data[f"{prefix}-professional_discretion"] = "on"
    data[f"{prefix}-note"] = "Cases close to the grade boundary."

    # The stated overall (Inadequate, 6 points) no longer matches the standards (7 points): refused.
    response = client.post(change_url(western_bay), data)
    assert response.status_code == 200
    assert (
        "The overall rating Inadequate is not the Requires improvement that these standards"
        in response.content.decode()
    )

    # Leaving the overall rating empty has it derived.
    data["overall_rating"] = ""
    response = client.post(change_url(western_bay), data)
    assert response.status_code == 302
    western_bay.refresh_from_db()
    assert western_bay.overall_rating.name == "Requires improvement"
    judgement = Judgement.objects.get(inspection=western_bay, standard__code="2.1")
    assert (judgement.rating.name, judgement.professional_discretion) == ("Requires improvement", True)
    assert judgement.history.first().history_user == inspector
    assert western_bay.history.first().history_change_reason == "overall rating derived from the standards"


def test_discretion_without_reason_is_refused(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    data = form_data(client.get(change_url(western_bay)))
    prefix = judgement_prefix(data, "3.3", western_bay)
    data[f"{prefix}-note"] = ""

    response = client.post(change_url(western_bay), data)

    assert response.status_code == 200
    assert "Professional discretion needs its reason in the note." in response.content.decode()


def test_inspector_edit_is_saved_with_history(client, reports, inspector):
    client.force_login(inspector)
    warwickshire = inspection_of("warwickshire")
    data = form_data(client.get(change_url(warwickshire)))
    prefix = judgement_prefix(data, "1.1", warwickshire)
    data[f"{prefix}-rating"] = warwickshire.framework.rating_scale.grades.get(name="Outstanding").pk

    response = client.post(change_url(warwickshire), data)

    assert response.status_code == 302
    judgement = Judgement.objects.get(inspection=warwickshire, standard__code="1.1")
    assert judgement.rating.name == "Outstanding"
    before, after = judgement.history.all()[1], judgement.history.all()[0]
    assert (before.rating.name, after.rating.name, after.history_user) == ("Good", "Outstanding", inspector)
    warwickshire.refresh_from_db()
    assert warwickshire.overall_rating.name == "Good"  # 28 points: still Good


@pytest.mark.parametrize("role", ["analyst", "manager"])
def test_read_only_roles_can_view_but_not_change(client, reports, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)
    western_bay = inspection_of("western-bay")
    page = client.get(change_url(western_bay))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content

    response = client.post(change_url(western_bay), {"status": "draft"})

    assert response.status_code == 403
    western_bay.refresh_from_db()
    assert western_bay.status == InspectionStatus.PUBLISHED


def test_anonymous_is_sent_to_log_in(client, reports):
    response = client.get(change_url(inspection_of("western-bay")))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_drafts_are_listed_for_inspectors_only(client, reports, inspector, analyst):
    draft = inspection_of("bromley")
    draft.status = InspectionStatus.DRAFT
    draft.save()
    listing = reverse("admin:inspections_inspection_changelist")

    client.force_login(analyst)
    analyst_rows = client.get(listing).context["cl"].result_list
    assert sorted(i.service.slug for i in analyst_rows) == [
        "northamptonshire",
        "swindon",
        "warwickshire",
        "western-bay",
    ]
    assert client.get(change_url(draft)).status_code == 302  # "doesn't exist" for them

    client.force_login(inspector)
    inspector_rows = client.get(listing).context["cl"].result_list
    assert len(inspector_rows) == 5


def test_publish_action_records_who_published(client, reports, inspector):
    draft = inspection_of("bromley")
    draft.status = InspectionStatus.DRAFT
    draft.save()
    client.force_login(inspector)

    response = client.post(
        reverse("admin:inspections_inspection_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == InspectionStatus.PUBLISHED
    latest = draft.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("published", inspector)


def test_list_pages_filter_and_search(client, reports, inspector):
    client.force_login(inspector)
    listing = reverse("admin:inspections_inspection_changelist")

    by_nation = client.get(listing, {"service__nation__exact": "Wales"}).context["cl"].result_list
    by_search = client.get(listing, {"q": "Swansea"}).context["cl"].result_list
    findings = client.get(
        reverse("admin:findings_finding_changelist"), {"q": "AssetPlus", "kind__exact": "key_finding"}
    )

    assert [i.service.slug for i in by_nation] == ["western-bay"]
    assert [i.service.slug for i in by_search] == ["western-bay"]
    assert {f.inspection.service.slug for f in findings.context["cl"].result_list} == {"western-bay"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Swansea", ["western-bay"]),  # a local authority
        ("e", ["western-bay", "warwickshire", "swindon", "northamptonshire", "bromley"]),
        ("yv", ["western-bay"]),  # the lead inspector, Yvonne McGuckian
        ("northamp", ["northamptonshire"]),  # the slug (and the name)
        ("screening", ["northamptonshire"]),  # the report's title
        ('"youth justice"', ["western-bay", "warwickshire"]),  # a phrase: each service's name
        ("youth justice", ["western-bay", "warwickshire"]),  # every word, in any field
        ("swansea bridgend", ["western-bay"]),  # each word in another authority of the same inspection
        ("swansea bromley", []),
        ("sw ay", ["western-bay"]),  # Swansea, Western Bay
        ("zest", ["bromley"]),  # the name the report gave
    ],
)
def test_inspection_list_search_finds_each_word_in_a_name_slug_inspector_title_or_authority(
    client, reports, inspector, q, expected
):
    Inspection.objects.filter(service__slug="bromley").update(service_name="Zest Youth Offending Service")
    client.force_login(inspector)
    changelist = client.get(reverse("admin:inspections_inspection_changelist"), {"q": q}).context["cl"]
    slugs = [inspection.service.slug for inspection in changelist.result_list]
    assert sorted(slugs) == sorted(expected)  # each once (no DISTINCT: no join to the authorities)
    assert changelist.result_count == len(expected)


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("year", "99999999999999999999"),
        ("year", "\u0662\u0660\u0661\u0665"),
        ("year", "-1"),
        ("year", "0"),  # found by hypothesis: a server error ("year 0 is out of range")
        ("month", "13"),
        ("day", "0"),
    ],
)
def test_a_date_hierarchy_value_that_is_no_date_is_a_refused_lookup(client, reports, inspector, part, value):
    client.force_login(inspector)
    url = reverse("admin:inspections_inspection_changelist")
    response = client.get(url, {"published_on__year": "2019", f"published_on__{part}": value})
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_the_overall_rating_filter_ignores_a_value_it_does_not_offer(client, reports, inspector):
    client.force_login(inspector)
    url = reverse("admin:inspections_inspection_changelist")
    for value in ["\u00b2", "99999999999999999999999", "1 OR 1=1"]:
        response = client.get(url, {"overall_rating": value})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 5
    [good] = Inspection.objects.filter(service__slug="western-bay").values_list("overall_rating_id", flat=True)
    response = client.get(url, {"overall_rating": str(good)})
    assert [row.service.slug for row in response.context["cl"].result_list] == ["western-bay"]


def findings_shown(response) -> list[int]:
    """The ids of the findings a change page's findings inline shows, in order."""
    [inline] = [i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "findings"]
    return [form.instance.pk for form in inline.formset.initial_forms]


def test_change_page_shows_the_findings_a_page_at_a_time(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    by_position = list(western_bay.findings.order_by("position", "pk").values_list("pk", flat=True))
    assert len(by_position) == 185

    first = client.get(change_url(western_bay))
    last = client.get(change_url(western_bay), {"findings_page": "4"})

    assert findings_shown(first) == by_position[:50]
    assert "Findings 1 to 50 of 185." in first.content.decode()
    assert '<a href="?findings_page=2" rel="next">Next findings</a>' in first.content.decode()
    assert 'name="findings-TOTAL_FORMS" value="50"' in first.content.decode()
    assert findings_shown(last) == by_position[150:]
    assert "Findings 151 to 185 of 185." in last.content.decode()
    assert '<a href="?findings_page=3" rel="prev">Previous findings</a>' in last.content.decode()


@pytest.mark.parametrize(
    ("value", "shown"), [("abc", 1), ("\u0662", 1), ("", 1), ("1.5", 1), ("0", 1), ("-1", 1), ("99", 4), ("9" * 30, 1)]
)
def test_a_findings_page_that_is_no_page_shows_the_first_and_one_past_the_end_the_last(
    client, reports, inspector, value, shown
):
    client.force_login(inspector)
    response = client.get(change_url(inspection_of("western-bay")), {"findings_page": value})
    assert response.status_code == 200
    assert f'<span class="this-page" aria-current="page">{shown}</span>' in response.content.decode()


def test_a_report_with_a_page_of_findings_or_a_few_more_has_no_pages(client, reports, inspector):
    client.force_login(inspector)
    northamptonshire = inspection_of("northamptonshire")
    assert northamptonshire.findings.count() == 29
    response = client.get(change_url(northamptonshire), {"findings_page": "2"})
    assert len(findings_shown(response)) == 29
    assert "findings-pages" not in response.content.decode()
    # A page of 50, and up to 15 more, stay on one page (a typical report has about 60 findings).
    request = RequestFactory().get("/", {"findings_page": "2"})
    assert findings_page(request, total=65, per_page=50, orphans=15) is None
    pages = findings_page(request, total=66, per_page=50, orphans=15)
    assert (pages.page.number, pages.rows, pages.previous_url, pages.next_url) == (
        2,
        slice(50, 66),
        "?findings_page=1",
        None,
    )


def test_a_save_on_a_page_of_findings_changes_only_that_page(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    before = dict(western_bay.findings.values_list("pk", "text"))
    page = client.get(change_url(western_bay), {"findings_page": "2"})
    data = form_data(page)
    [changed] = [pk for pk in findings_shown(page)[:1]]
    [prefix] = [k.removesuffix("-id") for k, v in data.items() if k.startswith("findings-") and v == changed]
    data[f"{prefix}-text"] = "Corrected on the second page."

    response = client.post(change_url(western_bay) + "?findings_page=2", {**data, "_continue": "Save"})

    assert response.status_code == 302
    assert response["Location"] == change_url(western_bay) + "?findings_page=2"
    after = dict(western_bay.findings.values_list("pk", "text"))
    assert after == {**before, changed: "Corrected on the second page."}


def test_a_page_of_findings_posted_to_another_page_is_refused(client, reports, inspector):
    client.force_login(inspector)
    western_bay = inspection_of("western-bay")
    before = dict(western_bay.findings.values_list("pk", "text"))
    data = form_data(client.get(change_url(western_bay)))  # page 1's findings
    first_text = next(k for k in data if k.startswith("findings-") and k.endswith("-text"))
    data[first_text] = "Posted to the wrong page."

    response = client.post(change_url(western_bay) + "?findings_page=2", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.count(
            '<ul class="errorlist nonfield"><li>Select a valid choice. That choice is not one of the available choices.'
        )
        == 50
    )
    assert dict(western_bay.findings.values_list("pk", "text")) == before


def test_every_page_of_findings_runs_the_same_queries(client, reports, inspector, django_assert_num_queries):
    client.force_login(inspector)
    url = change_url(inspection_of("western-bay"))
    client.get(url)
    for page in ("1", "4"):
        with django_assert_num_queries(11):
            client.get(url, {"findings_page": page})


def test_a_save_validates_only_the_rows_that_changed(client, reports, inspector):
    """Saving the Warwickshire page with one rating corrected took 732 queries on SQLite: every row of every inline
    was validated again (each check constraint and foreign key by a query). Unchanged rows are not, nor saved."""
    client.force_login(inspector)
    warwickshire = inspection_of("warwickshire")
    data = form_data(client.get(change_url(warwickshire)))
    prefix = judgement_prefix(data, "1.1", warwickshire)
    data[f"{prefix}-rating"] = warwickshire.framework.rating_scale.grades.get(name="Outstanding").pk

    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(warwickshire), data)

    assert response.status_code == 302
    assert Judgement.objects.get(inspection=warwickshire, standard__code="1.1").rating.name == "Outstanding"
    assert len(queries) < 80, len(queries)


def _inline_bodies(html: str) -> list[str]:
    """Every inline table (its headings and rows), without the whitespace around tags (the template's
    indentation)."""
    bodies = re.findall(r'<div class="js-inline-admin-formset.*?<table>(.*?)</table>', html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", body)).strip() for body in bodies]


def _compact_and_django_bodies(monkeypatch, fetch) -> tuple[list[str], list[str]]:
    from django.contrib.admin.widgets import AutocompleteSelect

    from inspections.admin import CompactInline, FindingInline, KnownLabelsAutocomplete

    compact = _inline_bodies(fetch().content.decode())
    monkeypatch.setattr(CompactInline, "template", "admin/edit_inline/tabular.html")
    monkeypatch.setattr(FindingInline, "template", "admin/edit_inline/tabular.html")
    # The local authorities' autocompletes through their template too.
    monkeypatch.setattr(KnownLabelsAutocomplete, "render", AutocompleteSelect.render)
    return compact, _inline_bodies(fetch().content.decode())


@pytest.mark.parametrize("user", ["inspector", "analyst"])
@pytest.mark.parametrize("slug", ["warwickshire", "western-bay"])
def test_inline_rows_written_in_python_are_the_html_of_djangos_tabular_inline(
    client, reports, monkeypatch, request, slug, user
):
    """The admin's inline script reads the rows' structure: a Django upgrade that changes tabular.html must show
    here, not on an inspector's page. An inspector's rows are inputs; an analyst's (view only) are readonly cells;
    both are written without a form for each stored row."""
    client.force_login(request.getfixturevalue(user))
    url = change_url(inspection_of(slug))
    compact, django_tabular = _compact_and_django_bodies(monkeypatch, lambda: client.get(url))
    assert len(compact) == 6
    assert compact == django_tabular
    if user == "inspector":
        assert re.search(r'<select name="[a-z_]+-0-rating"', "".join(compact))
    else:
        written = "".join(compact)
        assert "<select" not in written and "<textarea" not in written and 'type="text"' not in written


def test_inline_rows_of_a_save_refused_are_the_html_of_djangos_tabular_inline(client, reports, inspector, monkeypatch):
    """A page that comes back with errors is written from its posted forms: the inspector's values and the
    errors are where Django's tabular inline puts them."""
    client.force_login(inspector)
    warwickshire = inspection_of("warwickshire")
    data = form_data(client.get(change_url(warwickshire)))
    prefix = judgement_prefix(data, "1.1", warwickshire)
    data[f"{prefix}-rating"] = "999999"

    compact, django_tabular = _compact_and_django_bodies(
        monkeypatch, lambda: client.post(change_url(warwickshire), data)
    )
    assert "Select a valid choice" in "".join(compact)
    assert compact == django_tabular


def _fieldsets_with_sorted_attributes(html: str) -> str:
    """The inspection's own fields (every fieldset outside the inlines), each tag's attributes in name order,
    without the whitespace around tags."""
    form = html.split('<div class="js-inline-admin-formset')[0]
    fieldsets = "".join(re.findall(r"<fieldset.*?</fieldset>", form, flags=re.S))

    def sorted_tag(match):
        name, attributes = match.group(1), match.group(2)
        pairs = sorted(re.findall(r'([\w-]+)(="[^"]*")?', attributes))
        return "<" + name + "".join(f" {key}{value}" for key, value in pairs) + ">"

    fieldsets = re.sub(r"<(input|select|textarea)\b([^>]*)>", sorted_tag, fieldsets)
    return re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", fieldsets)).strip()


def _fieldsets(html: str) -> str:
    """The inspection's own fieldsets (outside the inlines), without the whitespace around tags."""
    form = html.split('<div class="js-inline-admin-formset')[0]
    fieldsets = "".join(re.findall(r"<fieldset.*?</fieldset>", form, flags=re.S))
    return re.sub(r"\s+", " ", re.sub(r"\s*(<[^>]*>)\s*", r"\1", fieldsets)).strip()


def _fieldsets_written_and_djangos(monkeypatch, fetch) -> tuple[str, str]:
    from inspections.admin import InspectionAdmin

    written = _fieldsets(fetch().content.decode())
    monkeypatch.setattr(InspectionAdmin, "change_form_template", "admin/change_form.html")
    return written, _fieldsets(fetch().content.decode())


@pytest.mark.parametrize("user", ["inspector", "analyst"])
@pytest.mark.parametrize("slug", ["bromley", "western-bay"])
def test_the_inspections_fieldsets_written_in_python_are_the_html_of_djangos_fieldset_template(
    client, reports, monkeypatch, request, slug, user
):
    """The fieldsets are written in Python (CompactAdminForm): an inspector's are labels and inputs, an analyst's
    (view only) readonly values; both must be what admin/includes/fieldset.html writes."""
    client.force_login(request.getfixturevalue(user))
    url = change_url(inspection_of(slug))
    written, django_template = _fieldsets_written_and_djangos(monkeypatch, lambda: client.get(url))
    assert written == django_template
    assert written.count("<fieldset") == 5
    assert '<h2 id="fieldset-0-1-heading" class="fieldset-heading">Dates</h2>' in written
    assert '<details><summary><h2 id="fieldset-0-4-heading" class="fieldset-heading">Gaps in the source' in written
    if user == "inspector":
        assert '<div class="flex-container fieldBox field-cases_court">' in written
    else:
        assert '<div class="readonly">' in written and "<input" not in written


def test_the_fieldsets_of_a_save_refused_are_the_html_of_djangos_fieldset_template(
    client, reports, inspector, monkeypatch
):
    """A page that comes back with errors shows them where Django's fieldset template puts them."""
    client.force_login(inspector)
    bromley = inspection_of("bromley")
    data = form_data(client.get(change_url(bromley)))
    data.update(framework="", cases_court="many", published_on="31/02/2015")

    written, django_template = _fieldsets_written_and_djangos(
        monkeypatch, lambda: client.post(change_url(bromley), data)
    )
    assert written == django_template
    assert '<div class="form-row errors field-framework"><ul class="errorlist"' in written
    assert '<div class="flex-container fieldBox field-cases_court errors">' in written
    assert "Enter a whole number." in written and "Enter a valid date." in written


@pytest.mark.parametrize("slug", ["bromley", "western-bay"])
def test_the_inspections_own_fields_written_in_python_are_the_html_of_djangos_widgets(
    client, reports, inspector, monkeypatch, slug
):
    """The text boxes, selects, textareas, the service's autocomplete and the labels of the inspection's own form
    are written in Python (as the inline rows are); what an inspector gets is Django's HTML, the dates still Django's
    date widgets."""
    from django import forms
    from django.contrib.admin.widgets import AutocompleteSelect

    import inspections.admin

    client.force_login(inspector)
    url = change_url(inspection_of(slug))
    plain = _fieldsets_with_sorted_attributes(client.get(url).content.decode())
    monkeypatch.setattr(inspections.admin, "plain_widget", lambda field: None)
    monkeypatch.setattr(inspections.admin.KnownLabelsAutocomplete, "render", AutocompleteSelect.render)
    monkeypatch.setattr(inspections.admin.LabelsWrittenInPython, "render", forms.ModelForm.render)
    django_widgets = _fieldsets_with_sorted_attributes(client.get(url).content.decode())
    assert plain == django_widgets
    assert plain.count("<select") >= 5 and '<p class="date">' in plain
    assert '<label class="required" for="id_service">Service:</label>' in plain
    assert 'data-ajax--url="/admin/autocomplete/"' in plain
    assert 'name="lead_inspector"' in plain
    assert '<textarea aria-describedby="id_notes_helptext" cols="40" id="id_notes"' in plain
