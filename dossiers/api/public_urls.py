"""Public (no login) API routes under /api/v1/public/."""

from django.urls import path

from .public import PublicTrackView

urlpatterns = [
    path("public/track", PublicTrackView.as_view(), name="api-public-track"),
]
