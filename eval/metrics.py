"""Span and relation P/R/F1 over paired gold and predicted articles.

Everything here is count-based: each document contributes, per label, how many
gold items it has, how many were predicted and how many of those were correct.
Scores are built from summed counts, which is why bootstrap resampling of
documents (``conflict_ie.eval.bootstrap``) can reuse the per-document counts
instead of re-scoring every resample.

Conventions (documented once, here):

* precision = correct / predicted, recall = correct / gold, F1 their harmonic
  mean; any 0/0 is 0.0. So no predictions gives P = R = F1 = 0, and no gold and
  no predictions also reports F1 = 0.0 (with gold = predicted = 0), never 1.0:
  an empty test set proves nothing, and a 1.0 would inflate macro averages.
* micro = from the counts summed over labels; macro = the unweighted mean of
  the per-label P, R and F1 over the labels that have gold or predicted items
  (as seqeval and scikit-learn do: a label absent from both sides is left out
  of the mean rather than counted as 0). Its counts are the micro counts.
* ``per_label`` lists every requested label, present or not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Literal, Mapping, Sequence

from seqeval.scheme import IOB2, Entities

from conflict_ie import schema
from conflict_ie.annotations.document import Article, Span
from conflict_ie.annotations.tokenize import spans_to_bio, tokenize


@dataclass(frozen=True)
class Counts:
    """Sufficient statistics of one label (or one document, or everything)."""

    gold: int = 0
    predicted: int = 0
    correct: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.gold + other.gold, self.predicted + other.predicted, self.correct + other.correct)


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int
    correct: int

    @classmethod
    def from_counts(cls, c: Counts) -> "PRF":
        p = c.correct / c.predicted if c.predicted else 0.0
        r = c.correct / c.gold if c.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p, r, f, c.gold, c.predicted, c.correct)

    @property
    def counts(self) -> Counts:
        return Counts(self.gold, self.predicted, self.correct)


@dataclass
class Scores:
    micro: PRF
    macro: PRF
    per_label: dict[str, PRF]

    def micro_over(self, labels: Iterable[str]) -> PRF:
        """Micro P/R/F1 over a subset of the labels (e.g. what a baseline can produce)."""
        total = Counts()
        for lab in labels:
            if lab in self.per_label:
                total = total + self.per_label[lab].counts
        return PRF.from_counts(total)


# One document's counts per label.
DocCounts = dict[str, Counts]


def scores_from_counts(doc_counts: Sequence[Mapping[str, Counts]], labels: Sequence[str]) -> Scores:
    """Micro, macro and per-label scores from per-document counts."""
    per: dict[str, Counts] = {lab: Counts() for lab in labels}
    for doc in doc_counts:
        for lab, c in doc.items():
            if lab in per:
                per[lab] = per[lab] + c
    per_label = {lab: PRF.from_counts(c) for lab, c in per.items()}
    total = sum(per.values(), Counts())
    present = [per_label[lab] for lab, c in per.items() if c.gold or c.predicted]
    if present:
        n = len(present)
        macro = PRF(sum(x.precision for x in present) / n, sum(x.recall for x in present) / n,
                    sum(x.f1 for x in present) / n, total.gold, total.predicted, total.correct)
    else:
        macro = PRF(0.0, 0.0, 0.0, total.gold, total.predicted, total.correct)
    return Scores(PRF.from_counts(total), macro, per_label)


def micro_f1(doc_counts: Sequence[Mapping[str, Counts]]) -> float:
    """Micro-F1 of per-document counts (all labels in them)."""
    total = sum((c for doc in doc_counts for c in doc.values()), Counts())
    return PRF.from_counts(total).f1


# ---------------------------------------------------------------- pairing

def pair_articles(gold: Sequence[Article], pred: Sequence[Article]) -> list[tuple[Article, Article]]:
    """Gold and predicted articles paired by id, in gold order.

    A prediction must cover exactly the gold articles, over the same text:
    scoring a prediction made on another text would compare meaningless offsets.
    """
    def by_id(arts: Sequence[Article], side: str) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for a in arts:
            if a.id in out:
                raise ValueError(f"{side} articles: id {a.id!r} occurs more than once")
            out[a.id] = a
        return out

    g, p = by_id(gold, "gold"), by_id(pred, "predicted")
    missing, extra = sorted(g.keys() - p.keys()), sorted(p.keys() - g.keys())
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"no prediction for {len(missing)} gold article(s): {', '.join(missing[:5])}")
        if extra:
            parts.append(f"{len(extra)} predicted article(s) not in gold: {', '.join(extra[:5])}")
        raise ValueError("gold and predicted articles differ: " + "; ".join(parts))
    for aid, ga in g.items():
        if p[aid].text != ga.text:
            raise ValueError(f"article {aid!r}: the predicted article's text differs from the gold text")
    return [(ga, p[ga.id]) for ga in gold]


# ---------------------------------------------------------------- spans

def _entities(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entities as seqeval's strict IOB2 mode reads them (an I- without B- is no entity)."""
    return {(e.start, e.end, e.tag) for e in Entities([tags], IOB2).entities[0]}


def _bio(tokens, spans: Iterable[Span], labels: frozenset[str]) -> list[str]:
    return spans_to_bio(tokens, [(s.start, s.end, s.label) for s in spans if s.label in labels])


def _count_sets(gold: set, pred: set, label_of) -> DocCounts:
    g, p = Counter(label_of(x) for x in gold), Counter(label_of(x) for x in pred)
    c = Counter(label_of(x) for x in gold & pred)
    return {lab: Counts(g[lab], p[lab], c[lab]) for lab in g.keys() | p.keys()}


def seqeval_doc_counts(gold: Sequence[Article], pred: Sequence[Article], labels: Iterable[str]) -> list[DocCounts]:
    """Per-document seqeval (strict, IOB2) counts over word tokens, one dict per gold article."""
    labs = frozenset(labels)
    out = []
    for ga, pa in pair_articles(gold, pred):
        tokens = tokenize(ga.text)
        out.append(_count_sets(_entities(_bio(tokens, ga.spans, labs)),
                               _entities(_bio(tokens, pa.spans, labs)), lambda e: e[2]))
    return out


def exact_doc_counts(gold: Sequence[Article], pred: Sequence[Article], labels: Iterable[str]) -> list[DocCounts]:
    """Per-document counts of exact (start, end, label) character matches."""
    labs = frozenset(labels)
    out = []
    for ga, pa in pair_articles(gold, pred):
        g = {(s.start, s.end, s.label) for s in ga.spans if s.label in labs}
        p = {(s.start, s.end, s.label) for s in pa.spans if s.label in labs}
        out.append(_count_sets(g, p, lambda x: x[2]))
    return out


def seqeval_tag_scores(gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]],
                       labels: Iterable[str] | None = None) -> Scores:
    """seqeval strict IOB2 scores of tag sequences (e.g. a tagger's raw output, before decoding).

    Broken sequences are read as seqeval's strict mode reads them: an I- that
    does not continue a B- or I- of its own label starts no entity. (Note that
    ``conflict_ie.annotations.tokenize.bio_to_spans`` decodes leniently; this
    does not.) ``labels=None`` scores every label found on either side, sorted.
    """
    if len(gold_tags) != len(pred_tags):
        raise ValueError(f"{len(gold_tags)} gold tag sequence(s) but {len(pred_tags)} predicted")
    doc_counts = []
    for k, (g, p) in enumerate(zip(gold_tags, pred_tags)):
        if len(g) != len(p):
            raise ValueError(f"tag sequence {k}: {len(g)} gold tags but {len(p)} predicted")
        doc_counts.append(_count_sets(_entities(list(g)), _entities(list(p)), lambda e: e[2]))
    if labels is None:
        labels = sorted({lab for doc in doc_counts for lab in doc})
    return scores_from_counts(doc_counts, tuple(labels))


def seqeval_span_scores(gold: list[Article], pred: list[Article], labels: Iterable[str]) -> Scores:
    """seqeval strict IOB2 span scores restricted to ``labels`` (other labels count as O).

    Spans are seen through the word tokens they cover: a predicted span that
    cuts a token loses the partial token (the exact view counts it as wrong).
    """
    labels = tuple(labels)
    return scores_from_counts(seqeval_doc_counts(gold, pred, labels), labels)


def exact_span_scores(gold: list[Article], pred: list[Article], labels: Iterable[str]) -> Scores:
    """Exact character-offset span scores restricted to ``labels``."""
    labels = tuple(labels)
    return scores_from_counts(exact_doc_counts(gold, pred, labels), labels)


# ---------------------------------------------------------------- relations

RelationMode = Literal["strict", "boundaries"]


def relation_keys(article: Article, mode: RelationMode = "strict") -> set[tuple]:
    """An article's relations as comparable keys: span offsets (and labels), never span ids.

    strict keeps the head and tail span labels; boundaries drops them (Taillé
    et al. 2020, "Let's Stop Incorrect Comparisons in End-to-end Relation
    Extraction!"). The relation label is the last element in both modes.
    """
    if mode not in ("strict", "boundaries"):
        raise ValueError(f"unknown relation mode {mode!r}; use 'strict' or 'boundaries'")
    spans = article.span_by_id()
    keys = set()
    for rel in article.relations:
        head, tail = spans.get(rel.head), spans.get(rel.tail)
        if head is None or tail is None:
            missing = rel.head if head is None else rel.tail
            raise ValueError(f"article {article.id!r}: relation {rel.head} {rel.label} {rel.tail} "
                             f"names span {missing!r}, which the article does not have")
        if mode == "strict":
            keys.add((head.start, head.end, head.label, tail.start, tail.end, tail.label, rel.label))
        else:
            keys.add((head.start, head.end, tail.start, tail.end, rel.label))
    return keys


def relation_doc_counts(gold: Sequence[Article], pred: Sequence[Article], mode: RelationMode = "strict",
                        labels: Iterable[str] | None = None) -> list[DocCounts]:
    """Per-document end-to-end relation counts: predicted relations join *predicted* spans."""
    labs = None if labels is None else frozenset(labels)
    out = []
    for ga, pa in pair_articles(gold, pred):
        g, p = relation_keys(ga, mode), relation_keys(pa, mode)
        if labs is not None:
            g = {k for k in g if k[-1] in labs}
            p = {k for k in p if k[-1] in labs}
        out.append(_count_sets(g, p, lambda k: k[-1]))
    return out


def relation_scores(gold: list[Article], pred: list[Article], mode: RelationMode = "strict",
                    labels: Iterable[str] | None = None) -> Scores:
    """End-to-end relation P/R/F1 (strict or boundaries), micro, macro and per relation label.

    ``labels=None`` scores every relation label: the schema's, then any other
    label found in gold or predictions.
    """
    doc_counts = relation_doc_counts(gold, pred, mode, labels)
    if labels is None:
        seen = sorted({lab for doc in doc_counts for lab in doc} - set(schema.RELATION_LABELS))
        labels = tuple(schema.RELATION_LABELS) + tuple(seen)
    return scores_from_counts(doc_counts, tuple(labels))
