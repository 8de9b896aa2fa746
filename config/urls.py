"""Top-level routes: each area keeps its own URL module."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

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
    path("", include("dossiers.api.portal_urls")),
    path("", include("dossiers.api.ticket_urls")),
    path("", include("dossiers.api.payment_urls")),
    path("", include("dossiers.api.population_urls")),
    path("", include("accounts.api_urls")),
]

# The API docs page loads Swagger UI from its CDN and carries one inline <style> block; its own script is a
# separate request (the split view), so scripts stay under the site's policy.
SWAGGER_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = {
    "script-src": [SWAGGER_CDN],
    "style-src": [SWAGGER_CDN, UNSAFE_INLINE],
    "img-src": [SWAGGER_CDN, "data:"],
}
api_docs = csp_update(DOCS_POLICY)(SpectacularSwaggerSplitView.as_view(url_name="schema"))

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("", home, name="home"),
    path("", include("dossiers.views.document_urls")),
    path("", include("dossiers.views.notification_urls")),
    path("", include("dossiers.views.stats_urls")),
    path("", include("dossiers.views.portal_urls")),
    path("", include("dossiers.views.ticket_urls")),
    path("", include("dossiers.views.payment_urls")),
    path("", include("dossiers.views.link_urls")),
    path("", include("dossiers.views.urls")),
]

handler400 = "config.error_pages.bad_request"
handler403 = "config.error_pages.permission_denied"
handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
