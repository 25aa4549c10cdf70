"""The domain glossary: which terms of a text name a known concept, and that concept's terms in the other
languages.

The glossary (``data/glossary.csv``, sources in its header) holds about 250 concepts of the clusters'
domains (energy, buildings, mobility, waste, materials, ICT, health) with their usual terms and
abbreviations in English, French, German and Dutch. :meth:`Glossary.equivalents` finds the concepts a
text names and returns their terms in every language; the text ranker adds them to a query for its
character n-gram channel, so that a French "pompe à chaleur" meets an English "heat pump" and a Dutch
"WKK" a German "Kraft-Wärme-Kopplung".

Matching rules, chosen to be predictable rather than clever:

- a term written wholly in capitals (``PV``, ``CO2``, ``V2G``) is an abbreviation: it matches only the
  same word(s) written the same way, so "PV" never matches "pv" in running text of another sense;
- any other term matches case- and accent-insensitively, word by word; each word of the term may be
  followed by up to three letters of inflection ("pompes", "Wärmepumpen") when it has four letters or
  more;
- a one-word German or Dutch term of six letters or more also matches inside a compound word
  ("Industrieabwärme" names ``waste_heat``);
- a text in language L is searched for the terms of L and of English (English terms are common in the
  other three languages' technical writing).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

from helix.core.matching.language import LANGUAGES, Language, fold_accents

_WORD: Final = re.compile(r"[^\W_]+")
INFLECTION: Final = 3  # letters a word may have beyond the glossary's form
MIN_INFLECTED: Final = 4  # shorter words of a term must match exactly
MIN_COMPOUND_PART: Final = 6  # a German or Dutch term this long may be part of a compound word
_COMPOUNDING: Final[frozenset[Language]] = frozenset({"de", "nl"})


@dataclass(frozen=True)
class Concept:
    """One entry of the glossary: an id, a domain and the terms of each language."""

    id: str
    domain: str
    terms: Mapping[Language, tuple[str, ...]]

    def all_terms(self) -> list[str]:
        """Every term of every language, each once, in the order of ``LANGUAGES`` (nl, fr, de, en)."""
        return list(dict.fromkeys(term for language in LANGUAGES for term in self.terms.get(language, ())))


@dataclass(frozen=True)
class _Term:
    concept: int
    words: tuple[str, ...]
    abbreviation: bool


def _is_abbreviation(term: str) -> bool:
    return not any(char.islower() for char in term) and any(char.isupper() for char in term)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_accents(text))


def _word_matches(term_word: str, text_word: str) -> bool:
    if term_word == text_word:
        return True
    return (
        len(term_word) >= MIN_INFLECTED
        and text_word.startswith(term_word)
        and len(text_word) - len(term_word) <= INFLECTION
    )


class Glossary:
    """Concepts with their terms per language, and a matcher over them."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: tuple[Concept, ...] = tuple(concepts)
        ids = [concept.id for concept in self.concepts]
        if len(set(ids)) != len(ids):
            raise ValueError("glossary concept ids must be unique")
        # Per language: words (lower-cased) or abbreviations (as written) that start a term -> the terms.
        self._starts: dict[Language, dict[str, list[_Term]]] = {language: {} for language in LANGUAGES}
        self._abbreviations: dict[Language, dict[str, list[_Term]]] = {language: {} for language in LANGUAGES}
        self._compound_parts: dict[Language, dict[str, int]] = {language: {} for language in LANGUAGES}
        for index, concept in enumerate(self.concepts):
            for language, terms in concept.terms.items():
                for term in terms:
                    self._add(index, language, term)

    def _add(self, concept: int, language: Language, term: str) -> None:
        words = _words(term)
        if not words:
            return
        if _is_abbreviation(term):
            entry = _Term(concept, tuple(words), abbreviation=True)
            self._abbreviations[language].setdefault(words[0], []).append(entry)
            return
        lowered = tuple(word.lower() for word in words)
        self._starts[language].setdefault(lowered[0], []).append(_Term(concept, lowered, abbreviation=False))
        if language in _COMPOUNDING and len(lowered) == 1 and len(lowered[0]) >= MIN_COMPOUND_PART:
            self._compound_parts[language].setdefault(lowered[0], concept)

    def __len__(self) -> int:
        return len(self.concepts)

    def concepts_in(self, text: str, language: Language) -> list[Concept]:
        """The concepts whose terms occur in ``text`` (read as ``language``), in order of first mention."""
        written = _words(text)
        lowered = [word.lower() for word in written]
        found: dict[int, None] = {}
        searched: tuple[Language, ...] = (language,) if language == "en" else (language, "en")
        for position, word in enumerate(lowered):
            for searched_language in searched:
                for term in self._abbreviations[searched_language].get(written[position], ()):
                    if tuple(written[position : position + len(term.words)]) == term.words:
                        found.setdefault(term.concept)
                for cut in range(min(INFLECTION, len(word) - 1) + 1):
                    for term in self._starts[searched_language].get(word[: len(word) - cut], ()):
                        window = lowered[position : position + len(term.words)]
                        if len(window) == len(term.words) and all(
                            _word_matches(a, b) for a, b in zip(term.words, window, strict=True)
                        ):
                            found.setdefault(term.concept)
                parts = self._compound_parts[searched_language]
                if parts and len(word) > MIN_COMPOUND_PART:
                    for start in range(len(word) - MIN_COMPOUND_PART + 1):
                        for end in range(start + MIN_COMPOUND_PART, len(word) + 1):
                            concept = parts.get(word[start:end])
                            if concept is not None:
                                found.setdefault(concept)
        return [self.concepts[index] for index in found]

    def equivalents(self, text: str, language: Language) -> list[str]:
        """The terms, in all four languages, of every concept ``text`` names; each term once."""
        return list(
            dict.fromkeys(
                term for concept in self.concepts_in(text, language) for term in concept.all_terms()
            )
        )


def parse_glossary(text: str) -> Glossary:
    """A glossary from CSV text in the format of ``data/glossary.csv`` (``#`` lines are comments)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = {"concept", "domain", *LANGUAGES} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"glossary columns missing: {', '.join(sorted(missing))}")
    concepts: list[Concept] = []
    for row in reader:
        terms = {
            language: tuple(term.strip() for term in (row[language] or "").split("|") if term.strip())
            for language in LANGUAGES
        }
        concepts.append(Concept(row["concept"].strip(), row["domain"].strip(), terms))
    return Glossary(concepts)


@cache
def default_glossary() -> Glossary:
    """The glossary shipped with Helix (``helix/core/matching/data/glossary.csv``), read once."""
    resource = files("helix.core.matching").joinpath("data/glossary.csv")
    return parse_glossary(resource.read_text(encoding="utf-8"))


def expansion_text(glossary: Glossary, text: str, language: Language) -> str:
    """The equivalents of ``text``'s concepts joined into one string ("" when it names none)."""
    return " ; ".join(glossary.equivalents(text, language))
