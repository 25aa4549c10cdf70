from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "helix.jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_finished, task_started

        from helix.jobs.signals import forget_task, remember_task

        task_started.connect(remember_task, dispatch_uid="helix.jobs.remember_task")
        task_finished.connect(forget_task, dispatch_uid="helix.jobs.forget_task")
