"""From per-token tag scores to character spans: constrained Viterbi, word snapping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from conflict_ie.model.windows import char_span_to_tokens


@dataclass(frozen=True)
class DecodedSpan:
    start: int  # document chars
    end: int
    label: str
    score: float
    tok_start: int  # inclusive document token range
    tok_end: int


def viterbi(logp: np.ndarray, allowed: np.ndarray, start_ok: np.ndarray) -> np.ndarray:
    """Best tag path under hard IOB2 constraints. logp [T, K], allowed [K, K] (from, to)."""
    T, K = logp.shape
    if T == 0:
        return np.zeros(0, dtype=np.int64)
    penalty = np.where(allowed, 0.0, -np.inf)
    score = logp[0] + np.where(start_ok, 0.0, -np.inf)
    back = np.zeros((T, K), dtype=np.int64)
    for t in range(1, T):
        cand = score[:, None] + penalty
        back[t] = cand.argmax(0)
        score = cand[back[t], np.arange(K)] + logp[t]
    path = np.empty(T, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(T - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so it never cuts a word, then trim outer whitespace."""
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tags_to_spans(text: str, path: np.ndarray, probs: np.ndarray, tags: tuple[str, ...],
                  offsets: list[tuple[int, int]]) -> list[DecodedSpan]:
    """Spans from a valid IOB2 path; overlapping results of word snapping keep the higher score."""
    raw: list[tuple[int, int, str]] = []
    cur: list | None = None
    for i, tag_id in enumerate(path):
        tag = tags[tag_id]
        if tag == "O" or tag.startswith("B-"):
            if cur:
                raw.append(tuple(cur))
            cur = [i, i, tag[2:]] if tag != "O" else None
        else:
            cur[1] = i
    if cur:
        raw.append(tuple(cur))
    spans: list[DecodedSpan] = []
    ends = [e for _, e in offsets]
    for a, b, label in raw:
        s, e = snap_to_words(text, offsets[a][0], offsets[b][1])
        if s >= e:
            continue
        score = float(probs[np.arange(a, b + 1), path[a:b + 1]].mean())
        a, b = char_span_to_tokens(offsets, s, e, ends) or (a, b)  # snapping may widen the token range
        spans.append(DecodedSpan(s, e, label, score, a, b))
    spans.sort(key=lambda x: (x.start, -x.score))
    kept: list[DecodedSpan] = []
    for sp in spans:
        if kept and sp.start < kept[-1].end:
            if sp.score > kept[-1].score:
                kept[-1] = sp
            continue
        kept.append(sp)
    return kept
