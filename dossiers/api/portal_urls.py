"""Routes of the citizen's API (under /api/v1/portal/)."""

from django.urls import path

from . import portal as views

urlpatterns = [
    path("portal/dossiers/", views.PortalDossierList.as_view(), name="api-portal-dossiers"),
    path("portal/dossiers/<str:code>/", views.PortalDossierDetail.as_view(), name="api-portal-dossier"),
    path(
        "portal/dossiers/<str:code>/supplement/",
        views.PortalSupplement.as_view(),
        name="api-portal-supplement",
    ),
    path("portal/dossiers/<str:code>/withdraw/", views.PortalWithdraw.as_view(), name="api-portal-withdraw"),
    path("portal/dossiers/<str:code>/rating/", views.PortalRate.as_view(), name="api-portal-rate"),
    path("portal/drafts/", views.PortalDraftList.as_view(), name="api-portal-drafts"),
    path("portal/drafts/<int:draft_id>/", views.PortalDraftDetail.as_view(), name="api-portal-draft"),
    path(
        "portal/drafts/<int:draft_id>/components/",
        views.PortalDraftComponents.as_view(),
        name="api-portal-draft-components",
    ),
    path(
        "portal/drafts/<int:draft_id>/submit/",
        views.PortalDraftSubmit.as_view(),
        name="api-portal-draft-submit",
    ),
]
