"""Users in the admin, managed by the Staff administrator role without a way to raise anyone's privileges.

A staff administrator gives people a role (a group) and lets them log in, but is no superuser: they do not see
superusers (so cannot change a superuser's password), cannot make anyone a superuser or grant single
permissions, and cannot change their own roles. Superusers keep Django's whole user admin.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

User = get_user_model()

# Fields only a superuser may set: they grant more than a role does.
PRIVILEGE_FIELDS = ["is_superuser", "user_permissions"]


class StaffAdministeredUserAdmin(UserAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        readonly += PRIVILEGE_FIELDS
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["groups", "is_staff", "is_active"]
        return readonly


admin.site.unregister(User)
admin.site.register(User, StaffAdministeredUserAdmin)
