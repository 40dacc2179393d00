"""Every URL the project serves, for every role, with a draft and a published inspection in the database.

The URL resolver is walked: every pattern must be in ``CASES`` (or in ``NOT_WALKED`` with a reason), so a page
added later fails here until someone decides who may see it. Each case is requested by each role and must give
exactly the outcome in its row: 200, ``login`` (302 to the login page), ``index`` (302 to the admin index: the
admin's answer for a record the user may not see), ``302`` (the admin's redirect to a record's change page),
403, 404 or 405.

The second half posts what each read-only role must not write and checks that nothing changed.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from findings.models import Finding, Recommendation
from inspections.models import Inspection, KeyFact, LocalAuthority, ReportImport, Service
from inspections.roles import ANALYST
from ratings.models import Framework, RatingScale, Standard
from tests.conftest import DRAFT_MARKER, report_document

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("reports_and_draft")]

ROLES = ["anonymous", "analyst", "manager", "inspector", "staff_administrator", "superuser"]

# Patterns not requested, and why.
NOT_WALKED = {
    # The admin's catch-all answers any other path under /admin/; requested once below as an unknown page.
}

# (pattern, path, outcomes for: anonymous analyst manager inspector staff_administrator superuser)
# Paths are formatted with the ids of the records made in `walk_ids`.
EVERYONE = "200 200 200 200 200 200"
STAFF = "login 200 200 200 200 200"
INSPECTORS = "login 403 403 200 403 200"
ADMINISTRATORS = "login 403 403 403 200 200"
SUPERUSER = "login 403 403 403 403 200"
NOBODY = "login 403 403 403 403 403"
DRAFT_PAGE = "404 404 404 200 404 200"
DRAFT_ADMIN = "login index index 200 index 200"
DRAFT_HISTORY = "login 404 404 200 404 200"

CASES = [
    # Public pages.
    ("overview", "/", EVERYONE),
    ("service_list", "/services/", EVERYONE),
    ("service_list", "/services/?format=csv", EVERYONE),
    ("service_list", "/services/?format=json", EVERYONE),
    ("service_scorecard", "/services/warwickshire/", EVERYONE),
    ("service_scorecard", "/services/no-such-service/", "404 404 404 404 404 404"),
    ("inspection_detail", "/inspections/{published}/", EVERYONE),
    ("inspection_detail", "/inspections/{draft}/", DRAFT_PAGE),
    ("finding_search", f"/findings/?q={DRAFT_MARKER}", EVERYONE),
    ("compare", "/compare/?services=warwickshire&services=bromley", EVERYONE),
    # The admin's own pages.
    ("admin:index", "/admin/", STAFF),
    ("admin:login", "/admin/login/", "200 index index index index index"),
    ("admin:logout", "/admin/logout/", "index 405 405 405 405 405"),
    ("admin:password_change", "/admin/password_change/", STAFF),
    ("admin:password_change_done", "/admin/password_change/done/", STAFF),
    (
        "admin:autocomplete",
        "/admin/autocomplete/?app_label=inspections&model_name=inspection&field_name=service",
        STAFF,
    ),
    ("admin:jsi18n", "/admin/jsi18n/", STAFF),
    ("admin:view_on_site", "/admin/r/{inspection_type}/{published}/", "login 404 404 404 404 404"),
    ("admin:app_list", "/admin/inspections/", STAFF),
    ("admin:app_list", "/admin/auth/", "login 404 404 404 200 200"),
    ("admin/(?P<url>.*)$", "/admin/no-such-page/", "login 404 404 404 404 404"),
    # Groups: defined in code (inspections/roles.py); staff administrators read them.
    ("admin:auth_group_changelist", "/admin/auth/group/", ADMINISTRATORS),
    ("admin:auth_group_add", "/admin/auth/group/add/", SUPERUSER),
    ("admin:auth_group_change", "/admin/auth/group/{group}/change/", ADMINISTRATORS),
    ("admin:auth_group_delete", "/admin/auth/group/{group}/delete/", SUPERUSER),
    ("admin:auth_group_history", "/admin/auth/group/{group}/history/", ADMINISTRATORS),
    ("admin/auth/group/<path:object_id>/", "/admin/auth/group/{group}/", "login 302 302 302 302 302"),
    # Users: staff administrators manage them, but never a superuser.
    ("admin:auth_user_changelist", "/admin/auth/user/", ADMINISTRATORS),
    ("admin:auth_user_add", "/admin/auth/user/add/", ADMINISTRATORS),
    ("admin:auth_user_change", "/admin/auth/user/{analyst}/change/", ADMINISTRATORS),
    ("admin:auth_user_change", "/admin/auth/user/{superuser}/change/", "login 403 403 403 index 200"),
    ("admin:auth_user_delete", "/admin/auth/user/{analyst}/delete/", ADMINISTRATORS),
    ("admin:auth_user_delete", "/admin/auth/user/{superuser}/delete/", "login 403 403 403 index 200"),
    ("admin:auth_user_history", "/admin/auth/user/{analyst}/history/", ADMINISTRATORS),
    ("admin:auth_user_password_change", "/admin/auth/user/{analyst}/password/", ADMINISTRATORS),
    ("admin:auth_user_password_change", "/admin/auth/user/{superuser}/password/", "login 403 403 403 404 200"),
    ("admin/auth/user/<path:object_id>/", "/admin/auth/user/{analyst}/", "login 302 302 302 302 302"),
    # Report imports: inspectors only (an import holds a draft); kept read-only for everyone.
    ("admin:inspections_inspection_import", "/admin/inspections/inspection/import/", INSPECTORS),
    ("admin:inspections_inspection_import_review", "/admin/inspections/inspection/import/{import}/", INSPECTORS),
    ("admin:inspections_reportimport_changelist", "/admin/inspections/reportimport/", INSPECTORS),
    ("admin:inspections_reportimport_add", "/admin/inspections/reportimport/add/", NOBODY),
    ("admin:inspections_reportimport_change", "/admin/inspections/reportimport/{import}/change/", INSPECTORS),
    ("admin:inspections_reportimport_delete", "/admin/inspections/reportimport/{import}/delete/", NOBODY),
    ("admin:inspections_reportimport_history", "/admin/inspections/reportimport/{import}/history/", INSPECTORS),
    (
        "admin/inspections/reportimport/<path:object_id>/",
        "/admin/inspections/reportimport/{import}/",
        "login 302 302 302 302 302",
    ),
    # Inspections, published and draft.
    ("admin:inspections_inspection_changelist", "/admin/inspections/inspection/", STAFF),
    ("admin:inspections_inspection_add", "/admin/inspections/inspection/add/", INSPECTORS),
    ("admin:inspections_inspection_change", "/admin/inspections/inspection/{published}/change/", STAFF),
    ("admin:inspections_inspection_change", "/admin/inspections/inspection/{draft}/change/", DRAFT_ADMIN),
    ("admin:inspections_inspection_delete", "/admin/inspections/inspection/{published}/delete/", INSPECTORS),
    ("admin:inspections_inspection_delete", "/admin/inspections/inspection/{draft}/delete/", INSPECTORS),
    ("admin:inspections_inspection_history", "/admin/inspections/inspection/{published}/history/", STAFF),
    ("admin:inspections_inspection_history", "/admin/inspections/inspection/{draft}/history/", DRAFT_HISTORY),
    (
        "admin:inspections_inspection_simple_history",
        "/admin/inspections/inspection/{published}/history/{published_version}/",
        STAFF,
    ),
    (
        "admin:inspections_inspection_simple_history",
        "/admin/inspections/inspection/{draft}/history/{draft_version}/",
        DRAFT_HISTORY,
    ),
    ("admin:inspections_inspection_audit", "/admin/inspections/inspection/{published}/audit/", STAFF),
    ("admin:inspections_inspection_audit", "/admin/inspections/inspection/{draft}/audit/", DRAFT_HISTORY),
    (
        "admin/inspections/inspection/<path:object_id>/",
        "/admin/inspections/inspection/{published}/",
        "login 302 302 302 302 302",
    ),
]


def _records_under_inspection(model, label: str, related: str):
    """Cases for a model listed under an inspection: its list, add, and a published and a draft record."""
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        (f"{name}_changelist", base, STAFF),
        (f"{name}_add", f"{base}add/", INSPECTORS),
        (f"{name}_change", base + "{published_" + label + "}/change/", STAFF),
        (f"{name}_change", base + "{draft_" + label + "}/change/", DRAFT_ADMIN),
        (f"{name}_delete", base + "{published_" + label + "}/delete/", INSPECTORS),
        (f"{name}_delete", base + "{draft_" + label + "}/delete/", INSPECTORS),
        (f"{name}_history", base + "{published_" + label + "}/history/", STAFF),
        (f"{name}_history", base + "{draft_" + label + "}/history/", DRAFT_HISTORY),
        (
            f"{name}_simple_history",
            base + "{published_" + label + "}/history/{published_" + label + "_version}/",
            STAFF,
        ),
        (
            f"{name}_simple_history",
            base + "{draft_" + label + "}/history/{draft_" + label + "_version}/",
            DRAFT_HISTORY,
        ),
        (
            f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/",
            base + "{published_" + label + "}/",
            "login 302 302 302 302 302",
        ),
    ]


def _reference_data(model, label: str):
    """Cases for reference data every staff role reads and inspectors edit."""
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return [
        (f"{name}_changelist", base, STAFF),
        (f"{name}_add", f"{base}add/", INSPECTORS),
        (f"{name}_change", base + "{" + label + "}/change/", STAFF),
        (f"{name}_delete", base + "{" + label + "}/delete/", INSPECTORS),
        (f"{name}_history", base + "{" + label + "}/history/", STAFF),
        (f"{name}_simple_history", base + "{" + label + "}/history/{" + label + "_version}/", STAFF),
        (
            f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/",
            base + "{" + label + "}/",
            "login 302 302 302 302 302",
        ),
    ]


CASES += (
    _records_under_inspection(Finding, "finding", "findings")
    + _records_under_inspection(Recommendation, "recommendation", "recommendations")
    + _records_under_inspection(KeyFact, "key_fact", "key_facts")
    + _reference_data(LocalAuthority, "local_authority")
    + _reference_data(Service, "service")
    + _reference_data(RatingScale, "rating_scale")
    + _reference_data(Framework, "framework")
    + _reference_data(Standard, "standard")
)


def served_patterns() -> set[str]:
    """Every URL pattern the project serves, by name (``admin:…``) or, when unnamed, by its full route."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    yield prefix + str(pattern.pattern)

    return set(walk(get_resolver().url_patterns, "", None))


@pytest.fixture
def walk_ids(reports_and_draft, inspector, analyst, superuser) -> dict:
    """The module's records, the cast's users and an unsaved report import of the draft."""
    report_import = ReportImport.objects.create(
        file_name="warwickshire.txt",
        sha256="0" * 64,
        uploaded_by=inspector,
        format="standards-2018",
        source_text="",
        document=report_document("warwickshire") | {"status": "draft"},
    )
    return {**reports_and_draft, "import": report_import.pk, "analyst": analyst.pk, "superuser": superuser.pk}


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "login"
        if location == "/admin/":
            return "index"
        return "302"
    return str(response.status_code)


def test_every_served_url_pattern_has_an_expected_outcome():
    walked = {pattern for pattern, _, _ in CASES} | set(NOT_WALKED)
    assert served_patterns() - walked == set(), "new URL patterns: add them to CASES with who may see them"
    assert walked - served_patterns() == set(), "CASES name patterns the project no longer serves"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_gives_each_role_exactly_its_outcome(client, request, walk_ids, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    index = ROLES.index(role)
    expected, actual = {}, {}
    for _pattern, path, outcomes in CASES:
        url = path.format(**walk_ids)
        expected[url] = outcomes.split()[index]
        actual[url] = outcome(client.get(url))
    assert actual == expected


# Writes --------------------------------------------------------------------------------------------------------------

# (who, path, form data, outcome): each is refused and changes nothing. Paths and data use `walk_ids`.
REFUSED_WRITES = [
    ("anonymous", "/admin/inspections/inspection/{published}/change/", {"lead_inspector": "Someone"}, "login"),
    ("anonymous", "/admin/inspections/inspection/{draft}/delete/", {"post": "yes"}, "login"),
    ("analyst", "/admin/inspections/inspection/add/", {"service_name": "New"}, "403"),
    ("manager", "/admin/inspections/inspection/add/", {"service_name": "New"}, "403"),
    ("staff_administrator", "/admin/inspections/inspection/add/", {"service_name": "New"}, "403"),
    ("analyst", "/admin/inspections/inspection/{published}/change/", {"lead_inspector": "Someone"}, "403"),
    ("staff_administrator", "/admin/inspections/inspection/{published}/change/", {"lead_inspector": "X"}, "403"),
    ("analyst", "/admin/inspections/inspection/{draft}/change/", {"lead_inspector": "Someone"}, "403"),
    ("analyst", "/admin/inspections/inspection/{published}/delete/", {"post": "yes"}, "403"),
    ("manager", "/admin/inspections/inspection/{draft}/delete/", {"post": "yes"}, "403"),
    ("analyst", "/admin/findings/finding/{published_finding}/change/", {"text": "Changed"}, "403"),
    ("analyst", "/admin/findings/finding/{published_finding}/delete/", {"post": "yes"}, "403"),
    ("manager", "/admin/findings/recommendation/{published_recommendation}/delete/", {"post": "yes"}, "403"),
    ("analyst", "/admin/inspections/keyfact/{published_key_fact}/delete/", {"post": "yes"}, "403"),
    ("analyst", "/admin/ratings/framework/{framework}/delete/", {"post": "yes"}, "403"),
    # Bulk actions: publishing and deleting are not offered to readers, and posting them does nothing.
    (
        "analyst",
        "/admin/inspections/inspection/",
        {"action": "publish", "_selected_action": ["{draft}", "{published}"], "index": "0"},
        "200",
    ),
    (
        "manager",
        "/admin/inspections/inspection/",
        {"action": "delete_selected", "_selected_action": ["{published}"], "post": "yes", "index": "0"},
        "200",
    ),
    # History is read-only for everyone, a superuser included.
    ("analyst", "/admin/inspections/inspection/{published}/history/{published_version}/", {}, "405"),
    ("inspector", "/admin/inspections/inspection/{published}/history/{published_version}/", {}, "405"),
    ("superuser", "/admin/inspections/inspection/{published}/history/{published_version}/", {}, "405"),
    ("inspector", "/admin/findings/finding/{draft_finding}/history/{draft_finding_version}/", {}, "405"),
    ("inspector", "/admin/inspections/inspection/{draft}/history/", {}, "405"),
    ("inspector", "/admin/inspections/inspection/{draft}/audit/", {}, "405"),
    # Imports: inspectors only.
    ("analyst", "/admin/inspections/inspection/import/", {"file": "upload"}, "403"),
    ("staff_administrator", "/admin/inspections/inspection/import/", {"file": "upload"}, "403"),
    ("analyst", "/admin/inspections/inspection/import/{import}/", {"confirm_replace": "yes"}, "403"),
    # Users and groups: not for inspectors or readers; no one but a superuser makes a superuser.
    ("inspector", "/admin/auth/user/add/", {"username": "new", "password1": "x" * 20, "password2": "x" * 20}, "403"),
    ("analyst", "/admin/auth/user/{analyst}/change/", {"username": "analyst", "is_superuser": "on"}, "403"),
    ("staff_administrator", "/admin/auth/group/{group}/change/", {"name": "Analyst", "permissions": []}, "403"),
    ("staff_administrator", "/admin/auth/group/add/", {"name": "Everything"}, "403"),
    ("staff_administrator", "/admin/auth/user/{superuser}/password/", {"password1": "y" * 20}, "404"),
]


def database_state(ids: dict) -> dict:
    """What a refused write must leave as it was: row counts, history counts and the fields the writes aim at."""
    User = get_user_model()
    models = [Inspection, Finding, Recommendation, KeyFact, Framework, ReportImport, User, Group]
    history = [Inspection, Finding, Recommendation, KeyFact, Framework]
    draft = Inspection.objects.get(pk=ids["draft"])
    published = Inspection.objects.get(pk=ids["published"])
    return {
        **{model.__name__: model.objects.count() for model in models},
        **{f"history of {model.__name__}": model.history.count() for model in history},
        "draft": (draft.status, draft.lead_inspector),
        "published": (published.status, published.lead_inspector),
        "finding": Finding.objects.get(pk=ids["published_finding"]).text,
        "import saved as": ReportImport.objects.get(pk=ids["import"]).inspection_id,
        "superusers": sorted(User.objects.filter(is_superuser=True).values_list("username", flat=True)),
        "passwords": sorted(User.objects.values_list("password", flat=True)),
        "Analyst permissions": Group.objects.get(name=ANALYST).permissions.count(),
    }


def _filled(value, ids: dict):
    if isinstance(value, list):
        return [_filled(item, ids) for item in value]
    if value == "upload":
        return SimpleUploadedFile("report.txt", b"Inspection of youth offending services in: Warwickshire")
    return value.format(**ids) if isinstance(value, str) else value


@pytest.mark.parametrize(("role", "path", "data", "expected"), REFUSED_WRITES)
def test_refused_writes_change_nothing(client, request, walk_ids, role, path, data, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = database_state(walk_ids)
    response = client.post(path.format(**walk_ids), {key: _filled(value, walk_ids) for key, value in data.items()})
    assert outcome(response) == expected
    assert database_state(walk_ids) == before


@pytest.mark.parametrize("target", ["staff_administrator", "analyst"])
def test_staff_administrator_cannot_make_anyone_a_superuser_or_change_their_own_role(
    client, walk_ids, staff_administrator, analyst, target
):
    """The privilege fields are not on the form for them: posting them changes nothing, the rest still saves."""
    user = staff_administrator if target == "staff_administrator" else analyst
    client.force_login(staff_administrator)
    inspector_group = Group.objects.get(name="Inspector")
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": user.username,
            "first_name": "Changed",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "groups": [inspector_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert outcome(response) == "302"
    user.refresh_from_db()
    roles = [group.name for group in user.groups.all()]
    expected_roles = ["Staff administrator"] if target == "staff_administrator" else ["Inspector"]
    assert (user.first_name, user.is_superuser, roles) == ("Changed", False, expected_roles)
