"""Routes of the procedure catalogue API (under /api/v1/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("procedures/", views.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/import/", views.ProcedureImportView.as_view(), name="procedure-import"),
    path("procedures/sectors/", views.SectorListView.as_view(), name="sector-list"),
    path("procedures/<str:code>/", views.ProcedureDetailView.as_view(), name="procedure-detail"),
]
