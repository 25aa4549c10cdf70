from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "helix.api"
    label = "helix_api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"
