from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Hồ sơ"

    def ready(self):
        from dossiers.lifecycle import workflow  # noqa: F401  (installs the transition table on Dossier)
