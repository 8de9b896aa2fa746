"""Top-level routes: each area keeps its own URL module."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import home

from .health import healthz

api_v1 = [
    path("", include("procedures.api.urls")),
    path("", include("procedures.api.calendar_urls")),
    path("", include("dossiers.api.urls")),
    path("", include("dossiers.api.public_urls")),
    path("", include("dossiers.api.document_urls")),
    path("", include("dossiers.api.notification_urls")),
    path("", include("dossiers.api.stats_urls")),
    path("", include("accounts.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", home, name="home"),
    path("", include("dossiers.views.document_urls")),
    path("", include("dossiers.views.notification_urls")),
    path("", include("dossiers.views.stats_urls")),
    path("", include("dossiers.views.urls")),
]
