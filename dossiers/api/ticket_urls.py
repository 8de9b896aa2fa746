"""Routes of the queue API."""

from django.urls import path

from . import tickets

urlpatterns = [
    path("tickets/", tickets.IssueView.as_view(), name="api-ticket-issue"),
    path("tickets/report", tickets.ReportView.as_view(), name="api-ticket-report"),
    path("counters/<int:counter_id>/call-next", tickets.CallNextView.as_view(), name="api-counter-call-next"),
]
