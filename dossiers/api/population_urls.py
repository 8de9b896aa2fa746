"""Routes of the population database lookup."""

from django.urls import path

from . import population

urlpatterns = [
    path("population/lookup/", population.PopulationLookupView.as_view(), name="api-population-lookup"),
]
