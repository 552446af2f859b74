"""Turning (start, end, label) guesses into valid predicted ``Span``s of an article."""

from __future__ import annotations

import bisect
from typing import Iterable

from conflict_ie.annotations.document import Article, Span
from conflict_ie.annotations.tokenize import tokenize

_ARTICLES = ("the ", "a ", "an ")


def strip_article(text: str, start: int, end: int) -> int:
    """New start past a leading "the"/"a"/"an": the guidelines keep articles out of spans (DATE aside)."""
    lowered = text[start:end].lower()
    for art in _ARTICLES:
        if lowered.startswith(art) and len(lowered) > len(art):
            start += len(art)
            while start < end and text[start].isspace():
                start += 1
            break
    return start


def build_spans(article: Article, guesses: Iterable[tuple[int, int, str]], prefix: str = "p") -> list[Span]:
    """Valid, flat spans from character guesses.

    Each guess is widened to whole word tokens of ``conflict_ie.annotations.tokenize``
    (a tool with another tokenizer may cut inside one of ours, and scoring works
    on our tokens), trimmed of outer whitespace, dropped if it crosses a line
    break or is empty, and dropped if it overlaps an earlier-starting (or, at
    the same start, longer) kept span. Ids are ``p1``, ``p2``... in reading order.
    """
    text = article.text
    tokens = tokenize(text)
    starts, ends = [t.start for t in tokens], [t.end for t in tokens]
    snapped = []
    for start, end, label in guesses:
        i = bisect.bisect_right(ends, start)  # first token ending after start
        j = bisect.bisect_left(starts, end) - 1  # last token starting before end
        if i > j or i >= len(tokens) or j < 0:
            continue
        s, e = tokens[i].start, tokens[j].end
        if "\n" in text[s:e]:
            continue
        snapped.append((s, e, label))
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(snapped, key=lambda x: (x[0], -x[1])):
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, label))
    return [Span(f"{prefix}{k}", label, s, e, text[s:e]) for k, (s, e, label) in enumerate(kept, start=1)]
