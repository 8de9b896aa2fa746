"""HTML routes for documents and the public verify page."""

from django.urls import path

from . import documents as views

urlpatterns = [
    path("dossiers/<str:code>/forms/<str:number>.pdf", views.form_pdf, name="dossier-form"),
    path("dossiers/<str:code>/result.pdf", views.result_pdf, name="dossier-result-pdf"),
    path("dossiers/<str:code>/result-draft.pdf", views.result_draft_pdf, name="dossier-result-draft"),
    path("dossiers/<str:code>/documents/upload", views.upload, name="dossier-document-upload"),
    path("dossiers/<str:code>/documents/reuse", views.reuse, name="dossier-document-reuse"),
    path("documents/<int:pk>/download", views.download, name="document-download"),
    path("registers/form-07.pdf", views.register, {"fmt": "pdf"}, name="register-pdf"),
    path("registers/form-07.xlsx", views.register, {"fmt": "xlsx"}, name="register-xlsx"),
    path("verify/", views.verify_upload, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify-token"),
]
