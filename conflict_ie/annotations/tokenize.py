"""Word tokens with character offsets, shared by BIO export, agreement and seqeval scoring.

Tokens are runs of word characters or single punctuation marks. Because the
validator forbids spans that cut a word, every valid span starts and ends on a
token boundary, so char spans <-> BIO tags is exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spans_to_bio(tokens: list[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for tokens; a token belongs to a span if it lies inside it.

    Overlapping spans are resolved first-come (the caller passes flat spans).
    """
    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    import bisect

    for start, end, label in sorted(spans):
        i = bisect.bisect_left(starts, start)
        first = True
        while i < len(tokens) and tokens[i].end <= end:
            if tags[i] == "O":
                tags[i] = ("B-" if first else "I-") + label
                first = False
            i += 1
    return tags


def bio_to_spans(tokens: list[Token], tags: list[str]) -> list[tuple[int, int, str]]:
    """Char spans from IOB2 tags; a stray I- starts a new span (lenient decoding)."""
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for tok, tag in zip(tokens, tags):
        if tag == "O":
            if cur:
                out.append(tuple(cur))
            cur = None
            continue
        prefix, _, label = tag.partition("-")
        if prefix == "B" or cur is None or cur[2] != label:
            if cur:
                out.append(tuple(cur))
            cur = [tok.start, tok.end, label]
        else:
            cur[1] = tok.end
    if cur:
        out.append(tuple(cur))
    return out
