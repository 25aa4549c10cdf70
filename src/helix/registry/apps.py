from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "helix.registry"
    verbose_name = _("Ecosystem registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix import pagecache

        pagecache.connect_signals()
