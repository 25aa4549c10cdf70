"""The European List of Waste (Commission Decision 2000/532/EC), shipped with Helix.

``data/ewc_en.csv`` is the English text published by DEFRA under the Open Government Licence v3:
20 chapters, 111 sub-chapters and 842 entries, each with its hazardous flag (an asterisk in the
Decision). Codes are six digits; people write them as ``10 02 02``, ``10.02.02`` or ``100202*``, and
:func:`normalise_code` accepts all of these.

:class:`WasteList` is the tree (chapter -> sub-chapter -> entry) and a search that suggests codes for a
free-text description: BM25-like term weights over the entry's own text, its sub-chapter and chapter
(stems, so "slags" finds "slag"), blended with a sentence-embedding similarity when an encoder is given,
which is what lets a Dutch, French or German description find English entries.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from helix.core.matching.embedding import TextEncoder
from helix.core.matching.language import detect_language, fold_accents, function_words
from helix.core.matching.lexical import tokenize

_CODE = re.compile(r"^\s*(\d{2})[\s.]?(\d{2})?[\s.]?(\d{2})?\s*\*?\s*$")


# Waste words in Dutch, French and German with their English term in the list. Dutch and German glue
# words together ("gipsplaten", "Holzabfälle"), so a key matches inside a word too; keys are
# accent-folded and lower case. The English expansion feeds the lexical search only.
GLOSSARY: dict[str, str] = {
    # Dutch
    "slib": "sludge",
    "as": "ash",
    "vliegas": "fly ash",
    "bodemas": "bottom ash",
    "hout": "wood",
    "gips": "gypsum",
    "banden": "tyres",
    "kunststof": "plastic",
    "plastiek": "plastic",
    "glas": "glass",
    "metaal": "metal",
    "ijzer": "iron",
    "staal": "steel",
    "koper": "copper",
    "olie": "oil",
    "zand": "sand",
    "slakken": "slag",
    "slak": "slag",
    "papier": "paper",
    "karton": "cardboard",
    "textiel": "textile",
    "verpakking": "packaging",
    "zaagsel": "sawdust",
    "schors": "bark",
    "mest": "manure",
    "gft": "biodegradable",
    "voedsel": "food",
    "bouw": "construction",
    "sloop": "demolition",
    "puin": "concrete bricks",
    "oplosmiddel": "solvent",
    "zuur": "acid",
    "kalk": "lime",
    "cement": "cement",
    "rubber": "rubber",
    "afvalwater": "waste water",
    "waterzuivering": "waste water treatment",
    "verf": "paint",
    # French
    "boue": "sludge",
    "cendre": "ash",
    "bois": "wood",
    "sciure": "sawdust",
    "platre": "gypsum",
    "pneu": "tyres",
    "plastique": "plastic",
    "verre": "glass",
    "metal": "metal",
    "fer": "iron",
    "acier": "steel",
    "cuivre": "copper",
    "huile": "oil",
    "sable": "sand",
    "laitier": "slag",
    "scorie": "slag",
    "carton": "cardboard",
    "emballage": "packaging",
    "ecorce": "bark",
    "fumier": "manure",
    "alimentaire": "food",
    "demolition": "demolition",
    "beton": "concrete",
    "solvant": "solvent",
    "acide": "acid",
    "chaux": "lime",
    "peinture": "paint",
    "epuration": "waste water treatment",
    # German
    "schlamm": "sludge",
    "asche": "ash",
    "flugasche": "fly ash",
    "holz": "wood",
    "sagemehl": "sawdust",
    "reifen": "tyres",
    "kunststoff": "plastic",
    "metall": "metal",
    "eisen": "iron",
    "stahl": "steel",
    "kupfer": "copper",
    "ol": "oil",
    "schlacke": "slag",
    "pappe": "cardboard",
    "verpackung": "packaging",
    "rinde": "bark",
    "gulle": "manure",
    "lebensmittel": "food",
    "bauschutt": "construction demolition",
    "abbruch": "demolition",
    "losungsmittel": "solvent",
    "saure": "acid",
    "farbe": "paint",
    "klarschlamm": "sewage sludge",
    "abwasser": "waste water",
}
_SHORT_KEYS = {"as", "ol", "fer", "gft"}  # match whole words only


def expand_glossary(text: str) -> str:
    """The English terms for the Dutch, French and German waste words found in ``text``."""
    out: list[str] = []
    for word in re.findall(r"\w+", fold_accents(text.lower())):
        for key, english in GLOSSARY.items():
            if word == key or (key not in _SHORT_KEYS and len(key) >= 4 and key in word):
                out.append(english)
    return " ".join(dict.fromkeys(out))


class UnknownWasteCode(ValueError):
    """Not a code of the European List of Waste."""


def normalise_code(text: str) -> str:
    """``"10 02 02*"`` -> ``"100202"``; two, four or six digits; :class:`UnknownWasteCode` otherwise."""
    m = _CODE.match(text or "")
    if not m:
        raise UnknownWasteCode(f"{text!r} is not a waste code (six digits, e.g. 10 02 02)")
    parts = [p for p in m.groups() if p]
    if len(parts) == 3 or (len(parts) == 2 and not m.group(3)) or len(parts) == 1:
        return "".join(parts)
    raise UnknownWasteCode(f"{text!r} is not a waste code")


def printed_code(code: str) -> str:
    """``"100202"`` -> ``"10 02 02"``."""
    return " ".join(code[i : i + 2] for i in range(0, len(code), 2))


@dataclass(frozen=True)
class WasteCode:
    code: str  # "10", "1002" or "100202"
    level: int  # 1 chapter, 2 sub-chapter, 3 entry
    title: str
    hazardous: bool
    parent: str | None

    @property
    def printed(self) -> str:
        return printed_code(self.code) + ("*" if self.hazardous and self.level == 3 else "")

    @property
    def chapter(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Suggestion:
    entry: WasteCode
    score: float
    matched_terms: tuple[str, ...]


class WasteList:
    def __init__(self, rows: Iterable[dict[str, str]]) -> None:
        entries: dict[str, WasteCode] = {}
        titles: dict[str, str] = {}
        raw = list(rows)
        for row in raw:
            if row["level"] == "3":
                titles.setdefault(row["code"][:2], row["chapter_en"].strip())
                titles.setdefault(row["code"][:4], row["subchapter_en"].strip())
        for row in raw:
            code = row["code"].strip()
            level = int(row["level"])
            title = row["description_en"].strip() if level == 3 else titles.get(code, "")
            parent = None if level == 1 else code[: 2 * (level - 1)]
            entries[code] = WasteCode(code, level, title, row["hazardous"].strip() == "1", parent)
        self._entries = entries
        self._children: dict[str | None, list[str]] = {}
        for e in entries.values():
            self._children.setdefault(e.parent, []).append(e.code)
        self._index: _TermIndex | None = None
        self._vectors: npt.NDArray[np.float32] | None = None
        self._vector_encoder: str | None = None

    # -- lookup and tree ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._entries

    def get(self, text: str) -> WasteCode:
        """The chapter, sub-chapter or entry written as ``text``; :class:`UnknownWasteCode` if none."""
        code = normalise_code(text)
        try:
            return self._entries[code]
        except KeyError:
            raise UnknownWasteCode(f"{text!r} is not in the European List of Waste") from None

    def children(self, code: str | None = None) -> list[WasteCode]:
        """The chapters (``code=None``), a chapter's sub-chapters, or a sub-chapter's entries."""
        return [self._entries[c] for c in self._children.get(code, [])]

    def path(self, code: str) -> list[WasteCode]:
        """Chapter, sub-chapter and entry of ``code``, top first."""
        entry = self.get(code)
        out = [entry]
        while out[0].parent:
            out.insert(0, self._entries[out[0].parent])
        return out

    def entries(self) -> list[WasteCode]:
        return [e for e in self._entries.values() if e.level == 3]

    def full_text(self, code: str) -> str:
        """Entry, sub-chapter and chapter titles: what the search and the matcher read."""
        return " - ".join(e.title for e in reversed(self.path(code)) if e.title)

    # -- search ------------------------------------------------------------------------------------
    def suggest(self, text: str, top: int = 5, encoder: TextEncoder | None = None) -> list[Suggestion]:
        """Entries whose text best fits a free-text description, best first.

        A code typed into the text ("10 02 02 slag") is taken as it is. Without an ``encoder`` the
        search is lexical (English stems); with one, the lexical score is blended with the cosine
        similarity of the description to each entry, which finds entries across languages.
        """
        text = (text or "").strip()
        if not text:
            return []
        found = re.findall(r"\b\d{2}[ .]?\d{2}[ .]?\d{2}\b", text)
        direct = []
        for candidate in found:
            code = normalise_code(candidate)
            if code in self._entries and self._entries[code].level == 3:
                direct.append(Suggestion(self._entries[code], 1.0, (printed_code(code),)))
        entries = self.entries()
        index = self._term_index()
        lexical, matched = index.scores(text)
        score = lexical / lexical.max() if lexical.max() > 0 else lexical
        if encoder is not None:
            vectors = self._entry_vectors(encoder)
            query = encoder.encode([text], role="query")[0]
            semantic = np.clip(vectors @ query, 0.0, 1.0)
            # Lexical evidence is only as good as the words the query shares with the English list.
            weight = 0.5 if detect_language(text) == "en" else 0.25
            score = weight * score + (1 - weight) * semantic
        order = np.argsort(-score, kind="stable")[: max(top, 0)]
        seen = {s.entry.code for s in direct}
        out = list(direct)
        for i in order:
            if len(out) >= top:
                break
            if score[i] <= 0 or entries[i].code in seen:
                continue
            out.append(Suggestion(entries[i], float(score[i]), tuple(sorted(matched.get(int(i), ())))))
        return out[:top]

    def _term_index(self) -> _TermIndex:
        if self._index is None:
            self._index = _TermIndex([f"{e.title} - {self.full_text(e.code)}" for e in self.entries()])
        return self._index

    def _entry_vectors(self, encoder: TextEncoder) -> npt.NDArray[np.float32]:
        key = f"{encoder.name}:{encoder.version}"
        if self._vectors is None or self._vector_encoder != key:
            texts = [f"{e.title} ({self._entries[e.code[:4]].title})" for e in self.entries()]
            self._vectors = encoder.encode(texts, role="passage")
            self._vector_encoder = key
        return self._vectors


class _TermIndex:
    """BM25 over short English texts, stems as terms; the entry's own title counts twice."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.5) -> None:
        self.docs = [Counter(tokenize(d, "en")) for d in documents]
        lengths = np.array([sum(d.values()) for d in self.docs], dtype=float)
        self.avg = float(lengths.mean()) if len(lengths) else 1.0
        self.lengths = lengths
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, d in enumerate(self.docs):
            for t, f in d.items():
                self.postings.setdefault(t, []).append((i, f))
        self.k1, self.b = k1, b

    def scores(self, query: str) -> tuple[npt.NDArray[np.float64], dict[int, set[str]]]:
        language = detect_language(query)
        terms = set(tokenize(query, language))
        if language != "en":  # English cognates ("slag", "fly ash"), but not the language's own "de", "van"
            own = {fold_accents(w) for w in function_words(language)}
            words = [w for w in re.findall(r"\w+", fold_accents(query.lower())) if w not in own]
            terms |= set(tokenize(" ".join(words), "en"))
        terms |= set(tokenize(expand_glossary(query), "en"))
        out = np.zeros(len(self.docs))
        matched: dict[int, set[str]] = {}
        for t in terms:
            idf = self.idf.get(t)
            if idf is None:
                continue
            for i, f in self.postings[t]:
                norm = f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg))
                out[i] += idf * norm
                matched.setdefault(i, set()).add(t)
        return out, matched


@cache
def waste_list() -> WasteList:
    """The shipped list, read once."""
    text = resources.files("helix.core.symbiosis").joinpath("data/ewc_en.csv").read_text(encoding="utf-8")
    return WasteList(csv.DictReader(text.splitlines()))
