"""Where a predictor goes wrong: its worst articles, and its most common span errors with examples."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from conflict_ie.annotations.document import Article
from conflict_ie.eval.confusion import AlignedPair, align_spans
from conflict_ie.eval.metrics import PRF, Counts, pair_articles, seqeval_doc_counts

SNIPPET_CONTEXT = 40


@dataclass
class ArticleError:
    article_id: str
    f1: float
    gold: int
    predicted: int
    correct: int


@dataclass
class ErrorExample:
    article_id: str
    gold_text: str | None
    pred_text: str | None
    snippet: str  # the text around both spans, whitespace collapsed, cut with "…"


@dataclass
class SpanError:
    """One kind of span error: gold label -> predicted label, and how they disagree.

    kind: "label" (same offsets), "boundary" (same label, other offsets),
    "label+boundary", "missed" (nothing predicted there) or "spurious" (no gold there).
    """

    gold_label: str
    pred_label: str
    kind: str
    count: int
    examples: list[ErrorExample] = field(default_factory=list)


def worst_articles(gold: Sequence[Article], pred: Sequence[Article], labels: Sequence[str],
                   k: int = 10) -> list[ArticleError]:
    """The ``k`` articles with the lowest seqeval span F1 over ``labels`` (ties: more gold spans first).

    Articles with no gold and no predicted span are left out: they have nothing to get wrong.
    """
    rows = []
    for ga, doc in zip(gold, seqeval_doc_counts(gold, pred, labels)):
        total = sum(doc.values(), Counts())
        if total.gold or total.predicted:
            prf = PRF.from_counts(total)
            rows.append(ArticleError(ga.id, prf.f1, total.gold, total.predicted, total.correct))
    rows.sort(key=lambda r: (r.f1, -r.gold, r.article_id))
    return rows[:k]


def error_kind(pair: AlignedPair) -> str | None:
    """How an aligned pair is wrong, or None when it is right."""
    if pair.gold is None:
        return "spurious"
    if pair.pred is None:
        return "missed"
    same_label = pair.gold.label == pair.pred.label
    if pair.exact:
        return None if same_label else "label"
    return "boundary" if same_label else "label+boundary"


def snippet(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    a, b = max(0, start - context), min(len(text), end + context)
    body = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + body + ("…" if b < len(text) else "")


def common_errors(gold: Sequence[Article], pred: Sequence[Article], labels: Sequence[str],
                  k: int = 15, examples: int = 3) -> list[SpanError]:
    """The ``k`` most frequent (gold label, predicted label, kind) errors over spans of ``labels``.

    A gold span of a label outside ``labels`` is not shown as missed (the
    predictor cannot produce it), but it still takes part in aligning, so a
    baseline that calls an ARMED span ORG shows up as ARMED -> ORG.
    """
    wanted = set(labels)
    found: dict[tuple[str, str, str], SpanError] = {}
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for ga, pa in pair_articles(gold, pred):
        for pair in align_spans(ga.spans, pa.spans):
            kind = error_kind(pair)
            if kind is None or (kind == "missed" and pair.gold_label not in wanted):
                continue
            key = (pair.gold_label, pair.pred_label, kind)
            counts[key] += 1
            err = found.setdefault(key, SpanError(*key, count=0))
            if len(err.examples) < examples:
                spans = [s for s in (pair.gold, pair.pred) if s is not None]
                err.examples.append(ErrorExample(
                    ga.id, pair.gold.text if pair.gold else None, pair.pred.text if pair.pred else None,
                    snippet(ga.text, min(s.start for s in spans), max(s.end for s in spans))))
    for key, n in counts.items():
        found[key].count = n
    return sorted(found.values(), key=lambda e: (-e.count, e.gold_label, e.pred_label, e.kind))[:k]


__all__ = ["ArticleError", "ErrorExample", "SpanError", "worst_articles", "common_errors", "error_kind",
           "snippet"]
