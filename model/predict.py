"""Model predictions as annotated ``Article``s: the common currency of eval and training."""

from __future__ import annotations

from typing import Iterator, Sequence

from conflict_ie.annotations.document import Article, Relation, Span
from conflict_ie.model.joint import ConflictJointModel, DocPrediction
from conflict_ie.model.windows import tokenize_document


def prediction_to_annotations(text: str, pred: DocPrediction) -> tuple[list[Span], list[Relation], dict[str, float]]:
    """Spans with ids p1.. in reading order, relations by id, and a score per span/relation key."""
    spans = [Span(f"p{i}", s.label, s.start, s.end, text[s.start:s.end]) for i, s in enumerate(pred.spans, start=1)]
    scores = {sp.id: s.score for sp, s in zip(spans, pred.spans)}
    rels = []
    for r in pred.relations:
        rel = Relation(spans[r.head].id, r.label, spans[r.tail].id)
        rels.append(rel)
        scores[f"{rel.head} {rel.label} {rel.tail}"] = r.score
    return spans, rels, scores


def predict_annotations(model: ConflictJointModel, articles: Sequence[Article], batch_size: int = 8
                        ) -> Iterator[tuple[Article, list[Span], list[Relation], dict[str, float]]]:
    """Each article with the model's spans, relations and their scores (see prediction_to_annotations)."""
    was_training = model.training
    model.eval()
    try:
        for i in range(0, len(articles), batch_size):
            chunk = articles[i:i + batch_size]
            docs = [tokenize_document(model.tokenizer, a.text) for a in chunk]
            for art, pred in zip(chunk, model.predict([a.text for a in chunk], docs)):
                yield (art, *prediction_to_annotations(art.text, pred))
    finally:
        model.train(was_training)


def predict_articles(model: ConflictJointModel, articles: Sequence[Article], batch_size: int = 8) -> list[Article]:
    """Copies of the articles carrying the model's spans and relations instead of their own."""
    return [art.with_annotations(spans, rels) for art, spans, rels, _ in predict_annotations(model, articles, batch_size)]
