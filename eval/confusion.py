"""Aligning gold and predicted spans, and the span-label confusion matrix built on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from conflict_ie.annotations.document import Article, Span
from conflict_ie.eval.metrics import pair_articles

OUTSIDE = "O"


@dataclass(frozen=True)
class AlignedPair:
    """A gold span and the predicted span aligned with it; either side may be missing."""

    gold: Span | None
    pred: Span | None

    @property
    def gold_label(self) -> str:
        return self.gold.label if self.gold else OUTSIDE

    @property
    def pred_label(self) -> str:
        return self.pred.label if self.pred else OUTSIDE

    @property
    def exact(self) -> bool:
        return bool(self.gold and self.pred and (self.gold.start, self.gold.end) == (self.pred.start, self.pred.end))


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def align_spans(gold: Sequence[Span], pred: Sequence[Span]) -> list[AlignedPair]:
    """One-to-one alignment: equal offsets first, then the largest overlaps, greedily.

    Labels play no part in aligning, so a pair can disagree on the label, the
    boundaries, or both. Unaligned spans pair with None (the O row/column).
    """
    pairs: list[AlignedPair] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    by_offsets: dict[tuple[int, int], list[int]] = {}
    for j, p in enumerate(pred):
        by_offsets.setdefault((p.start, p.end), []).append(j)
    for i, g in enumerate(gold):
        for j in by_offsets.get((g.start, g.end), []):
            if j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append(AlignedPair(g, pred[j]))
                break
    candidates = sorted((-_overlap(g, p), i, j) for i, g in enumerate(gold) if i not in used_g
                        for j, p in enumerate(pred) if j not in used_p and _overlap(g, p) > 0)
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append(AlignedPair(gold[i], pred[j]))
    pairs += [AlignedPair(g, None) for i, g in enumerate(gold) if i not in used_g]
    pairs += [AlignedPair(None, p) for j, p in enumerate(pred) if j not in used_p]
    return sorted(pairs, key=lambda a: min(s.start for s in (a.gold, a.pred) if s is not None))


@dataclass
class ConfusionMatrix:
    """counts[i][j]: aligned spans with gold label ``labels[i]`` and predicted label ``labels[j]``.

    The last label is O: a gold span nothing was aligned with (row) or a
    predicted span aligned with no gold span (column). The diagonal includes
    boundary errors of the right label; O/O is always 0.
    """

    labels: list[str]
    counts: list[list[int]] = field(default_factory=list)

    def get(self, gold_label: str, pred_label: str) -> int:
        return self.counts[self.labels.index(gold_label)][self.labels.index(pred_label)]


def aligned_pairs(gold: Sequence[Article], pred: Sequence[Article]) -> list[tuple[Article, AlignedPair]]:
    """Every aligned pair of every article, with the gold article it belongs to."""
    return [(ga, pair) for ga, pa in pair_articles(gold, pred) for pair in align_spans(ga.spans, pa.spans)]


def confusion_matrix(gold: Sequence[Article], pred: Sequence[Article], labels: Iterable[str]) -> ConfusionMatrix:
    """Span-label confusion over ``labels`` (spans of other labels are ignored on both sides)."""
    labs = [lab for lab in dict.fromkeys(labels) if lab != OUTSIDE]
    wanted = set(labs)
    rows = labs + [OUTSIDE]
    index = {lab: k for k, lab in enumerate(rows)}
    counts = [[0] * len(rows) for _ in rows]
    for ga, pa in pair_articles(gold, pred):
        g = [s for s in ga.spans if s.label in wanted]
        p = [s for s in pa.spans if s.label in wanted]
        for pair in align_spans(g, p):
            counts[index[pair.gold_label]][index[pair.pred_label]] += 1
    return ConfusionMatrix(rows, counts)
