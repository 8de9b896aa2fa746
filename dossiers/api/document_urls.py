"""API routes for documents, forms, registers and public signature checks (under /api/v1/)."""

from django.urls import path

from . import documents as views
from . import drafts

urlpatterns = [
    path("dossiers/<str:code>/forms/<str:number>.pdf", views.FormPdfView.as_view(), name="api-dossier-form"),
    path(
        "dossiers/<str:code>/result-draft/", drafts.ResultDraftView.as_view(), name="api-dossier-result-draft"
    ),
    path(
        "dossiers/<str:code>/result-draft/preview.pdf",
        drafts.ResultDraftPreviewView.as_view(),
        name="api-dossier-result-draft-preview",
    ),
    path("dossiers/<str:code>/documents/", views.DocumentListView.as_view(), name="api-dossier-documents"),
    path("dossiers/<str:code>/documents/reuse/", views.ReuseDocumentView.as_view(), name="api-dossier-reuse"),
    path(
        "dossiers/<str:code>/reusable-documents/",
        views.ReusableDocumentsView.as_view(),
        name="api-dossier-reusable",
    ),
    path("documents/<int:pk>/download", views.DocumentDownloadView.as_view(), name="api-document-download"),
    path("registers/form-07.pdf", views.RegisterView.as_view(fmt="pdf"), name="api-register-pdf"),
    path("registers/form-07.xlsx", views.RegisterView.as_view(fmt="xlsx"), name="api-register-xlsx"),
    path("verify/", views.VerifyUploadView.as_view(), name="api-verify-upload"),
    path("verify/<str:token>/", views.VerifyTokenView.as_view(), name="api-verify"),
]
