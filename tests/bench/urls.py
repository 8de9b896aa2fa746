"""The product's routes plus /bench/bare: one indexed read, the practical ceiling for a lookup."""

from django.http import JsonResponse
from django.urls import include, path

from dossiers.models import Dossier


def bare_lookup(request):
    row = Dossier.objects.filter(code=request.GET.get("code", "")).values("status", "due_at").first()
    return JsonResponse({"found": bool(row), "status": row and row["status"]})


urlpatterns = [path("bench/bare", bare_lookup), path("", include("config.urls"))]
