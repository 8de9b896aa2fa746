"""Routes of this area."""

app_name = "accounts"
urlpatterns = []
