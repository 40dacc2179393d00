import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from inspections.roles import ANALYST, INSPECTOR, MANAGER, STAFF_ADMINISTRATOR

DEMO_USERS = [
    ("inspector", INSPECTOR, "edits inspections and sees drafts"),
    ("analyst", ANALYST, "reads published inspections"),
    ("manager", MANAGER, "reads published inspections"),
    ("administrator", STAFF_ADMINISTRATOR, "manages users, reads published inspections"),
]


class Command(BaseCommand):
    help = "Local development only: (re)create the demo users, one per role, with fresh passwords."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_users is for local development: it refuses to run with DEBUG off.")
        User = get_user_model()
        self.stdout.write("Log in at http://127.0.0.1:8000/admin/ as one of these (new passwords each run):")
        for username, group_name, what in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            self.stdout.write(f"  {username:<10} {password}   ({group_name}: {what})")
