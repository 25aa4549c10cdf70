"""``{% invite_link organisation as invite %}``: where the reader may invite people to an organisation."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from helix.people.models import Invitation, InvitationKind
from helix.registry.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def invite_link(context: Any, organisation: Any) -> dict[str, str] | None:
    """The staff's invitation form for this organisation, or a member's "invite a colleague" page, or
    None when the reader may invite nobody to it."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    if can(user, "create", Invitation(organisation=organisation)):
        url = f"{reverse('people:invite')}?{urlencode({'organisation': organisation.slug})}"
        return {"url": url, "label": _("Invite people to this organisation")}
    if can(user, "create", Invitation(organisation=organisation, kind=InvitationKind.COLLEAGUE)):
        return {"url": reverse("people:colleague"), "label": _("Invite a colleague")}
    return None
