from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "helix.market"
    verbose_name = _("Needs and offers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """A membership written by any path re-stamps its organisation's listings: the match engine stores
        the clusters a listing reaches when it indexes it, and must not keep a members-only reach its
        owner lost (or miss one it gained). Single saves and deletes (services, admin, API, cascades)
        send the model's signals; the registry import writes in bulk and sends ``memberships_changed``."""
        from django.db.models.signals import post_delete, post_save

        from helix.registry.models import Membership
        from helix.registry.signals import memberships_changed

        post_save.connect(_membership_written, sender=Membership, dispatch_uid="helix-market-membership-save")
        post_delete.connect(_membership_written, sender=Membership, dispatch_uid="helix-market-membership-rm")
        memberships_changed.connect(_memberships_written, dispatch_uid="helix-market-memberships-bulk")


def _membership_written(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: the engine loads everything anyway
        return
    from helix.market.services import restamp_listings_of

    restamp_listings_of([instance.organisation_id])


def _memberships_written(sender: Any, organisation_ids: Any, **kwargs: Any) -> None:
    from helix.market.services import restamp_listings_of

    restamp_listings_of(organisation_ids)
