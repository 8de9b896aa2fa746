"""HTML routes of the desk (intake, queues, dossier page, actions) and the public tracking pages."""

from django.urls import path

from . import bulk, desk, dossier, intake, tracking

urlpatterns = [
    path("desk/", desk.desk_home, name="desk"),
    path("desk/q/<str:queue>/", desk.queue_list, name="desk-queue"),
    path("desk/search/", desk.search, name="desk-search"),
    path("desk/bulk/", bulk.bulk_action, name="desk-bulk"),
    path("desk/f/new/", desk.saved_filter_new, name="desk-filter-new"),
    path("desk/f/<int:filter_id>/", desk.saved_filter_list, name="desk-filter"),
    path("desk/f/<int:filter_id>/delete/", desk.saved_filter_delete, name="desk-filter-delete"),
    path("desk/intake/", intake.intake, name="desk-intake"),
    path("desk/intake/procedures/", intake.procedure_search, name="desk-intake-search"),
    path("desk/intake/form/", intake.intake_form, name="desk-intake-form"),
    path("desk/intake/appointment/", intake.appointment_preview, name="desk-intake-appointment"),
    path("desk/intake/lookup/", intake.applicant_lookup, name="desk-intake-lookup"),
    path("dossiers/<str:code>/", dossier.dossier_page, name="dossier-page"),
    path("dossiers/<str:code>/actions/<str:action>/", dossier.dossier_action, name="dossier-action"),
    path("tra-cuu/", tracking.track_page, name="track"),
    path("track/", tracking.track_page, name="track-en"),
    path("tra-cuu/danh-gia/", tracking.rate, name="track-rate"),
    path("tra-cuu/<str:code>/ket-qua.pdf", tracking.result_pdf, name="track-result"),
]
