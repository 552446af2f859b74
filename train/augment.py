"""Name swapping: training copies of articles whose proper names are replaced by others of the same label.

Why: the test split holds conflicts the model never saw in training. A model that has
memorised which names are armed groups, ministries or towns leans on the name and less on
the context around it, and the names are exactly what changes from one conflict to the
next. Swapping names between training articles keeps each article's sentences, structure
and every annotation, and takes the names away as a cue.

Within an article a name always gets the same replacement, so repeated mentions (and
their COREF links) stay consistent. Only spans that look like proper names are swapped:
common nouns such as "rebels" or "the army" carry meaning the model should learn.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from conflict_ie.annotations.document import Article, Span

SWAP_LABELS = ("PER", "ORG", "ARMED", "GPE", "LOC")
# Lower-case words that may sit inside a name ("Democratic Republic of the Congo").
_NAME_GLUE = frozenset({"of", "the", "and", "for", "de", "del", "la", "el", "al", "du", "des", "on", "in"})


def looks_like_name(text: str) -> bool:
    """Capitalised words throughout (glue words aside), and at least one letter."""
    words = text.replace("-", " ").split()
    if not words or not any(ch.isalpha() for ch in text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _NAME_GLUE for w in words) and words[0][0].isupper()


@dataclass(frozen=True)
class NamePool:
    """The proper names seen per label, to draw replacements from (training articles only)."""

    by_label: dict[str, tuple[str, ...]]

    @classmethod
    def from_articles(cls, articles: Sequence[Article]) -> "NamePool":
        common: set[str] = set()  # texts also annotated in lower case: common nouns capitalised at a sentence start
        found: dict[str, set[str]] = {lab: set() for lab in SWAP_LABELS}
        for art in articles:
            for sp in art.spans:
                if sp.label not in found:
                    continue
                if sp.text[:1].islower():
                    common.add(sp.text.lower())
                elif looks_like_name(sp.text) and "\n" not in sp.text:
                    found[sp.label].add(sp.text)
        return cls({lab: tuple(sorted(t for t in texts if t.lower() not in common)) for lab, texts in found.items()})

    def is_swappable(self, span: Span) -> bool:
        return span.text in self._members.get(span.label, ())

    @cached_property
    def _members(self) -> dict[str, frozenset[str]]:
        return {lab: frozenset(texts) for lab, texts in self.by_label.items()}


def swap_names(article: Article, pool: NamePool, rate: float, rng: random.Random) -> Article:
    """A copy of ``article`` in which each distinct name is replaced with probability ``rate``.

    Spans that overlap another span are never touched, so every offset can be shifted exactly.
    """
    spans = sorted(article.spans, key=lambda s: (s.start, s.end))
    overlapping = set()
    for a, b in zip(spans, spans[1:]):
        if b.start < a.end:
            overlapping.update((a.id, b.id))
    mapping: dict[tuple[str, str], str] = {}
    for sp in spans:
        key = (sp.label, sp.text)
        if key in mapping or sp.id in overlapping or not pool.is_swappable(sp):
            continue
        choices = pool.by_label[sp.label]
        if len(choices) > 1 and rng.random() < rate:
            new = sp.text
            while new == sp.text:
                new = choices[rng.randrange(len(choices))]
            mapping[key] = new
        else:
            mapping[key] = sp.text
    if all(k[1] == v for k, v in mapping.items()):
        return article
    pieces, new_spans, cursor, shift = [], [], 0, 0
    for sp in spans:
        new_text = mapping.get((sp.label, sp.text), sp.text) if sp.id not in overlapping else sp.text
        if new_text == sp.text:
            new_spans.append(dataclasses.replace(sp, start=sp.start + shift, end=sp.end + shift))
            continue
        pieces.append(article.text[cursor:sp.start])
        pieces.append(new_text)
        start = sp.start + shift
        new_spans.append(dataclasses.replace(sp, start=start, end=start + len(new_text), text=new_text))
        shift += len(new_text) - (sp.end - sp.start)
        cursor = sp.end
    pieces.append(article.text[cursor:])
    return dataclasses.replace(article, text="".join(pieces), spans=new_spans)
