"""BM25 over Snowball stems, one vocabulary for all four languages.

Each text is tokenised in its own language (detected per document and per query): lower-cased, split on
anything that is not a letter or digit, stripped of that language's function words, Snowball-stemmed, and
accent-folded. Folding comes after stemming so the stemmer sees words as written, while the terms end up
comparable across languages: French "rénovation" and English "renovation" both become "renov". The
stems of all documents share one vocabulary, scored by bm25s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import bm25s  # type: ignore[import-untyped]
import numpy as np
import numpy.typing as npt
import Stemmer  # type: ignore[import-not-found]

from helix.core.matching.language import Language, detect_language, fold_accents, function_words

_WORD = re.compile(r"[^\W_]+")
_SNOWBALL: dict[Language, str] = {"nl": "dutch", "fr": "french", "de": "german", "en": "english"}


@lru_cache(maxsize=len(_SNOWBALL))
def _stemmer(language: Language) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[language])


@lru_cache(maxsize=1 << 16)
def _fold_stem(stem: str) -> str:
    return stem if stem.isascii() else fold_accents(stem)


def _terms(text: str, language: Language) -> list[tuple[str, str]]:
    """(surface word, term) pairs of ``text`` in order, function words left out."""
    stopwords = function_words(language)
    surfaces = [word for word in _WORD.findall(text) if word.lower() not in stopwords]
    stems: list[str] = _stemmer(language).stemWords([word.lower() for word in surfaces])
    return [(surface, _fold_stem(stem)) for surface, stem in zip(surfaces, stems, strict=True)]


def tokenize(text: str, language: Language) -> list[str]:
    """The terms of ``text`` read as ``language``: stems of its content words, accent-folded, in order."""
    return [term for _, term in _terms(text, language)]


class LexicalIndex:
    """BM25 search over ``(doc_id, text)`` pairs in any mix of Dutch, French, German and English."""

    def __init__(self, documents: Iterable[tuple[str, str]]) -> None:
        pairs = list(documents)
        self._ids = [doc_id for doc_id, _ in pairs]
        self._positions = {doc_id: row for row, doc_id in enumerate(self._ids)}
        if len(self._positions) != len(self._ids):
            raise ValueError("document ids must be unique")
        self._texts = [text for _, text in pairs]
        self._languages: list[Language] = [detect_language(text) for text in self._texts]
        # Position of each id in sorted order, so equal scores are ordered by doc_id without Python sorting.
        self._id_order = np.empty(len(self._ids), dtype=np.int64)
        self._id_order[np.argsort(np.array(self._ids, dtype=object), kind="stable")] = np.arange(
            len(self._ids)
        )
        self._vocabulary: dict[str, int] = {}
        corpus_ids = [
            [self._vocabulary.setdefault(term, len(self._vocabulary)) for term in tokenize(text, language)]
            for text, language in zip(self._texts, self._languages, strict=True)
        ]
        self._bm25: bm25s.BM25 | None = None
        if self._vocabulary:
            self._bm25 = bm25s.BM25()
            self._bm25.index((corpus_ids, dict(self._vocabulary)), show_progress=False)

    def __len__(self) -> int:
        return len(self._ids)

    def language_of(self, doc_id: str) -> Language:
        """The language detected for document ``doc_id``."""
        return self._languages[self._positions[doc_id]]

    def search(
        self, query_text: str, top_k: int, language: Language | None = None
    ) -> list[tuple[str, float]]:
        """Up to ``top_k`` documents sharing a term with the query, best BM25 score first, ties by doc_id.

        The query is read in ``language``, or in its detected language when none is given.
        """
        if top_k <= 0 or self._bm25 is None:
            return []
        query_language = language or detect_language(query_text)
        term_ids = sorted(
            {
                self._vocabulary[term]
                for term in tokenize(query_text, query_language)
                if term in self._vocabulary
            }
        )
        if not term_ids:
            return []
        scores: npt.NDArray[np.float32] = self._bm25.get_scores_from_ids(term_ids)
        matching = np.flatnonzero(scores > 0)
        if len(matching) > top_k:
            # Keep every document scoring at least the top_k-th best, so ties at the cut stay ordered by id.
            threshold = np.partition(scores[matching], len(matching) - top_k)[len(matching) - top_k]
            matching = matching[scores[matching] >= threshold]
        ranked = matching[np.lexsort((self._id_order[matching], -scores[matching]))][:top_k]
        return [(self._ids[row], float(scores[row])) for row in ranked]

    def shared_terms(self, query_text: str, doc_id: str, language: Language | None = None) -> list[str]:
        """The words of document ``doc_id`` whose stems the query also has, as written, in document order."""
        row = self._positions[doc_id]
        query_terms = set(tokenize(query_text, language or detect_language(query_text)))
        shared: list[str] = []
        seen: set[str] = set()
        for surface, term in _terms(self._texts[row], self._languages[row]):
            if term in query_terms and surface.casefold() not in seen:
                seen.add(surface.casefold())
                shared.append(surface)
        return shared
