"""What the runner needs from anything that predicts annotations: the model or a baseline."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from conflict_ie import schema
from conflict_ie.annotations.document import Article


@runtime_checkable
class Predictor(Protocol):
    """Predicts spans (and maybe relations) for gold articles.

    ``labels`` are the span labels it can produce: it is scored on those only,
    and the report shows "n/a" for the others. ``relation_labels`` are the
    relation labels it can produce; empty means no relations (baselines), and
    then neither relations nor event records are scored for it.
    """

    name: str
    labels: tuple[str, ...]
    relation_labels: tuple[str, ...]

    def predict(self, articles: list[Article]) -> list[Article]:
        """Copies of ``articles`` (same ids and texts) carrying predicted spans and relations."""
        ...


class ExtractorPredictor:
    """Adapts a ``conflict_ie.ConflictExtractor`` (anything with ``predict_articles``)."""

    def __init__(self, extractor: Any, name: str = "model") -> None:
        if not callable(getattr(extractor, "predict_articles", None)):
            raise TypeError(f"{type(extractor).__name__} has no predict_articles(articles) method")
        self.extractor = extractor
        self.name = name
        self.labels = schema.SPAN_LABELS
        self.relation_labels = schema.RELATION_LABELS

    def predict(self, articles: list[Article]) -> list[Article]:
        return list(self.extractor.predict_articles(articles))
