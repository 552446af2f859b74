"""Choosing how relations are decoded, on dev, after training.

The relation head's sigmoid outputs are not calibrated, and relation labels
differ in how many tails one trigger takes: a DEATH has one COUNT and one
TIME, but a talks trigger often has three PARTICIPANTs. For each relation
label this picks the cut-off and the most tails per (head, label) that give
the best strict F1 on dev; they are stored in the model config, so every user
of the saved model decodes with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from conflict_ie.annotations.document import Article
from conflict_ie.eval.metrics import Scores, relation_scores
from conflict_ie.model.joint import FIXED_TAIL_CAPS, MAX_TAILS_PER_HEAD, ConflictJointModel, tail_cap
from conflict_ie.model.predict import predict_annotations

GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CAPS = (1, 2, 3, MAX_TAILS_PER_HEAD)
SPAN_FLOORS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass
class DecodingChoice:
    threshold: float  # one cut-off for every label (the fallback)
    thresholds: dict[str, float]  # per relation label
    max_tails: dict[str, int]  # per relation label
    f1_by_threshold: dict[float, float]  # dev strict relation F1 with one shared cut-off and no per-label caps
    f1: float  # dev strict relation F1 with the per-label choice and the span floor
    per_label_f1: dict[str, float] = field(default_factory=dict)
    span_floor: float = 0.0  # relation score x weaker span score must reach this
    f1_by_span_floor: dict[float, float] = field(default_factory=dict)


def _dev_candidates(model: ConflictJointModel, dev: list[Article], batch_size: int) -> list[tuple]:
    """Every relation the model scores at the lowest cut-off, with its rank among its (head, label) siblings
    and the score of its weaker span."""
    cfg = model.config
    saved = (cfg.relation_threshold, dict(cfg.relation_thresholds), dict(cfg.relation_max_tails), cfg.relation_span_floor)
    cfg.relation_threshold = min(GRID)
    cfg.relation_thresholds, cfg.relation_max_tails, cfg.relation_span_floor = {}, {}, 0.0
    out = []
    try:
        for art, spans, rels, scores in predict_annotations(model, dev, batch_size):
            score_of = {r: scores[f"{r.head} {r.label} {r.tail}"] for r in rels}
            siblings = defaultdict(list)
            for r, s in score_of.items():
                siblings[(r.head, r.label)].append(s)
            ranked = [(r, s, 1 + sum(x > s for x in siblings[(r.head, r.label)]), min(scores[r.head], scores[r.tail]))
                      for r, s in score_of.items()]
            out.append((art, spans, ranked))
    finally:
        cfg.relation_threshold, cfg.relation_thresholds, cfg.relation_max_tails, cfg.relation_span_floor = saved
    return out


def _score(dev, candidates, keep, floor: float = 0.0) -> Scores:
    pred = [art.with_annotations(spans, [r for r, s, rank, span in ranked
                                         if keep(r.label, s, rank) and s * span >= floor])
            for art, spans, ranked in candidates]
    return relation_scores(dev, pred, "strict")


def tune_relation_decoding(model: ConflictJointModel, dev: list[Article], batch_size: int = 8) -> DecodingChoice:
    """Pick the shared and per-label cut-offs and tail caps on dev; leaves them set on the model."""
    original = model.config.relation_threshold
    candidates = _dev_candidates(model, dev, batch_size)
    by_threshold = {t: _score(dev, candidates, lambda lab, s, rank, t=t: s >= t) for t in GRID}
    f1_by_threshold = {t: sc.micro.f1 for t, sc in by_threshold.items()}
    shared = max(GRID, key=lambda t: (f1_by_threshold[t], -abs(t - original)))

    thresholds, caps, per_label = {}, {}, {}
    grid_scores = {(t, k): _score(dev, candidates, lambda lab, s, rank, t=t, k=k: s >= t and rank <= k)
                   for t in GRID for k in CAPS}
    for label in model.relation_labels:
        def f1(key):
            prf = grid_scores[key].per_label.get(label)
            return prf.f1 if prf else 0.0
        # A cap fixed by the schema is what decoding uses whatever the config says: tune at it.
        keys = [key for key in grid_scores if key[1] == FIXED_TAIL_CAPS.get(label, key[1])]
        # Ties go to the shared cut-off and the loosest cap: a choice must earn its departure from them.
        best = max(keys, key=lambda key: (round(f1(key), 6), -abs(key[0] - shared), key[1]))
        thresholds[label], caps[label] = best
        per_label[label] = f1(best)
    final = _score(dev, candidates, lambda lab, s, rank: s >= thresholds[lab] and rank <= caps[lab])
    if final.micro.f1 < f1_by_threshold[shared]:  # per-label choices overfit: keep the shared cut-off alone
        thresholds, caps, final_f1 = {}, {}, f1_by_threshold[shared]
    else:
        final_f1 = final.micro.f1

    def keep(lab, s, rank):
        return s >= thresholds.get(lab, shared) and rank <= tail_cap(lab, caps)  # decoding's own fallbacks
    f1_by_floor = {f: (_score(dev, candidates, keep, f).micro.f1 if f else final_f1) for f in SPAN_FLOORS}
    floor = max(SPAN_FLOORS, key=lambda f: (round(f1_by_floor[f], 6), -f))  # ties: the weaker filter
    model.config.relation_threshold = shared
    model.config.relation_thresholds = thresholds
    model.config.relation_max_tails = caps
    model.config.relation_span_floor = floor
    return DecodingChoice(shared, thresholds, caps, f1_by_threshold, f1_by_floor[floor], per_label, floor, f1_by_floor)


def tune_relation_threshold(model: ConflictJointModel, dev: list[Article], batch_size: int = 8) -> tuple[float, dict]:
    """(best shared threshold, {threshold: dev strict relation F1}); per-label choices are set on the model too."""
    choice = tune_relation_decoding(model, dev, batch_size)
    return choice.threshold, choice.f1_by_threshold
