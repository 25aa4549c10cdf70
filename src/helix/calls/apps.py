from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "helix.calls"
    label = "calls"
    verbose_name = _("Calls for proposals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.calls.review_assignment import JOB_KIND, assignment_result_link
        from helix.jobs.links import register_result_link

        # the job page of an assignment run ends on a link to the call's assignments
        register_result_link(JOB_KIND, assignment_result_link)
