"""Static files middleware that also serves GOV.UK Frontend's fonts and images where its CSS expects them.

The precompiled GOV.UK and MoJ Frontend stylesheets refer to ``/assets/fonts/...`` and ``/assets/images/...``.
Rather than recompile their Sass with another path, WhiteNoise serves those two folders under ``/assets/``.
"""

from django.conf import settings
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
