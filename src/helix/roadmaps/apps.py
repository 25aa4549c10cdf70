from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "helix.roadmaps"
    label = "roadmaps"
    verbose_name = _("Cluster roadmaps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.jobs.links import register_result_link
        from helix.roadmaps.levelling import JOB_KIND, result_link

        # the job page of a levelling run ends on a link to the levelled plan
        register_result_link(JOB_KIND, result_link)
