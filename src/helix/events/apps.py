from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "helix.events"
    label = "events"
    verbose_name = _("Matchmaking events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.events.tasks import fail_abandoned_run
        from helix.jobs.signals import job_abandoned

        job_abandoned.connect(fail_abandoned_run, dispatch_uid="helix.events.fail_abandoned_run")
