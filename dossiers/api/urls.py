"""Routes of the dossier API: list/intake, detail, history, one POST per workflow action, and the bulk
actions."""

from django.urls import path

from dossiers.lifecycle.bulk import BULK_ACTIONS
from dossiers.lifecycle.workflow import ACTIONS

from . import bulk, views

# expire_supplement is the system's own action (deadline sweep), not an endpoint.
_HTTP_ACTIONS = [name for name, action in ACTIONS.items() if not action.system]

urlpatterns = [
    path("dossiers/", views.DossierListCreateView.as_view(), name="api-dossier-list"),
    *[
        path(
            f"dossiers/bulk/{name}/",
            bulk.bulk_view(name).as_view(),
            name=f"api-dossier-bulk-{name.replace('_', '-')}",
        )
        for name in BULK_ACTIONS
    ],
    path("dossiers/<str:code>/", views.DossierDetailView.as_view(), name="api-dossier-detail"),
    path("dossiers/<str:code>/history/", views.DossierHistoryView.as_view(), name="api-dossier-history"),
    path(
        "dossiers/<str:code>/satisfaction/",
        views.DossierSatisfactionView.as_view(),
        name="api-dossier-satisfaction",
    ),
    *[
        path(
            f"dossiers/<str:code>/actions/{name}/",
            views.action_view(name).as_view(),
            name=f"api-dossier-{name.replace('_', '-')}",
        )
        for name in _HTTP_ACTIONS
    ],
]
