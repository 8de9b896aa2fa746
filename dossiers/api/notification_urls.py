"""Routes of the notifications API."""

from django.urls import path

from . import notifications as views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="api-notification-list"),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="api-notification-read",
    ),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="api-notification-read-all",
    ),
]
