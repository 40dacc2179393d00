from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"

    def ready(self) -> None:
        from inspections.models import Inspection
        from inspections.roles import roles_after_migrate
        from inspections.services import inspection_changed, inspection_saving

        # Sent once per app; running once, after the last of our apps, sees every model's permissions.
        post_migrate.connect(roles_after_migrate, sender=self, dispatch_uid="inspections_roles")
        # Every save or delete of an inspection, from the loader, the admin or a shell, keeps the latest flags right.
        pre_save.connect(inspection_saving, sender=Inspection, dispatch_uid="inspections_service_before_save")
        post_save.connect(inspection_changed, sender=Inspection, dispatch_uid="inspections_latest_on_save")
        post_delete.connect(inspection_changed, sender=Inspection, dispatch_uid="inspections_latest_on_delete")
