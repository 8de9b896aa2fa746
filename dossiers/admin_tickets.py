"""Admin for the queue: service areas and counters per agency (tickets are read on the pages and report)."""

from django.contrib import admin

from .models import Counter, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("letter", "name", "agency", "order", "active")
    list_filter = ("active",)
    search_fields = ("name", "agency__name", "agency__code")
    autocomplete_fields = ("agency",)
    filter_horizontal = ("sectors",)
    list_select_related = ("agency",)


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "agency", "clerk", "active")
    list_filter = ("active",)
    search_fields = ("name", "agency__name", "agency__code")
    autocomplete_fields = ("agency", "clerk")
    filter_horizontal = ("areas",)
    list_select_related = ("agency", "clerk")
