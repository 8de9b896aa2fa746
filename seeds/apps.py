from django.apps import AppConfig


class SeedsConfig(AppConfig):
    name = "seeds"
    verbose_name = "Demo and benchmark data"
