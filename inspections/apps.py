from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"

    def ready(self) -> None:
        from inspections.roles import roles_after_migrate

        # Sent once per app; running once, after the last of our apps, sees every model's permissions.
        post_migrate.connect(roles_after_migrate, sender=self, dispatch_uid="inspections_roles")
