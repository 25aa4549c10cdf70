from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "helix.projects"
    label = "projects"
    verbose_name = _("Projects and consortia")
    default_auto_field = "django.db.models.BigAutoField"
