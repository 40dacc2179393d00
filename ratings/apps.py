from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class RatingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ratings"

    def ready(self) -> None:
        from ratings.selectors import frameworks_request_finished, frameworks_request_started

        request_started.connect(frameworks_request_started, dispatch_uid="ratings_frameworks_request_started")
        request_finished.connect(frameworks_request_finished, dispatch_uid="ratings_frameworks_request_finished")
