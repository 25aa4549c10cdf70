from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "helix.market"
    verbose_name = _("Needs and offers")
    default_auto_field = "django.db.models.BigAutoField"
