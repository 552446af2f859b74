"""ConflictExtractor: articles in, typed event records out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

from conflict_ie.annotations.document import Article
from conflict_ie.extract.records import build_records
from conflict_ie.extract.sanitize import InputError, clean, coerce_text, segment_bounds
from conflict_ie.extract.types import DocumentResult, RelationOut, SpanOut


@dataclass
class ArticleInput:
    text: str | bytes
    published: str | None = None
    title: str | None = None
    id: str | None = None

    @classmethod
    def of(cls, item) -> "ArticleInput":
        if isinstance(item, ArticleInput):
            return item
        if isinstance(item, (str, bytes)):
            return cls(item)
        if isinstance(item, Mapping):
            unknown = set(item) - {"text", "published", "title", "id"}
            if unknown:
                raise InputError(f"unknown article fields: {', '.join(sorted(unknown))}")
            if "text" not in item:
                raise InputError("an article needs a 'text' field")
            return cls(item["text"], item.get("published"), item.get("title"), item.get("id"))
        raise InputError(f"cannot read an article from {type(item).__name__}")


class ConflictExtractor:
    """Extract event records from conflict news.

    >>> ex = ConflictExtractor.from_pretrained("runs/default/best")      # doctest: +SKIP
    >>> doc = ex.extract(text, published="2022-09-14")                  # doctest: +SKIP
    """

    # Articles longer than this many characters are cut into overlapping segments,
    # so memory stays bounded on multi-megabyte inputs; windows still cover every token.
    max_segment_chars = 40_000
    segment_overlap_chars = 2_000

    def __init__(self, model, device: str | None = None, batch_size: int = 8):
        import torch

        self.model = model
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device).eval()
        self.batch_size = batch_size

    @classmethod
    def from_pretrained(cls, path_or_hub_id: str, device: str | None = None, revision: str | None = None,
                        batch_size: int = 8, **hub_kwargs) -> "ConflictExtractor":
        from conflict_ie.model.joint import ConflictJointModel

        return cls(ConflictJointModel.from_pretrained(path_or_hub_id, revision=revision, **hub_kwargs), device, batch_size)

    # Public API ---------------------------------------------------------------
    def extract(self, text: str | bytes, published: str | None = None, title: str | None = None,
                id: str | None = None) -> DocumentResult:
        """Records for one article. Raises InputError for input that is not text."""
        result = self._run([ArticleInput(text, published, title, id)])[0]
        if result.error:
            raise InputError(result.error)
        return result

    def extract_many(self, items: Iterable, batch_size: int | None = None,
                     progress: bool = False) -> Iterator[DocumentResult]:
        """Stream results for many articles (str, dict or ArticleInput); a bad article gets an error result."""
        size = batch_size or self.batch_size
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(unit="article", desc="extract")
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= size:
                yield from self._run_safely(chunk, bar)
                chunk = []
        if chunk:
            yield from self._run_safely(chunk, bar)
        if bar is not None:
            bar.close()

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Copies of annotated articles with the model's spans and relations (for eval)."""
        from conflict_ie.model.predict import predict_articles

        return predict_articles(self.model, articles, self.batch_size)

    # Internals ----------------------------------------------------------------
    def _run_safely(self, chunk, bar) -> list[DocumentResult]:
        results = self._run(chunk)
        if bar is not None:
            bar.update(len(results))
        return results

    def _run(self, items: Sequence) -> list[DocumentResult]:
        from conflict_ie.model.predict import prediction_to_annotations
        from conflict_ie.model.windows import tokenize_document

        prepared: list[tuple[int, ArticleInput, str, list[str]] | DocumentResult] = []
        segments: list[tuple[int, int, int, str]] = []  # (item index, seg start, seg end, cleaned text)
        for i, raw in enumerate(items):
            try:
                item = ArticleInput.of(raw)
                text = coerce_text(item.text)
                if item.published is not None:
                    dt.date.fromisoformat(item.published)
                cleaned = clean(text)
            except (InputError, ValueError, TypeError) as exc:
                ident = raw.get("id") if isinstance(raw, Mapping) else None
                prepared.append(DocumentResult(id=ident, text_length=0, error=str(exc)))
                continue
            prepared.append((i, item, text, cleaned.warnings))
            if not text.strip():
                cleaned.warnings.append("empty text")
                continue
            for a, b in segment_bounds(cleaned.text, self.max_segment_chars, self.segment_overlap_chars):
                segments.append((i, a, b, cleaned.text))

        # Model over all segments of the batch, then merge segments back per article.
        preds: dict[int, list] = {}
        for k in range(0, len(segments), self.batch_size):
            part = segments[k:k + self.batch_size]
            seg_texts = [t[a:b] for _, a, b, t in part]
            docs = [tokenize_document(self.model.tokenizer, s) for s in seg_texts]
            for (i, a, b, _), s_text, pred in zip(part, seg_texts, self.model.predict(seg_texts, docs)):
                preds.setdefault(i, []).append((a, b, s_text, pred))

        results = []
        for entry in prepared:
            if isinstance(entry, DocumentResult):
                results.append(entry)
                continue
            i, item, text, warnings = entry
            spans, rels, scores = self._merge_segments(text, preds.get(i, []), prediction_to_annotations)
            art = Article(id=item.id or "", title=item.title or "", published=item.published or "", source_style="",
                          countries=[], conflict="", split="", annotator="model", text=text, spans=spans, relations=rels)
            by_id = {s.id: s for s in spans}
            span_out = {s.id: SpanOut(text=s.text, label=s.label, start=s.start, end=s.end,
                                      score=round(scores.get(s.id, 1.0), 4)) for s in spans}
            results.append(DocumentResult(
                id=item.id, title=item.title, published=item.published, text_length=len(text),
                spans=list(span_out.values()),
                relations=[RelationOut(head=span_out[r.head], tail=span_out[r.tail], label=r.label,
                                       score=round(scores.get(f"{r.head} {r.label} {r.tail}", 1.0), 4))
                           for r in rels if r.head in by_id and r.tail in by_id],
                events=build_records(art, scores), warnings=warnings))
        return results

    @staticmethod
    def _merge_segments(text: str, parts, to_annotations):
        """Document-offset spans and relations from overlapping segments: each span from the segment
        in whose core (the segment minus half of each overlap) it starts."""
        from conflict_ie.annotations.document import Relation, Span

        parts = sorted(parts, key=lambda p: p[0])
        cores = []
        for k, (a, b, _, _) in enumerate(parts):
            lo = a if k == 0 else (a + parts[k - 1][1]) // 2
            hi = b if k == len(parts) - 1 else (parts[k + 1][0] + b) // 2
            cores.append((lo, hi))
        spans: list[Span] = []
        rels: list[Relation] = []
        scores: dict[str, float] = {}
        key_to_id: dict[tuple[int, int, str], str] = {}
        for (a, _, s_text, pred), (lo, hi) in zip(parts, cores):
            seg_spans, seg_rels, seg_scores = to_annotations(s_text, pred)
            local: dict[str, str] = {}
            for sp in seg_spans:
                start, end = sp.start + a, sp.end + a
                key = (start, end, sp.label)
                if key not in key_to_id and lo <= start < hi:
                    key_to_id[key] = f"p{len(key_to_id) + 1}"
                    spans.append(Span(key_to_id[key], sp.label, start, end, text[start:end]))
                    scores[key_to_id[key]] = seg_scores[sp.id]
                if key in key_to_id:
                    local[sp.id] = key_to_id[key]
            for r in seg_rels:
                if r.head in local and r.tail in local:
                    rel = Relation(local[r.head], r.label, local[r.tail])
                    k = f"{rel.head} {rel.label} {rel.tail}"
                    if k not in scores:
                        rels.append(rel)
                        scores[k] = seg_scores[f"{r.head} {r.label} {r.tail}"]
        spans.sort(key=lambda s: s.start)
        return spans, rels, scores
