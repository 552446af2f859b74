"""Bootstrap confidence intervals over documents."""

from __future__ import annotations

import pytest

from conflict_ie import schema
from conflict_ie.annotations.document import Article, Span
from conflict_ie.eval.bootstrap import bootstrap_ci, bootstrap_counts_ci
from conflict_ie.eval.metrics import seqeval_doc_counts, seqeval_span_scores

TEXT = "Armenia and Azerbaijan clashed near Jermuk on Tuesday."
# (start, end, label) of the gold spans in TEXT
GOLD_SPANS = [(0, 7, "GPE"), (12, 22, "GPE"), (36, 42, "GPE"), (46, 53, "DATE")]


def article(i: int, spans) -> Article:
    return Article(id=f"doc{i}", title="t", published="2022-09-13", source_style="wire", countries=["Armenia"],
                   conflict="Armenia-Azerbaijan", split="test", annotator="t", text=TEXT,
                   spans=[Span(f"s{k}", lab, a, b, TEXT[a:b]) for k, (a, b, lab) in enumerate(spans, 1)])


def corpus():
    """Ten documents of uneven quality: the i-th prediction keeps the first (i % 5) gold spans."""
    gold = [article(i, GOLD_SPANS) for i in range(10)]
    pred = [article(i, GOLD_SPANS[: i % 5] + ([(23, 30, "LOC")] if i % 3 == 0 else [])) for i in range(10)]
    return gold, pred


def entity_f1(g, p) -> float:
    return seqeval_span_scores(g, p, schema.ENTITY_LABELS).micro.f1


def test_interval_contains_the_estimate_and_is_deterministic():
    gold, pred = corpus()
    ci = bootstrap_ci(gold, pred, entity_f1, n_resamples=200, seed=7)
    assert ci.estimate == pytest.approx(entity_f1(gold, pred))
    assert ci.low <= ci.estimate <= ci.high
    assert ci.low < ci.high  # the documents differ, so resamples do too
    assert (ci.resamples, ci.level, ci.seed) == (200, 0.95, 7)
    again = bootstrap_ci(gold, pred, entity_f1, n_resamples=200, seed=7)
    assert (again.low, again.high) == (ci.low, ci.high)
    other = bootstrap_ci(gold, pred, entity_f1, n_resamples=200, seed=8)
    assert (other.low, other.high) != (ci.low, ci.high)


def test_counts_path_equals_the_generic_path_for_the_same_seed():
    gold, pred = corpus()
    generic = bootstrap_ci(gold, pred, entity_f1, n_resamples=100, seed=3)
    fast = bootstrap_counts_ci(seqeval_doc_counts(gold, pred, schema.ENTITY_LABELS), n_resamples=100, seed=3)
    assert fast.estimate == pytest.approx(generic.estimate)
    assert fast.low == pytest.approx(generic.low)
    assert fast.high == pytest.approx(generic.high)


def test_perfect_predictions_give_a_degenerate_interval():
    gold, _ = corpus()
    ci = bootstrap_counts_ci(seqeval_doc_counts(gold, gold, schema.ENTITY_LABELS), n_resamples=50)
    assert (ci.estimate, ci.low, ci.high) == (1.0, 1.0, 1.0)


def test_bad_arguments_are_refused():
    gold, pred = corpus()
    with pytest.raises(ValueError, match="at least one document"):
        bootstrap_counts_ci([], n_resamples=10)
    with pytest.raises(ValueError, match="at least one resample"):
        bootstrap_ci(gold, pred, entity_f1, n_resamples=0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        bootstrap_counts_ci(seqeval_doc_counts(gold, pred, ["GPE"]), n_resamples=10, level=95)
