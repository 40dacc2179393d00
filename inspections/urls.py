from django.contrib import admin
from django.urls import path

from findings import views as findings_views
from inspections import views as inspection_views
from ratings import views as ratings_views

admin.site.site_header = "Youth offending inspection findings"
admin.site.site_title = "Inspection findings"
admin.site.index_title = "Inspections, ratings and findings"

urlpatterns = [
    path("", inspection_views.overview, name="overview"),
    path("services/", inspection_views.service_list, name="service_list"),
    path("services/<slug:slug>/", inspection_views.service_scorecard, name="service_scorecard"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection_detail"),
    path("findings/", findings_views.finding_search, name="finding_search"),
    path("compare/", ratings_views.compare, name="compare"),
    path("admin/", admin.site.urls),
]
