"""Frameworks are data: an inspector adds a framework version here, with no code change."""

from django.contrib import admin

from inspections.audit import ReadOnlyHistoryAdmin
from ratings.models import Domain, Framework, Grade, KeyQuestion, OverallBand, PercentBand, RatingScale, Standard


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0
    fields = ["name", "points"]


@admin.register(RatingScale)
class RatingScaleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [GradeInline]


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["position", "code", "name"]


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 0
    fields = ["position", "code", "name", "domain", "rated_by", "counts_towards_overall"]
    show_change_link = True


class PercentBandInline(admin.TabularInline):
    model = PercentBand
    extra = 0
    fields = ["grade", "min_percent"]
    verbose_name_plural = "key-question % bands (a case-based standard's proposed rating)"


class OverallBandInline(admin.TabularInline):
    model = OverallBand
    extra = 0
    fields = ["grade", "min_points", "max_points"]
    verbose_name_plural = "overall rating bands (sum of the counted standards' points)"


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "code", "in_force_from", "in_force_to", "rating_scale"]
    list_select_related = ["rating_scale"]
    search_fields = ["name", "code"]
    inlines = [DomainInline, StandardInline, PercentBandInline, OverallBandInline]


class KeyQuestionInline(admin.TabularInline):
    model = KeyQuestion
    extra = 0
    fields = ["position", "code", "text"]


@admin.register(Standard)
class StandardAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "framework", "domain", "rated_by", "counts_towards_overall"]
    list_filter = ["framework", "rated_by", "counts_towards_overall"]
    list_select_related = ["framework", "domain"]
    search_fields = ["code", "name", "description", "key_questions__text"]
    inlines = [KeyQuestionInline]
