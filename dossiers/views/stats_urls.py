"""Routes of the supervisor dashboard."""

from django.urls import path

from .stats import dashboard, dossier_list, table

app_name = "stats"

urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/dossiers/", dossier_list, name="dossiers"),
    *[
        path(f"dashboard/{name}/", table, {"name": name}, name=name)
        for name in ("summary", "by-agency", "by-procedure", "by-sector", "by-month", "indicators", "ranking")
    ],
]
