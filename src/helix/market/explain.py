"""The matcher's reasons in the reader's language, and the scores as the pages show them.

helix.core.matching.fit gives each factor an English ``detail`` and a ``code`` with ``args``; the pages
say the same through these translated messages. A code missing here falls back to the English detail.
:func:`reasons_for` picks the factors that counted most for a match; :func:`score_percent` scales a
score to the bar the pages draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.core.matching.engine import Match
from helix.core.matching.fit import NEUTRAL, Factor
from helix.core.matching.weights import FEATURES, Weights
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

FACTOR_LABELS = {
    "text": gettext_lazy("similar text"),
    "domain": gettext_lazy("domain"),
    "sector": gettext_lazy("sector"),
    "trl": gettext_lazy("readiness (TRL)"),
    "distance": gettext_lazy("distance"),
    "kind": gettext_lazy("kind of organisation"),
    "category": gettext_lazy("what is asked and offered"),
    "keywords": gettext_lazy("keywords"),
    "budget": gettext_lazy("budget"),
}
REASONS_SHOWN = 4
LEXICAL_WEIGHT = 0.3  # the engine's default share of BM25 in the text feature; sets the score bar's scale

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


@dataclass(frozen=True)
class Reason:
    feature: str
    label: str
    detail: str
    contribution: float

    def __str__(self) -> str:
        return f"{self.label}: {self.detail}"


def reasons_for(match: Match, weights: Weights, shown: int = REASONS_SHOWN) -> list[Reason]:
    """The factors that counted most for ``match``, largest first; neutral (unknown) factors are left out."""
    values = {f.name: f.value for f in match.factors}
    factors = {f.name: f for f in match.factors}
    reasons = []
    for feature, contribution, detail in match.contributions(weights):
        if contribution <= 0 or (feature != "text" and values.get(feature) == NEUTRAL):
            continue
        if feature == "text":
            detail = _("meaning similarity %(value)s") % {"value": f"{match.dense:.2f}"}
        elif feature in factors:
            detail = translated_detail(factors[feature])
        reasons.append(Reason(feature, str(FACTOR_LABELS.get(feature, feature)), detail, contribution))
        if len(reasons) >= shown:
            break
    return reasons


def shown_terms(match: Match) -> list[str]:
    """The shared words, each once whatever its capitals ("Large" and "large" are one word to a reader)."""
    seen: dict[str, str] = {}
    for term in match.terms:
        seen.setdefault(term.casefold(), term)
    return list(seen.values())


def score_ceiling(weights: Weights) -> float:
    """The highest score the weights can give: every factor at 1, text at cosine 1 plus full BM25."""
    return weights.score(dict.fromkeys(FEATURES, 1.0)) + weights.get("text") * LEXICAL_WEIGHT


def score_percent(score: float, ceiling: float) -> int:
    return max(0, min(100, round(100 * score / ceiling))) if ceiling > 0 else 0
