"""The audit history in the admin: readable by whoever may read the record, written only by the system.

django-simple-history's admin offers a "revert" form on every historical version, and its views look records up
without the admin's own queryset. Every history admin here goes through ``ReadOnlyHistoryAdmin`` instead: history
pages answer GET only (anything else is 405), and only for records the user may see (a draft's history is as
private as the draft: 404 otherwise).
"""

from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin

READ_METHODS = ("GET", "HEAD")


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        refusal = self._history_refusal(request, object_id)
        return refusal or super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        refusal = self._history_refusal(request, object_id)
        return refusal or super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def _history_refusal(self, request: HttpRequest, object_id: str) -> HttpResponse | None:
        if request.method not in READ_METHODS:
            return HttpResponseNotAllowed(READ_METHODS)
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such record, or not one you may see.")
        return None
