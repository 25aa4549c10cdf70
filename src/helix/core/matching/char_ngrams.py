"""Character n-gram similarity: the channel that sees shared technical terms, cognates, codes and numbers.

Two texts in different languages often still share strings: product and standard names ("EN 45545",
"LoRaWAN"), abbreviations ("PV", "V2G"), numbers and codes ("10 03 27", "400 kV"), and cognates
("photovoltaïque", "Photovoltaik", "photovoltaic"). A sentence encoder blurs exactly these, and a
stemmed word index sees them only within one language. This channel compares the texts' character
3- to 5-grams:

- a text is accent-folded, case-folded, reduced to letters and digits separated by single spaces, and
  padded with a space at each end; its n-grams run across word boundaries, so "07 01 11" and "heat pump"
  keep their word order;
- each document is a TF-IDF vector (sublinear term frequency, smoothed idf over the corpus), L2-normalised;
- a query is weighted the same way (n-grams the corpus never saw count towards its length with the
  highest idf) and scored against every document by cosine, through an inverted index: numpy only, no
  dense document-by-vocabulary matrix.

Scores lie in [0, 1]. The query's glossary expansion (helix.core.matching.glossary) is scored as a second
query, see :meth:`CharNgramIndex.scores`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from helix.core.matching.language import fold_accents

SIZES: Final[tuple[int, ...]] = (3, 4, 5)
_NOT_ALNUM: Final = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Folded, lower-cased letters and digits separated by single spaces, padded with one space each side."""
    return f" {_NOT_ALNUM.sub(' ', fold_accents(text).casefold()).strip()} "


def char_ngrams(text: str, sizes: Sequence[int] = SIZES) -> Counter[str]:
    """The character n-grams of the normalised ``text``, counted."""
    padded = normalise(text)
    return Counter(padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1))


class CharNgramIndex:
    """TF-IDF cosine over character n-grams of a fixed corpus of texts."""

    def __init__(self, texts: Sequence[str], sizes: Sequence[int] = SIZES) -> None:
        self.sizes = tuple(sizes)
        self._size = len(texts)
        self._vocabulary: dict[str, int] = {}
        gram_rows: list[int] = []
        doc_rows: list[int] = []
        counts: list[int] = []
        for doc, text in enumerate(texts):
            for gram, count in char_ngrams(text, self.sizes).items():
                gram_rows.append(self._vocabulary.setdefault(gram, len(self._vocabulary)))
                doc_rows.append(doc)
                counts.append(count)
        grams = np.asarray(gram_rows, dtype=np.int64)
        docs = np.asarray(doc_rows, dtype=np.int64)
        document_frequency = np.bincount(grams, minlength=len(self._vocabulary)).astype(np.float64)
        self._idf = np.log((1.0 + self._size) / (1.0 + document_frequency)) + 1.0
        self._unseen_idf = math.log(1.0 + self._size) + 1.0
        weights = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * self._idf[grams]
        norms = np.sqrt(np.bincount(docs, weights=weights**2, minlength=self._size))
        weights /= np.maximum(norms[docs], np.finfo(np.float64).tiny)
        order = np.argsort(grams, kind="stable")
        self._post_docs = docs[order]
        self._post_weights = weights[order]
        self._offsets = np.searchsorted(grams[order], np.arange(len(self._vocabulary) + 1))

    def __len__(self) -> int:
        return self._size

    def _query_weights(self, text: str) -> tuple[list[int], npt.NDArray[np.float64]]:
        """Ids of the query's known n-grams and their weights, normalised over all its n-grams."""
        ids: list[int] = []
        known: list[float] = []
        squared = 0.0
        for gram, count in char_ngrams(text, self.sizes).items():
            tf = 1.0 + math.log(count)
            gram_id = self._vocabulary.get(gram)
            if gram_id is None:
                squared += (tf * self._unseen_idf) ** 2
                continue
            weight = tf * float(self._idf[gram_id])
            squared += weight**2
            ids.append(gram_id)
            known.append(weight)
        weights = np.asarray(known, dtype=np.float64)
        if squared > 0.0:
            weights /= math.sqrt(squared)
        return ids, weights

    def similarity(self, text: str) -> npt.NDArray[np.float64]:
        """Cosine of ``text`` with every document, shape ``(len(self),)``."""
        ids, weights = self._query_weights(text)
        if not ids:
            return np.zeros(self._size, dtype=np.float64)
        starts = self._offsets[ids]
        lengths = self._offsets[np.asarray(ids) + 1] - starts
        rows = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, lengths, strict=True)])
        contributions = self._post_weights[rows] * np.repeat(weights, lengths)
        similarity: npt.NDArray[np.float64] = np.bincount(
            self._post_docs[rows], weights=contributions, minlength=self._size
        ).astype(np.float64, copy=False)
        return similarity

    def scores(
        self, text: str, expansion: str = "", expansion_weight: float = 0.0
    ) -> npt.NDArray[np.float32]:
        """Cosine of ``text`` with every document, plus ``expansion_weight`` times the cosine of
        ``expansion`` (the query's glossary equivalents) when there is one."""
        scores = self.similarity(text)
        if expansion and expansion_weight:
            scores = scores + expansion_weight * self.similarity(expansion)
        return scores.astype(np.float32)
