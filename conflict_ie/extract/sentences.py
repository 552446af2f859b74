"""Sentence offsets for evidence: a light splitter that keeps document offsets."""

from __future__ import annotations

import bisect
import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\S)")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Capt|Sgt|Maj|Brig|Rep|Sen|Gov|St|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|No|vs|approx)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if _ABBREV.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


class SentenceIndex:
    def __init__(self, text: str):
        self.spans = sentence_spans(text)
        self._starts = [s for s, _ in self.spans]

    def containing(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.spans[i] if i >= 0 else None
