"""Scoring predictors against gold articles: every metric of the report, as typed results."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from conflict_ie import schema
from conflict_ie.annotations.document import Article
from conflict_ie.eval.bootstrap import (DEFAULT_LEVEL, DEFAULT_RESAMPLES, DEFAULT_SEED, ConfidenceInterval,
                                        bootstrap_counts_ci)
from conflict_ie.eval.confusion import ConfusionMatrix, confusion_matrix
from conflict_ie.eval.error_analysis import ArticleError, SpanError, common_errors, worst_articles
from conflict_ie.eval.metrics import (Scores, exact_doc_counts, pair_articles, relation_doc_counts,
                                      scores_from_counts, seqeval_doc_counts)
from conflict_ie.eval.predictor import Predictor
from conflict_ie.eval.records_score import RecordScores, score_records
from conflict_ie.eval.training_log import EpochLog

# Keys of PredictorResult.intervals: the headline F1s.
HEADLINE_METRICS: tuple[str, ...] = ("entity_f1", "trigger_f1", "relation_strict_f1")


@dataclass
class DataSummary:
    source: str
    articles: int
    spans: int
    relations: int
    splits: dict[str, int]
    span_labels: dict[str, int]  # gold spans per label, schema order
    relation_labels: dict[str, int]


@dataclass
class BootstrapSettings:
    resamples: int
    level: float
    seed: int


@dataclass
class PredictorResult:
    """Everything measured for one predictor. A None score means it cannot produce that layer."""

    name: str
    labels: tuple[str, ...]
    relation_labels: tuple[str, ...]
    entity_labels: tuple[str, ...]  # the entity labels it was scored on
    trigger_labels: tuple[str, ...]
    entity: Scores | None
    trigger: Scores | None
    entity_exact: Scores | None
    trigger_exact: Scores | None
    relation_strict: Scores | None
    relation_boundaries: Scores | None
    records: RecordScores | None
    intervals: dict[str, ConfidenceInterval]
    confusion: ConfusionMatrix
    worst_articles: list[ArticleError]
    common_errors: list[SpanError]
    predict_seconds: float


@dataclass
class EvalReport:
    schema_version: int
    data: DataSummary
    predictors: list[PredictorResult]
    bootstrap: BootstrapSettings | None
    training_log: list[EpochLog] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class EvalSettings:
    n_bootstrap: int = DEFAULT_RESAMPLES  # 0: no confidence intervals
    level: float = DEFAULT_LEVEL
    seed: int = DEFAULT_SEED
    worst_k: int = 10
    errors_k: int = 15
    examples_per_error: int = 3


def summarize_data(gold: Sequence[Article], source: str) -> DataSummary:
    spans = Counter(s.label for a in gold for s in a.spans)
    rels = Counter(r.label for a in gold for r in a.relations)

    def ordered(counts: Counter, known: tuple[str, ...]) -> dict[str, int]:
        return {lab: counts[lab] for lab in known} | {lab: counts[lab] for lab in sorted(counts) if lab not in known}

    return DataSummary(source, len(gold), sum(spans.values()), sum(rels.values()),
                       dict(sorted(Counter(a.split for a in gold).items())),
                       ordered(spans, schema.SPAN_LABELS), ordered(rels, schema.RELATION_LABELS))


def _records_for(articles: Sequence[Article]):
    """Event records of each article, from the lead's record builder (imported only when needed)."""
    from conflict_ie.extract.records import build_records

    return [build_records(a) for a in articles]


class _GoldRecords:
    """Gold records built once and shared by every predictor that needs them."""

    def __init__(self, gold: Sequence[Article]) -> None:
        self.gold = gold
        self._records = None

    def get(self):
        if self._records is None:
            self._records = _records_for(self.gold)
        return self._records


def score_predictor(predictor: Predictor, gold: Sequence[Article], settings: EvalSettings,
                    gold_records: _GoldRecords | None = None, notes: list[str] | None = None) -> PredictorResult:
    notes = notes if notes is not None else []
    # The predictor sees the texts and metadata only, never the gold annotations.
    blank = [a.with_annotations([], []) for a in gold]
    t0 = time.perf_counter()
    pred = predictor.predict(blank)
    seconds = time.perf_counter() - t0
    try:
        pair_articles(gold, pred)
    except ValueError as exc:
        raise ValueError(f"predictor {predictor.name!r} returned unusable articles: {exc}") from exc

    produced = set(predictor.labels)
    ent_labels = tuple(lab for lab in schema.ENTITY_LABELS if lab in produced)
    trg_labels = tuple(lab for lab in schema.TRIGGER_LABELS if lab in produced)
    rel_labels = tuple(predictor.relation_labels)
    intervals: dict[str, ConfidenceInterval] = {}

    def spans(labels: tuple[str, ...], key: str) -> tuple[Scores | None, Scores | None]:
        if not labels:
            return None, None
        doc_counts = seqeval_doc_counts(gold, pred, labels)
        if settings.n_bootstrap:
            intervals[key] = bootstrap_counts_ci(doc_counts, n_resamples=settings.n_bootstrap,
                                                 level=settings.level, seed=settings.seed)
        return scores_from_counts(doc_counts, labels), scores_from_counts(exact_doc_counts(gold, pred, labels), labels)

    entity, entity_exact = spans(ent_labels, "entity_f1")
    trigger, trigger_exact = spans(trg_labels, "trigger_f1")

    strict = boundaries = records = None
    if rel_labels:
        strict_counts = relation_doc_counts(gold, pred, "strict", rel_labels)
        strict = scores_from_counts(strict_counts, rel_labels)
        boundaries = scores_from_counts(relation_doc_counts(gold, pred, "boundaries", rel_labels), rel_labels)
        if settings.n_bootstrap:
            intervals["relation_strict_f1"] = bootstrap_counts_ci(
                strict_counts, n_resamples=settings.n_bootstrap, level=settings.level, seed=settings.seed)
        records = _score_records(predictor.name, pred, gold_records or _GoldRecords(gold), notes)

    return PredictorResult(
        name=predictor.name, labels=tuple(predictor.labels), relation_labels=rel_labels,
        entity_labels=ent_labels, trigger_labels=trg_labels,
        entity=entity, trigger=trigger, entity_exact=entity_exact, trigger_exact=trigger_exact,
        relation_strict=strict, relation_boundaries=boundaries, records=records, intervals=intervals,
        # The confusion matrix covers the layers the predictor works on (entities,
        # triggers or both), with all of that layer's labels: a baseline calling
        # ARMED spans ORG is worth seeing even though it never predicts ARMED.
        confusion=confusion_matrix(gold, pred, (schema.ENTITY_LABELS if ent_labels else ())
                                   + (schema.TRIGGER_LABELS if trg_labels else ())),
        worst_articles=worst_articles(gold, pred, predictor.labels, k=settings.worst_k),
        common_errors=common_errors(gold, pred, predictor.labels, k=settings.errors_k,
                                    examples=settings.examples_per_error),
        predict_seconds=seconds,
    )


def _score_records(name: str, pred: Sequence[Article], gold_records: _GoldRecords,
                   notes: list[str]) -> RecordScores | None:
    try:
        gold_recs = gold_records.get()
    except ModuleNotFoundError as exc:
        # Only the record builder itself may be missing (it is being written);
        # anything else it fails on is a real error and propagates.
        if exc.name != "conflict_ie.extract.records":
            raise
        note = "event records not scored: conflict_ie.extract.records (build_records) is not available yet"
        if note not in notes:
            notes.append(note)
        return None
    valid, dropped = _schema_valid(pred)
    if dropped:
        notes.append(f"{name}: {dropped} predicted relation(s) break the schema's head/tail label constraints; "
                     f"they count as wrong in the relation scores and are left out of its event records")
    return score_records(gold_recs, _records_for(valid), event_types=schema.RECORD_LABELS + schema.OUTCOME_LABELS)


def _schema_valid(articles: Sequence[Article]) -> tuple[list[Article], int]:
    """Copies without the relations the schema forbids (records are defined only for valid ones), and how many."""
    out, dropped = [], 0
    for a in articles:
        spans = a.span_by_id()
        keep = [r for r in a.relations
                if r.head in spans and r.tail in spans
                and schema.relation_allowed(r.label, spans[r.head].label, spans[r.tail].label)]
        dropped += len(a.relations) - len(keep)
        out.append(a if len(keep) == len(a.relations) else a.with_annotations(a.spans, keep))
    return out, dropped


def evaluate(predictors: Sequence[Predictor], gold: Sequence[Article], settings: EvalSettings | None = None, *,
             source: str = "", training_log: list[EpochLog] | None = None) -> EvalReport:
    """Score each predictor on ``gold``; the first predictor is the one plots and errors focus on."""
    settings = settings or EvalSettings()
    gold = list(gold)
    if not gold:
        raise ValueError("no gold articles to evaluate on")
    if not predictors:
        raise ValueError("nothing to evaluate: no model and no baseline")
    names = [p.name for p in predictors]
    if len(set(names)) != len(names):
        raise ValueError(f"predictor names must be unique, got {names}")
    pair_articles(gold, gold)  # duplicate ids in the gold data are an error worth raising early
    notes: list[str] = []
    gold_records = _GoldRecords(gold)
    results = [score_predictor(p, gold, settings, gold_records, notes) for p in predictors]
    for r in results:
        if not r.relation_labels:
            notes.append(f"{r.name}: produces spans of {', '.join(r.labels)} only and no relations; "
                         f"it is scored on those labels and shown as n/a elsewhere")
    boot = BootstrapSettings(settings.n_bootstrap, settings.level, settings.seed) if settings.n_bootstrap else None
    return EvalReport(schema.SCHEMA_VERSION, summarize_data(gold, source), results, boot,
                      list(training_log or []), notes)
