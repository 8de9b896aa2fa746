"""HTML routes of online payment: the applicant's pages and the platform's callback."""

from django.urls import path

from . import payment

urlpatterns = [
    path("thanh-toan/thong-bao/", payment.payment_notice, name="payment-notice"),
    path("thanh-toan/ket-qua/<str:reference>/", payment.payment_return, name="payment-return"),
    path("thanh-toan/<str:code>/", payment.pay, name="payment-pay"),
]
