"""Corpus statistics, the corpus targets, and which targets are not met yet.

Words are whitespace-separated words of the article text
(``Article.word_count``), the unit of the length targets.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from conflict_ie import schema
from conflict_ie.annotations.document import Article


@dataclass(frozen=True)
class CorpusTargets:
    """The corpus the project needs; the one place these numbers live."""

    min_articles: int = 400
    min_words: int = 150_000
    min_article_words: int = 120
    max_article_words: int = 1_200
    min_countries: int = 35
    min_conflicts: int = 25
    max_conflict_share: float = 0.08
    min_trigger_mentions: int = 200
    # Rarer event kinds, where 200 would force an unnatural choice of articles.
    trigger_mention_exceptions: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(
        {"RIOT": 150, "TERRITORY_CHANGE": 150, "DISPLACEMENT": 150}))
    min_entity_mentions: int = 300
    min_relation_mentions: int = 150
    min_test_articles: int = 60
    min_dev_articles: int = 40

    def min_mentions(self, label: str) -> int:
        if label in schema.TRIGGER_LABELS:
            return self.trigger_mention_exceptions.get(label, self.min_trigger_mentions)
        return self.min_entity_mentions


TARGETS = CorpusTargets()


@dataclass(frozen=True)
class Lengths:
    """Article lengths in words."""

    min: int
    mean: float
    median: float
    max: int


@dataclass(frozen=True)
class GroupCount:
    articles: int
    words: int


@dataclass(frozen=True)
class SplitStats:
    articles: int
    words: int
    spans: int
    relations: int
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class CorpusStats:
    articles: int
    words: int
    lengths: Lengths | None
    span_labels: dict[str, int]          # every schema label (zeros included), then unknown ones
    relation_labels: dict[str, int]
    splits: dict[str, SplitStats]        # train, dev, test, then unknown ones
    countries: dict[str, GroupCount]     # most articles first
    conflicts: dict[str, GroupCount]
    largest_conflict: str | None
    largest_conflict_share: float
    test_conflicts_in_train_dev: tuple[str, ...]
    article_words: dict[str, int]        # article id -> words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _labelled(counts: Counter, known: Iterable[str]) -> dict[str, int]:
    known = list(known)
    return {label: counts.get(label, 0) for label in known} | {
        label: n for label, n in sorted(counts.items()) if label not in known}


def _groups(pairs: Iterable[tuple[str, int]]) -> dict[str, GroupCount]:
    arts: Counter = Counter()
    words: Counter = Counter()
    for key, n in pairs:
        arts[key] += 1
        words[key] += n
    return {k: GroupCount(arts[k], words[k]) for k in sorted(arts, key=lambda k: (-arts[k], k))}


def compute(articles: Iterable[Article]) -> CorpusStats:
    articles = list(articles)
    words = {a.id: a.word_count() for a in articles}
    lengths = [a.word_count() for a in articles]
    span_counts = Counter(s.label for a in articles for s in a.spans)
    rel_counts = Counter(r.label for a in articles for r in a.relations)

    splits: dict[str, SplitStats] = {}
    for split in list(schema.SPLITS) + sorted({a.split for a in articles} - set(schema.SPLITS)):
        part = [a for a in articles if a.split == split]
        splits[split] = SplitStats(len(part), sum(a.word_count() for a in part), sum(len(a.spans) for a in part),
                                   sum(len(a.relations) for a in part), tuple(sorted({a.conflict for a in part})))
    seen = set(splits["train"].conflicts) | set(splits["dev"].conflicts)
    leaked = tuple(c for c in splits["test"].conflicts if c in seen)

    conflicts = _groups((a.conflict, a.word_count()) for a in articles)
    largest = next(iter(conflicts), None)
    share = conflicts[largest].articles / len(articles) if largest is not None else 0.0
    return CorpusStats(
        articles=len(articles),
        words=sum(lengths),
        lengths=Lengths(min(lengths), statistics.fmean(lengths), statistics.median(lengths), max(lengths)) if lengths else None,
        span_labels=_labelled(span_counts, schema.SPAN_LABELS),
        relation_labels=_labelled(rel_counts, schema.RELATION_LABELS),
        splits=splits,
        countries=_groups((c, a.word_count()) for a in articles for c in a.countries),
        conflicts=conflicts,
        largest_conflict=largest,
        largest_conflict_share=share,
        test_conflicts_in_train_dev=leaked,
        article_words=words,
    )


@dataclass(frozen=True)
class Shortfall:
    """One corpus target that is not met."""

    target: str
    required: str
    actual: str

    def __str__(self) -> str:
        return f"{self.target}: need {self.required}, have {self.actual}"


def _ids(ids: list[str], limit: int = 10) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def check_minimums(stats: CorpusStats, targets: CorpusTargets = TARGETS) -> list[Shortfall]:
    """Every target the corpus misses; an empty list means the corpus is complete."""
    out: list[Shortfall] = []

    def need(ok: bool, target: str, required: str, actual: str) -> None:
        if not ok:
            out.append(Shortfall(target, required, actual))

    need(stats.articles >= targets.min_articles, "articles", f">= {targets.min_articles}", str(stats.articles))
    need(stats.words >= targets.min_words, "words", f">= {targets.min_words:,}", f"{stats.words:,}")
    lo, hi = targets.min_article_words, targets.max_article_words
    short = [i for i, n in stats.article_words.items() if n < lo]
    long = [i for i, n in stats.article_words.items() if n > hi]
    need(not short, "article length", f">= {lo} words each", f"{len(short)} shorter: {_ids(short)}")
    need(not long, "article length", f"<= {hi:,} words each", f"{len(long)} longer: {_ids(long)}")
    need(len(stats.countries) >= targets.min_countries, "countries", f">= {targets.min_countries}", str(len(stats.countries)))
    need(len(stats.conflicts) >= targets.min_conflicts, "conflicts", f">= {targets.min_conflicts}", str(len(stats.conflicts)))
    need(stats.largest_conflict_share <= targets.max_conflict_share, "largest conflict",
         f"<= {targets.max_conflict_share:.0%} of articles",
         f"{stats.largest_conflict} in {stats.largest_conflict_share:.1%}")
    for label in schema.SPAN_LABELS:
        kind = "trigger" if label in schema.TRIGGER_LABELS else "entity"
        n, want = stats.span_labels.get(label, 0), targets.min_mentions(label)
        need(n >= want, f"{kind} {label}", f">= {want} mentions", str(n))
    for label in schema.RELATION_LABELS:
        n = stats.relation_labels.get(label, 0)
        need(n >= targets.min_relation_mentions, f"relation {label}", f">= {targets.min_relation_mentions}", str(n))
    test, dev = stats.splits["test"], stats.splits["dev"]
    need(test.articles >= targets.min_test_articles, "test split", f">= {targets.min_test_articles} articles", str(test.articles))
    need(not stats.test_conflicts_in_train_dev, "test split", "conflicts absent from train and dev",
         f"also in train/dev: {', '.join(stats.test_conflicts_in_train_dev)}")
    need(dev.articles >= targets.min_dev_articles, "dev split", f">= {targets.min_dev_articles} articles", str(dev.articles))
    return out


def format_table(headers: list[str], rows: list[list[Any]], markdown: bool = False) -> str:
    """A plain aligned table, or a Markdown pipe table; numbers are right-aligned."""
    cells = [[str(c) for c in r] for r in rows]
    numeric = [all(isinstance(r[i], (int, float)) for r in rows) and bool(rows) for i in range(len(headers))]
    if markdown:
        esc = lambda s: s.replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(map(esc, headers)) + " |",
                 "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
        lines += ["| " + " | ".join(map(esc, r)) + " |" for r in cells]
        return "\n".join(lines)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    fmt = lambda r: "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, numeric)).rstrip()  # noqa: E731
    return "\n".join([fmt(headers), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells])


def render(stats: CorpusStats, shortfalls: list[Shortfall] | None = None, markdown: bool = False) -> str:
    """The stats as readable tables (plain text or Markdown)."""
    h = (lambda t: f"## {t}") if markdown else (lambda t: f"{t}\n{'=' * len(t)}")
    t = lambda headers, rows: format_table(headers, rows, markdown)  # noqa: E731
    parts = [h("Corpus"), t(["measure", "value"], [
        ["articles", stats.articles], ["words", stats.words],
        ["countries", len(stats.countries)], ["conflicts", len(stats.conflicts)],
        ["spans", sum(stats.span_labels.values())], ["relations", sum(stats.relation_labels.values())],
    ])]
    if stats.lengths:
        L = stats.lengths
        parts += [h("Article length (words)"), t(["min", "mean", "median", "max"],
                                                 [[L.min, round(L.mean, 1), L.median, L.max]])]
    parts += [h("Splits"), t(["split", "articles", "words", "spans", "relations", "conflicts"],
                             [[k, s.articles, s.words, s.spans, s.relations, len(s.conflicts)] for k, s in stats.splits.items()])]
    kind = lambda label: "trigger" if label in schema.TRIGGER_LABELS else ("entity" if label in schema.ENTITY_LABELS else "unknown")  # noqa: E731
    parts += [h("Span labels"), t(["label", "kind", "mentions"], [[k, kind(k), n] for k, n in stats.span_labels.items()])]
    parts += [h("Relation labels"), t(["relation", "count"], [[k, n] for k, n in stats.relation_labels.items()])]
    share = lambda g: f"{g.articles / stats.articles:.1%}" if stats.articles else "-"  # noqa: E731
    parts += [h("Conflicts"), t(["conflict", "articles", "share", "words"],
                                [[k, g.articles, share(g), g.words] for k, g in stats.conflicts.items()])]
    if stats.largest_conflict:
        parts.append(f"largest conflict: {stats.largest_conflict} ({stats.largest_conflict_share:.1%} of articles)")
    parts += [h("Countries"), t(["country", "articles", "words"], [[k, g.articles, g.words] for k, g in stats.countries.items()])]
    if shortfalls is not None:
        parts.append(h("Corpus targets"))
        parts.append("all targets met" if not shortfalls else
                     t(["target", "need", "have"], [[s.target, s.required, s.actual] for s in shortfalls]))
    return "\n\n".join(parts) + "\n"
