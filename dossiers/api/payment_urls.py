"""Routes of the online payment API."""

from django.urls import path

from . import payments

urlpatterns = [
    path("dossiers/<str:code>/payments/", payments.DossierPaymentView.as_view(), name="api-dossier-payment"),
    path("payments/<str:reference>/", payments.PaymentDetailView.as_view(), name="api-payment-detail"),
]
