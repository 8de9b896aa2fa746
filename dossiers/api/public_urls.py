"""Routes of this area."""

urlpatterns = []
