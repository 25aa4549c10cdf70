from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "helix.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from helix.privacy.guards import refuse_deleting_scheduled_person
        from helix.registry.models import Person

        pre_delete.connect(
            refuse_deleting_scheduled_person, sender=Person, dispatch_uid="privacy_refuse_scheduled_delete"
        )
