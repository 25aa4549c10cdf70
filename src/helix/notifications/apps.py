from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "helix.notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from helix.notifications.middleware import remember_at_login

        user_logged_in.connect(remember_at_login, dispatch_uid="helix.notifications.remember_at_login")
