"""Routes of the citizen portal (/cong-dan/): the catalogue, drafts and filing, the citizen's own dossiers."""

from django.urls import path

from . import portal, portal_dossiers, portal_filing

urlpatterns = [
    path("cong-dan/", portal.home, name="portal-home"),
    path("cong-dan/thu-tuc/", portal.catalogue, name="portal-catalogue"),
    path("cong-dan/thu-tuc/<str:procedure_code>/", portal.procedure, name="portal-procedure"),
    path("cong-dan/thu-tuc/<str:procedure_code>/nop/", portal_filing.start, name="portal-draft-start"),
    path("cong-dan/nhap/<int:draft_id>/", portal_filing.draft, name="portal-draft"),
    path("cong-dan/nhap/<int:draft_id>/tai-len/", portal_filing.upload, name="portal-draft-upload"),
    path("cong-dan/nhap/<int:draft_id>/dung-lai/", portal_filing.reuse, name="portal-draft-reuse"),
    path("cong-dan/nhap/<int:draft_id>/bo-tep/", portal_filing.remove, name="portal-draft-remove"),
    path("cong-dan/nhap/<int:draft_id>/xoa/", portal_filing.discard, name="portal-draft-delete"),
    path("cong-dan/nhap/<int:draft_id>/nop/", portal_filing.submit, name="portal-draft-submit"),
    path("cong-dan/ho-so/<str:code>/", portal_dossiers.dossier_page, name="portal-dossier"),
    path("cong-dan/ho-so/<str:code>/bo-sung/", portal_dossiers.supplement, name="portal-supplement"),
    path("cong-dan/ho-so/<str:code>/rut/", portal_dossiers.withdraw, name="portal-withdraw"),
    path("cong-dan/ho-so/<str:code>/danh-gia/", portal_dossiers.rate, name="portal-rate"),
    path("cong-dan/ho-so/<str:code>/mau-<str:number>.pdf", portal_dossiers.form_pdf, name="portal-form"),
    path("cong-dan/ho-so/<str:code>/ket-qua.pdf", portal_dossiers.result_pdf, name="portal-result"),
    path("cong-dan/tai-lieu/<int:pk>/", portal_dossiers.document, name="portal-document"),
]
