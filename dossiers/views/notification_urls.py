"""Routes of the in-app inbox."""

from django.urls import path

from . import notifications

urlpatterns = [
    path("inbox/", notifications.inbox_list, name="inbox"),
    path("inbox/<int:pk>/read/", notifications.mark_read, name="inbox-read"),
    path("inbox/read-all/", notifications.mark_all_read, name="inbox-read-all"),
    path("inbox/badge/", notifications.badge, name="inbox-badge"),
]
