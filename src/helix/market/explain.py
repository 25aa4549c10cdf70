"""The matcher's reasons in the reader's language.

helix.core.matching.fit gives each factor an English ``detail`` and a ``code`` with ``args``; the pages
say the same through these translated messages. A code missing here falls back to the English detail.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.core.matching.fit import Factor
from helix.market.models import Category
from helix.registry.models import OrganisationKind

MESSAGES = {
    "domain.shared": gettext_lazy("same domain: %(names)s"),
    "domain.different": gettext_lazy("different domains"),
    "sector.supplies": gettext_lazy("NACE %(seller)s supplies %(buyer)s"),
    "sector.same": gettext_lazy("same NACE section %(sections)s"),
    "sector.far": gettext_lazy("sectors do not usually trade"),
    "trl.meets": gettext_lazy("TRL %(offer)s meets the TRL %(asked)s asked"),
    "trl.short": gettext_lazy("TRL %(offer)s, %(short)s below the TRL %(asked)s asked"),
    "distance.km": gettext_lazy("%(km)s km apart"),
    "kind.fit": gettext_lazy("a need of a %(need_kind)s (%(category)s) met by a %(offer_kind)s"),
    "kind.other": gettext_lazy("offer of a %(offer_kind)s"),
    "category.fit": gettext_lazy("%(asked)s asked, %(offered)s offered"),
    "keywords.shared": gettext_lazy("shared keywords: %(words)s"),
    "keywords.none": gettext_lazy("no shared keyword"),
    "budget.within": gettext_lazy("price from € %(price)s within the budget of € %(budget)s"),
    "budget.above": gettext_lazy("price from € %(price)s above the budget of € %(budget)s"),
}

_KIND_ARGS = ("need_kind", "offer_kind")
_CATEGORY_ARGS = ("category", "asked", "offered")


def translated_detail(factor: Factor) -> str:
    message = MESSAGES.get(factor.code)
    if message is None:
        return factor.detail
    args = factor.arguments
    kinds = dict(OrganisationKind.choices)
    categories = dict(Category.choices)
    for name in _KIND_ARGS:
        if name in args:
            args[name] = str(kinds.get(args[name], args[name])).lower()
    for name in _CATEGORY_ARGS:
        if name in args:
            args[name] = str(categories.get(args[name], args[name])).lower()
    for name in ("price", "budget"):
        if name in args and args[name].isdigit():
            args[name] = f"{int(args[name]):,}".replace(",", "\u202f")
    try:
        return str(message) % args
    except (KeyError, ValueError):  # a translation that lost a placeholder must not break the page
        return _(factor.detail)
