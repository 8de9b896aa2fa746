"""Sign-in and sign-out pages."""

from django.urls import path

from . import citizen_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("vneid/", citizen_views.CitizenStartView.as_view(), name="vneid-start"),
    path("vneid/callback/", citizen_views.CitizenCallbackView.as_view(), name="vneid-callback"),
]
