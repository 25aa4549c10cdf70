from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "helix.projects"
    label = "projects"
    verbose_name = _("Projects and consortia")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from helix.projects.profile import organisation_projects
        from helix.registry.profile_sections import register_section

        # the projects an organisation is in, on its profile (the registry may not import projects)
        register_section("projects", organisation_projects, order=10)
