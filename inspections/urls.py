from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Youth offending inspection findings"
admin.site.site_title = "Inspection findings"
admin.site.index_title = "Inspections, ratings and findings"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
