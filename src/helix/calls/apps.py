from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "helix.calls"
    label = "calls"
    verbose_name = _("Calls for proposals")
    default_auto_field = "django.db.models.BigAutoField"
