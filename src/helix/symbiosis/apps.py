from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SymbiosisConfig(AppConfig):
    name = "helix.symbiosis"
    label = "symbiosis"
    verbose_name = _("Industrial symbiosis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.jobs.links import register_result_link
        from helix.symbiosis.links import allocation_result_link, matching_result_link

        # the job page of a matching or an allocation ends on a link to what it computed
        register_result_link("symbiosis-match", matching_result_link)
        register_result_link("symbiosis-allocate", allocation_result_link)
