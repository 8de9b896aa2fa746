"""Routes of the statistics API."""

from django.urls import path

from . import stats

urlpatterns = [
    path("stats/summary", stats.SummaryView.as_view(), name="api-stats-summary"),
    path("stats/by-agency", stats.ByAgencyView.as_view(), name="api-stats-by-agency"),
    path("stats/by-procedure", stats.ByProcedureView.as_view(), name="api-stats-by-procedure"),
    path("stats/by-sector", stats.BySectorView.as_view(), name="api-stats-by-sector"),
    path("stats/by-month", stats.ByMonthView.as_view(), name="api-stats-by-month"),
    path("stats/indicators", stats.IndicatorsView.as_view(), name="api-stats-indicators"),
    path("stats/ranking", stats.RankingView.as_view(), name="api-stats-ranking"),
]
