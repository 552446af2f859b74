"""Percentile bootstrap confidence intervals, resampling documents.

Documents, not spans, are the unit: spans within one article are not
independent (one annotator, one writing style, one event), so resampling them
would make intervals too narrow.

Two entry points draw the very same resamples for a given seed:

* ``bootstrap_ci`` works for any metric over (gold, pred) article lists; it
  re-scores every resample (slow on big sets).
* ``bootstrap_counts_ci`` works for count-based metrics (everything in
  ``metrics``): it sums per-document counts, which is exact, not an
  approximation, because those metrics depend on the data only through the
  summed counts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from conflict_ie.annotations.document import Article
from conflict_ie.eval.metrics import Counts, PRF, pair_articles

DEFAULT_RESAMPLES = 1000
DEFAULT_LEVEL = 0.95
DEFAULT_SEED = 0


@dataclass
class ConfidenceInterval:
    estimate: float  # the metric on the full data
    low: float
    high: float
    level: float
    resamples: int
    seed: int


def resample_indices(n_docs: int, n_resamples: int, seed: int) -> np.ndarray:
    """(n_resamples, n_docs) document indices drawn with replacement."""
    if n_docs < 1:
        raise ValueError("bootstrap needs at least one document")
    if n_resamples < 1:
        raise ValueError(f"bootstrap needs at least one resample, got {n_resamples}")
    return np.random.default_rng(seed).integers(0, n_docs, size=(n_resamples, n_docs))


def _interval(estimate: float, samples: np.ndarray, level: float, seed: int) -> ConfidenceInterval:
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, got {level}")
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(samples, [alpha, 1.0 - alpha])
    return ConfidenceInterval(float(estimate), float(low), float(high), level, len(samples), seed)


def bootstrap_ci(gold: Sequence[Article], pred: Sequence[Article],
                 metric: Callable[[list[Article], list[Article]], float], *,
                 n_resamples: int = DEFAULT_RESAMPLES, level: float = DEFAULT_LEVEL,
                 seed: int = DEFAULT_SEED) -> ConfidenceInterval:
    """CI of any metric(gold, pred) -> float by resampling paired documents."""
    pairs = pair_articles(gold, pred)
    estimate = metric([g for g, _ in pairs], [p for _, p in pairs])
    samples = np.empty(n_resamples)
    for r, idx in enumerate(resample_indices(len(pairs), n_resamples, seed)):
        g_s, p_s = [], []
        # A document drawn twice must stay two documents; metrics pair by id,
        # so each draw gets its own id.
        for k, i in enumerate(idx):
            g, p = pairs[i]
            g_s.append(dataclasses.replace(g, id=f"{g.id}#{k}"))
            p_s.append(dataclasses.replace(p, id=f"{p.id}#{k}"))
        samples[r] = metric(g_s, p_s)
    return _interval(estimate, samples, level, seed)


def bootstrap_counts_ci(doc_counts: Sequence[Mapping[str, Counts]],
                        statistic: Callable[[Counts], float] = lambda c: PRF.from_counts(c).f1, *,
                        n_resamples: int = DEFAULT_RESAMPLES, level: float = DEFAULT_LEVEL,
                        seed: int = DEFAULT_SEED) -> ConfidenceInterval:
    """CI of a statistic of the summed counts (default: micro-F1) by resampling documents."""
    per_doc = np.array([[sum(c.gold for c in d.values()), sum(c.predicted for c in d.values()),
                         sum(c.correct for c in d.values())] for d in doc_counts], dtype=np.int64)
    idx = resample_indices(len(per_doc), n_resamples, seed)
    estimate = statistic(Counts(*map(int, per_doc.sum(axis=0))))
    sums = per_doc[idx].sum(axis=1)  # (n_resamples, 3)
    samples = np.array([statistic(Counts(int(g), int(p), int(c))) for g, p, c in sums])
    return _interval(estimate, samples, level, seed)
