from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "helix.insights"
    label = "insights"
    verbose_name = _("Insights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.insights.tasks import report_result_link
        from helix.jobs.links import register_result_link

        # the job page of a report ends on the link to download it
        register_result_link("insights.report", report_result_link)
