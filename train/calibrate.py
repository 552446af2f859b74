"""Choosing the relation threshold on dev, after training.

The relation head's sigmoid outputs are not calibrated; the cut-off that gives
the best strict relation F1 on dev is stored in the model config, so every
user of the saved model decodes with it.
"""

from __future__ import annotations

from conflict_ie.annotations.document import Article
from conflict_ie.model.joint import ConflictJointModel
from conflict_ie.model.predict import prediction_to_annotations
from conflict_ie.model.windows import tokenize_document

GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def tune_relation_threshold(model: ConflictJointModel, dev: list[Article], batch_size: int = 8) -> tuple[float, dict]:
    """(best threshold, {threshold: dev strict relation F1}); leaves the model's threshold set to the best."""
    from conflict_ie.eval.metrics import relation_scores

    original = model.config.relation_threshold
    model.config.relation_threshold = min(GRID)
    model.eval()
    scored: list[tuple[Article, list, list, dict]] = []
    for i in range(0, len(dev), batch_size):
        chunk = dev[i:i + batch_size]
        docs = [tokenize_document(model.tokenizer, a.text) for a in chunk]
        for art, pred in zip(chunk, model.predict([a.text for a in chunk], docs)):
            scored.append((art, *prediction_to_annotations(art.text, pred)))
    results = {}
    for t in GRID:
        pred = [art.with_annotations(spans, [r for r in rels if scores[f"{r.head} {r.label} {r.tail}"] >= t])
                for art, spans, rels, scores in scored]
        results[t] = relation_scores(dev, pred, "strict").micro.f1
    best = max(GRID, key=lambda t: (results[t], -abs(t - original)))
    model.config.relation_threshold = best
    return best, results
