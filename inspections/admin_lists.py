"""What an admin list accepts in its URL beyond what Django checks itself.

Django's date hierarchy turns ``<field>__year``/``__month``/``__day`` into a datetime and answers a bad value
by showing the list again with "?e=1"; a number too big for a date overflows instead (a server error). Values
are checked here first and answered the same way as any other bad lookup.
"""

import re

from django.contrib.admin.options import IncorrectLookupParameters

DATE_PART = re.compile(r"[0-9]{1,4}", flags=re.ASCII)


class DateHierarchyChecked:
    """A ModelAdmin mixin: a date hierarchy parameter must be 1 to 4 ASCII digits, or the lookup is refused."""

    # A list without a date hierarchy (too costly at scale) still accepts its date lookups in the URL.
    date_lookups_checked: str | None = None

    def get_changelist_instance(self, request):
        field = self.date_hierarchy or self.date_lookups_checked
        if field:
            for part in ("year", "month", "day"):
                for value in request.GET.getlist(f"{field}__{part}"):
                    if not DATE_PART.fullmatch(value):
                        raise IncorrectLookupParameters(f"{part} must be a number")
        return super().get_changelist_instance(request)
