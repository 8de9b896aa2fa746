"""Routes of the working-day calendar API."""

from django.urls import path

from .calendar import DueDateView

urlpatterns = [
    path("calendar/due-date", DueDateView.as_view(), name="calendar-due-date"),
]
