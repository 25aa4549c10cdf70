"""Signals the registry sends for the apps built on it.

``memberships_changed(sender=Membership, organisation_ids=set[int])``: memberships of these
organisations were written in bulk (the registry import), bypassing the model's ``post_save`` and
``post_delete``. A membership saved or deleted one at a time (the services, the admin, the API, a
cascade) sends those model signals instead. Apps that keep what an organisation's memberships imply
(the market's match engine stores the clusters a listing reaches) listen to both.
"""

from __future__ import annotations

from django.dispatch import Signal

memberships_changed = Signal()
