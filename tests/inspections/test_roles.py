"""The roles exist after migrate, with exactly the permissions their jobs need."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.roles import ANALYST, INSPECTOR, MANAGER, STAFF_ADMINISTRATOR, can_see_drafts, roles_ensure

pytestmark = pytest.mark.integration


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {INSPECTOR, ANALYST, MANAGER}


def test_inspector_edits_everything_and_sees_drafts(db):
    inspector = codenames(INSPECTOR)
    for model in ("inspection", "judgement", "keyquestionscore", "finding", "recommendation", "keyfact", "framework"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= inspector
    assert "view_draft_inspection" in inspector
    assert "view_historicalinspection" in inspector
    # History is written by the system only.
    assert not {p for p in inspector if "historical" in p and not p.startswith("view_")}


@pytest.mark.parametrize("role", [ANALYST, MANAGER])
def test_read_only_roles_only_view_published(db, role):
    permissions = codenames(role)
    assert "view_inspection" in permissions and "view_finding" in permissions
    assert all(p.startswith("view_") for p in permissions)
    assert "view_draft_inspection" not in permissions


def test_staff_administrator_manages_users_and_reads_what_an_analyst_reads(db):
    permissions = codenames(STAFF_ADMINISTRATOR)
    assert {"add_user", "change_user", "delete_user", "view_user", "view_group"} <= permissions
    assert permissions - {"add_user", "change_user", "delete_user", "view_user", "view_group"} == codenames(ANALYST)
    assert not {"add_group", "change_group", "delete_group", "view_draft_inspection"} & permissions


def test_roles_ensure_is_idempotent(db):
    before = {name: codenames(name) for name in (INSPECTOR, ANALYST, MANAGER, STAFF_ADMINISTRATOR)}
    roles_ensure()
    assert {name: codenames(name) for name in (INSPECTOR, ANALYST, MANAGER, STAFF_ADMINISTRATOR)} == before
    assert Group.objects.filter(name=INSPECTOR).count() == 1


def test_only_inspectors_see_drafts(inspector, analyst, manager, django_user_model):
    anonymous_like = django_user_model.objects.create_user(username="nobody", password="x-long-password-1")
    assert [can_see_drafts(u) for u in (inspector, analyst, manager, anonymous_like)] == [True, False, False, False]


def test_demo_users_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("create_demo_users")


def test_demo_users_get_their_roles_and_fresh_passwords(db, settings, django_user_model, capsys):
    settings.DEBUG = True
    call_command("create_demo_users")
    first = capsys.readouterr().out
    call_command("create_demo_users")
    second = capsys.readouterr().out

    roles = {u.username: [g.name for g in u.groups.all()] for u in django_user_model.objects.all()}
    assert roles == {
        "inspector": [INSPECTOR],
        "analyst": [ANALYST],
        "manager": [MANAGER],
        "administrator": [STAFF_ADMINISTRATOR],
    }
    password = first.split("inspector")[1].split()[0]
    assert django_user_model.objects.get(username="inspector").check_password(password) is False  # rotated
    assert second.split("inspector")[1].split()[0] != password


def test_a_users_own_permissions_and_their_roles_are_read_in_one_query(
    analyst, django_user_model, django_assert_num_queries
):
    # The backend's one query must hold both sources: the role's (the Analyst group) and one given to the user.
    extra = Permission.objects.get(codename="add_finding")
    analyst.user_permissions.add(extra)
    analyst = django_user_model.objects.get(pk=analyst.pk)  # no permissions kept from before
    with django_assert_num_queries(1):
        permissions = analyst.get_all_permissions()
    group = Permission.objects.filter(group__name=ANALYST).values_list("content_type__app_label", "codename")
    assert permissions == {f"{app}.{codename}" for app, codename in group} | {"findings.add_finding"}
    with django_assert_num_queries(0):  # kept on the user for the rest of the request
        assert analyst.has_perm("findings.add_finding") and analyst.has_perm("findings.view_finding")
        assert not analyst.has_perm("findings.change_finding")


def test_a_superuser_has_every_permission_from_one_query(superuser, django_assert_num_queries):
    with django_assert_num_queries(1):
        permissions = superuser.get_all_permissions()
    assert len(permissions) == Permission.objects.count()
    assert "inspections.view_draft_inspection" in permissions


def test_an_inactive_user_has_no_permissions(inspector, django_assert_num_queries):
    inspector.is_active = False
    with django_assert_num_queries(0):
        assert inspector.get_all_permissions() == set()
    assert not inspector.has_perm("inspections.view_inspection")
