"""Which of the cluster's four languages a short business text is written in.

Counts function words (articles, pronouns, prepositions, auxiliaries) from a small built-in list per
language, adds a few spelling cues (é/è/ç for French, ä/ö/ü/ß for German, "ij" for Dutch) and picks the
language with the most evidence. A text with no evidence at all is taken to be English. No model is
loaded: needs and offers are a few sentences long, and function words settle them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

Language = Literal["nl", "fr", "de", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("nl", "fr", "de", "en")
FALLBACK_LANGUAGE: Final[Language] = "en"
_TIE_ORDER: Final[tuple[Language, ...]] = ("en", "nl", "fr", "de")


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Articles, pronouns, prepositions, conjunctions and auxiliaries: frequent, topic-free, language-specific.
_FUNCTION_WORDS: Final[dict[Language, frozenset[str]]] = {
    "nl": _words(
        """
        de het een en van in op te voor met is zijn aan door bij als dat die dit deze
        er ook niet maar of om uit naar tot over dan wel nog geen wordt worden werd kan
        kunnen moet moeten wij we jullie hun ons onze uw u ik je zij ze hij wat wie waar
        hoe omdat zodat wanneer tussen onder zonder tegen via na sinds al meer zeer heeft
        hebben had was waren zullen zal binnen zich mijn alle welke daar hier
        """
    ),
    "fr": _words(
        """
        le la les un une des du de au aux et ou mais donc or ni car en dans sur sous
        pour par avec sans chez entre vers ce cet cette ces son sa ses leur leurs notre
        nos votre vos mon ma mes qui que quoi dont où est sont être été avoir avons ont
        a nous vous ils elles il elle on ne pas plus très aussi comme si lors selon
        afin l d qu n s c j y se
        """
    ),
    "de": _words(
        """
        der die das den dem des ein eine einen einem einer eines und oder aber doch
        in im ins auf für mit von vom zu zum zur bei aus nach über unter durch gegen
        ohne um ist sind war waren wird werden wurde kann können muss müssen soll
        sollen wir ihr sie er es ich du unser unsere ihre nicht kein keine auch noch
        nur sehr wie wo wenn dass weil hat haben sich als
        """
    ),
    "en": _words(
        """
        the a an and or but of to in on for with by from at as is are was were be been
        being has have had do does did will would can could should may might must we
        you they he she it our your their its this that these those which who what
        where when how not no into over under between about than then also more very
        """
    ),
}

# Spelling cues that only (or mostly) occur in one of the four languages.
_CHARACTER_CUES: Final[dict[Language, re.Pattern[str]]] = {
    "fr": re.compile(r"[éèêçàùâôœ]"),
    "de": re.compile(r"[äöüß]"),
    "nl": re.compile(r"ij"),
}
# A cue weighs half a function word, and at most three cues count, so a borrowed "café" or
# "Müller" cannot outvote the grammar of the sentence.
_CUE_WEIGHT: Final = 0.5
_MAX_CUES: Final = 3

_WORD = re.compile(r"[^\W_]+")


def fold_accents(text: str) -> str:
    """``text`` without diacritics and with ß as ss: "rénovation" → "renovation", "Wärme" → "Warme"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def function_words(language: Language) -> frozenset[str]:
    """The built-in function words of ``language``, as written and accent-folded."""
    return _FUNCTION_WORDS_WITH_FOLDED[language]


def language_evidence(text: str) -> dict[Language, float]:
    """Evidence per language: function words (shared ones split between languages) plus spelling cues."""
    lowered = text.lower()
    evidence: dict[Language, float] = dict.fromkeys(LANGUAGES, 0.0)
    for word in _WORD.findall(lowered):
        owners = _OWNERS.get(word)
        if owners:
            for language in owners:
                evidence[language] += 1.0 / len(owners)
    for language, cue in _CHARACTER_CUES.items():
        evidence[language] += _CUE_WEIGHT * min(len(cue.findall(lowered)), _MAX_CUES)
    return evidence


def detect_language(text: str) -> Language:
    """The language of ``text``, or English when nothing in it points anywhere.

    Ties go to English first, then Dutch, French and German: a lone "of" or "in" is more likely English.
    """
    evidence = language_evidence(text)
    best = max(_TIE_ORDER, key=lambda language: evidence[language])
    if evidence[best] == 0.0:
        return FALLBACK_LANGUAGE
    return best


def _languages_per_word() -> dict[str, tuple[Language, ...]]:
    owners: dict[str, list[Language]] = {}
    for language in LANGUAGES:
        for word in _FUNCTION_WORDS[language]:
            owners.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in owners.items()}


_OWNERS: Final = _languages_per_word()
_FUNCTION_WORDS_WITH_FOLDED: Final[dict[Language, frozenset[str]]] = {
    language: words | {fold_accents(word) for word in words} for language, words in _FUNCTION_WORDS.items()
}
