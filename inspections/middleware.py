"""Static files middleware that also serves GOV.UK Frontend's fonts and images where its CSS expects them.

The precompiled GOV.UK and MoJ Frontend stylesheets refer to ``/assets/fonts/...`` and ``/assets/images/...``.
Rather than recompile their Sass with another path, WhiteNoise serves those two folders under ``/assets/``.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

FRONTEND_ASSETS = [
    settings.BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets",
    settings.BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "assets",
]


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        for folder in FRONTEND_ASSETS:
            if folder.is_dir():
                self.add_files(str(folder), prefix="assets/")


class RefuseNulParametersMiddleware:
    """A NUL character in an admin page's URL parameter is a bad request (400).

    The admin's list filters and search pass URL values straight to the database, and PostgreSQL cannot compare
    text holding NUL (the query fails: a server error). The public pages read every parameter through a form,
    whose own check names the parameter in the page's error summary; the admin has no such form, so it is
    refused here, once, for every admin page (the user and group lists included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")):
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise BadRequest(f"The URL parameter {name.replace(chr(0), '')!r} holds a NUL character")
        return self.get_response(request)
