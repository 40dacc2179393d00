"""The four roles, as groups that exist after every migrate.

- Inspector: enters and corrects everything, and sees drafts.
- Analyst and Manager: read published data only.
- Staff administrator: manages users (who may log in, with which role) and reads what an analyst reads; sees no
  drafts and edits no inspection data. Groups are read-only to them: a role's permissions are defined here, in
  code, and reset after every migrate.
"""

from django.apps import apps as global_apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission
from django.db.models import Q

INSPECTOR = "Inspector"
ANALYST = "Analyst"
MANAGER = "Manager"
STAFF_ADMINISTRATOR = "Staff administrator"
DATA_APPS = ("inspections", "ratings", "findings")
VIEW_DRAFTS = "view_draft_inspection"


def roles_ensure(*, apps=global_apps, verbosity: int = 0) -> None:
    """Create the groups and give them exactly their permissions (idempotent; safe after every migrate)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in DATA_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=verbosity, apps=apps)
    data_permissions = Permission.objects.filter(content_type__app_label__in=DATA_APPS)
    # Audit history is written by the system, never by hand: everyone may read it, no one may edit it.
    history_edits = Q(codename__contains="historical") & ~Q(codename__startswith="view_")
    read_only = data_permissions.filter(codename__startswith="view_").exclude(codename=VIEW_DRAFTS)
    Group.objects.get_or_create(name=INSPECTOR)[0].permissions.set(data_permissions.exclude(history_edits))
    for name in (ANALYST, MANAGER):
        Group.objects.get_or_create(name=name)[0].permissions.set(read_only)
    create_permissions(global_apps.get_app_config("auth"), verbosity=verbosity, apps=apps)
    user_management = Permission.objects.filter(content_type__app_label="auth").filter(
        Q(content_type__model="user") | Q(codename="view_group")
    )
    Group.objects.get_or_create(name=STAFF_ADMINISTRATOR)[0].permissions.set(read_only | user_management)


def roles_after_migrate(sender, app_config=None, verbosity=1, apps=global_apps, **kwargs) -> None:
    roles_ensure(apps=apps, verbosity=verbosity)


def can_see_drafts(user) -> bool:
    return user.is_active and user.has_perm(f"inspections.{VIEW_DRAFTS}")


def can_import_reports(user) -> bool:
    """Importing a report writes a draft inspection: for inspectors, who may add imports and see drafts."""
    return can_see_drafts(user) and user.has_perm("inspections.add_reportimport")


class PermissionsInOneQueryBackend(ModelBackend):
    """Django's ModelBackend, reading a user's own permissions and their roles' in one query instead of two.

    Every admin page asks for them once per request (``get_all_permissions``, kept on the user for the request);
    Django read the user's permissions and the groups' separately, and a superuser's (every permission) twice.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:  # ModelBackend's two queries as subqueries of one
                permissions = Permission.objects.filter(
                    Q(pk__in=self._get_user_permissions(user_obj).values("pk"))
                    | Q(pk__in=self._get_group_permissions(user_obj).values("pk"))
                )
            pairs = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in pairs}
        return user_obj._perm_cache
