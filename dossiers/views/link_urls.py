"""Routes of the link-health page."""

from django.urls import path

from .links import links_page, retry_link

urlpatterns = [
    path("ket-noi/", links_page, name="links"),
    path("ket-noi/gui-lai/", retry_link, name="links-retry"),
]
