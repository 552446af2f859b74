"""Inter-annotator agreement between two annotations (A and B) of the same texts.

A and B are treated alike: F1 is symmetric, and precision/recall read B against
A as the reference (swap the sides and they swap). Measures:

* spans, strict: same start, end and label;
* spans, overlap: same label and overlapping characters, each span matched at
  most once (a maximum one-to-one matching, so F1 never exceeds 1);
* relations, strict: head and tail spans equal (offsets and label) and the same
  relation label;
* Cohen's kappa over word tokens (``conflict_ie.annotations.tokenize``), each
  token labelled with the span covering it or ``O``;
* the disagreements, grouped so that each item is one place to adjudicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

from conflict_ie import schema
from conflict_ie.annotations.document import Article, Span
from conflict_ie.annotations.tokenize import spans_to_bio, tokenize

SpanKey = tuple[int, int, str]  # start, end, label
RelKey = tuple[SpanKey, str, SpanKey]


@dataclass(frozen=True)
class Score:
    """Counts and scores for one measure; ``f1`` is None when neither side has anything."""

    a: int          # items in A (the reference)
    b: int          # items in B
    matched: int    # matched pairs (strict or overlap)
    precision: float | None
    recall: float | None
    f1: float | None

    @classmethod
    def of(cls, a: int, b: int, matched: int) -> "Score":
        return cls(a, b, matched, matched / b if b else None, matched / a if a else None,
                   2 * matched / (a + b) if a + b else None)


@dataclass(frozen=True)
class Kappa:
    tokens: int
    observed: float | None   # share of tokens with the same label
    expected: float | None   # agreement expected by chance from each side's label shares
    kappa: float | None


@dataclass(frozen=True)
class SpanView:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class SpanDisagreement:
    """Spans of A and B at one place that do not match strictly."""

    article: str
    start: int
    end: int
    kind: str                 # label, boundary, only-a, only-b, mixed
    snippet: str              # the text around the place, the place in [[...]]
    a: tuple[SpanView, ...]
    b: tuple[SpanView, ...]

    @property
    def a_labels(self) -> str:
        return " + ".join(f"{s.text} [{s.label}]" for s in self.a) or "-"

    @property
    def b_labels(self) -> str:
        return " + ".join(f"{s.text} [{s.label}]" for s in self.b) or "-"


@dataclass(frozen=True)
class RelationDisagreement:
    """A relation between two spans that A and B do not label alike."""

    article: str
    head: SpanView
    tail: SpanView
    a_label: str | None       # None: A has no relation from head to tail
    b_label: str | None
    kind: str                 # label, only-a, only-b
    note: str                 # e.g. when a side lacks one of the spans


@dataclass
class AgreementReport:
    articles: int
    only_in_a: list[str]
    only_in_b: list[str]
    spans_strict: Score
    spans_overlap: Score
    entities_strict: Score
    entities_overlap: Score
    triggers_strict: Score
    triggers_overlap: Score
    span_labels: dict[str, dict[str, Score]]   # label -> {"strict": .., "overlap": ..}
    relations: Score
    relation_labels: dict[str, Score]
    kappa: Kappa
    span_disagreements: list[SpanDisagreement] = field(default_factory=list)
    relation_disagreements: list[RelationDisagreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class TextMismatch(ValueError):
    """Two annotations paired by id whose texts differ: they are not of the same article."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        super().__init__(f"the text differs between A and B for article(s): {', '.join(ids)}")


def _key(s: Span) -> SpanKey:
    return (s.start, s.end, s.label)


def _overlap_matching(a: list[SpanKey], b: list[SpanKey]) -> int:
    """Size of a maximum one-to-one matching of same-label, overlapping spans (augmenting paths)."""
    by_label: dict[str, list[int]] = {}
    for j, y in enumerate(b):
        by_label.setdefault(y[2], []).append(j)
    adj = [[j for j in by_label.get(x[2], ()) if x[0] < b[j][1] and b[j][0] < x[1]] for x in a]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(a)) if adj[i])


def _tally(pairs: list[tuple[list[SpanKey], list[SpanKey]]], labels: set[str] | None) -> tuple[Score, Score]:
    a_n = b_n = strict = overlap = 0
    for a, b in pairs:
        if labels is not None:
            a = [k for k in a if k[2] in labels]
            b = [k for k in b if k[2] in labels]
        a_n, b_n = a_n + len(a), b_n + len(b)
        strict += sum((Counter(a) & Counter(b)).values())
        overlap += _overlap_matching(a, b)
    return Score.of(a_n, b_n, strict), Score.of(a_n, b_n, overlap)


def _rel_keys(art: Article) -> list[RelKey]:
    by_id = art.span_by_id()
    return [(_key(by_id[r.head]), r.label, _key(by_id[r.tail]))
            for r in art.relations if r.head in by_id and r.tail in by_id]


def _token_labels(art: Article) -> list[str]:
    tags = spans_to_bio(tokenize(art.text), [_key(s) for s in art.spans])
    return [t[2:] if t != "O" else "O" for t in tags]


def cohen_kappa(a: list[str], b: list[str]) -> Kappa:
    n = len(a)
    if n == 0:
        return Kappa(0, None, None, None)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    # Both sides giving every token one and the same label agree fully, though chance would too.
    kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
    return Kappa(n, observed, expected, kappa)


def _view(text: str, k: SpanKey) -> SpanView:
    return SpanView(k[0], k[1], k[2], text[k[0]:k[1]])


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    flat = lambda s: " ".join(s.split())  # noqa: E731
    return (("..." if start > width else "") + flat(left) + (" " if left[-1:].isspace() else "") +
            "[[" + flat(text[start:end]) + "]]" + (" " if right[:1].isspace() else "") + flat(right) +
            ("..." if end + width < len(text) else ""))


def _span_disagreements(art_id: str, text: str, a: list[SpanKey], b: list[SpanKey]) -> list[SpanDisagreement]:
    common = Counter(a) & Counter(b)
    left_a, left_b = list((Counter(a) - common).elements()), list((Counter(b) - common).elements())
    # Group unmatched spans that overlap (across sides and labels) into one place each.
    items = sorted([(k, "a") for k in left_a] + [(k, "b") for k in left_b])
    groups: list[list[tuple[SpanKey, str]]] = []
    end = -1
    for k, side in items:
        if groups and k[0] < end:
            groups[-1].append((k, side))
            end = max(end, k[1])
        else:
            groups.append([(k, side)])
            end = k[1]
    out = []
    for g in groups:
        sa = tuple(_view(text, k) for k, s in g if s == "a")
        sb = tuple(_view(text, k) for k, s in g if s == "b")
        start, stop = min(k[0] for k, _ in g), max(k[1] for k, _ in g)
        if not sb:
            kind = "only-a"
        elif not sa:
            kind = "only-b"
        elif len(sa) == len(sb) == 1 and (sa[0].start, sa[0].end) == (sb[0].start, sb[0].end):
            kind = "label"
        elif len(sa) == len(sb) == 1 and sa[0].label == sb[0].label:
            kind = "boundary"
        else:
            kind = "mixed"
        out.append(SpanDisagreement(art_id, start, stop, kind, _snippet(text, start, stop), sa, sb))
    return out


def _relation_disagreements(art_id: str, text: str, a: list[RelKey], b: list[RelKey],
                            a_spans: set[SpanKey], b_spans: set[SpanKey]) -> list[RelationDisagreement]:
    common = Counter(a) & Counter(b)
    left_a = list((Counter(a) - common).elements())
    left_b = list((Counter(b) - common).elements())
    by_pair_b: dict[tuple[SpanKey, SpanKey], list[str]] = {}
    for h, label, t in left_b:
        by_pair_b.setdefault((h, t), []).append(label)
    out = []

    def note(h: SpanKey, t: SpanKey, spans: set[SpanKey], side: str) -> str:
        missing = [role for role, k in (("head", h), ("tail", t)) if k not in spans]
        return f"{side} has no such {' and '.join(missing)} span" if missing else ""

    for h, label, t in left_a:
        others = by_pair_b.get((h, t))
        if others:
            out.append(RelationDisagreement(art_id, _view(text, h), _view(text, t), label, others.pop(0), "label", ""))
        else:
            out.append(RelationDisagreement(art_id, _view(text, h), _view(text, t), label, None, "only-a",
                                            note(h, t, b_spans, "B")))
    for (h, t), labels in by_pair_b.items():
        for label in labels:
            out.append(RelationDisagreement(art_id, _view(text, h), _view(text, t), None, label, "only-b",
                                            note(h, t, a_spans, "A")))
    return sorted(out, key=lambda d: (d.head.start, d.tail.start, d.a_label or "", d.b_label or ""))


def compare(a_articles: Iterable[Article], b_articles: Iterable[Article]) -> AgreementReport:
    """Agreement over the articles both sides hold (paired by id). Raises TextMismatch."""
    a_by = {art.id: art for art in a_articles}
    b_by = {art.id: art for art in b_articles}
    ids = [i for i in a_by if i in b_by]
    mismatched = [i for i in ids if a_by[i].text != b_by[i].text]
    if mismatched:
        raise TextMismatch(mismatched)

    span_pairs, rel_pairs = [], []
    tok_a: list[str] = []
    tok_b: list[str] = []
    span_dis: list[SpanDisagreement] = []
    rel_dis: list[RelationDisagreement] = []
    for i in ids:
        art_a, art_b = a_by[i], b_by[i]
        ka, kb = [_key(s) for s in art_a.spans], [_key(s) for s in art_b.spans]
        ra, rb = _rel_keys(art_a), _rel_keys(art_b)
        span_pairs.append((ka, kb))
        rel_pairs.append((ra, rb))
        tok_a += _token_labels(art_a)
        tok_b += _token_labels(art_b)
        span_dis += _span_disagreements(i, art_a.text, ka, kb)
        rel_dis += _relation_disagreements(i, art_a.text, ra, rb, set(ka), set(kb))

    used = {k[2] for ka, kb in span_pairs for k in ka + kb}
    span_labels = {label: dict(zip(("strict", "overlap"), _tally(span_pairs, {label})))
                   for label in list(schema.SPAN_LABELS) + sorted(used - set(schema.SPAN_LABELS)) if label in used}

    rel_a_n = sum(len(ra) for ra, _ in rel_pairs)
    rel_b_n = sum(len(rb) for _, rb in rel_pairs)
    rel_match = sum(sum((Counter(ra) & Counter(rb)).values()) for ra, rb in rel_pairs)
    rel_used = {r[1] for ra, rb in rel_pairs for r in ra + rb}
    relation_labels = {}
    for label in list(schema.RELATION_LABELS) + sorted(rel_used - set(schema.RELATION_LABELS)):
        if label not in rel_used:
            continue
        pa = [[r for r in ra if r[1] == label] for ra, _ in rel_pairs]
        pb = [[r for r in rb if r[1] == label] for _, rb in rel_pairs]
        relation_labels[label] = Score.of(sum(map(len, pa)), sum(map(len, pb)),
                                          sum(sum((Counter(x) & Counter(y)).values()) for x, y in zip(pa, pb)))

    entities, triggers = set(schema.ENTITY_LABELS), set(schema.TRIGGER_LABELS)
    spans_strict, spans_overlap = _tally(span_pairs, None)
    ent_s, ent_o = _tally(span_pairs, entities)
    trg_s, trg_o = _tally(span_pairs, triggers)
    return AgreementReport(
        articles=len(ids),
        only_in_a=sorted(set(a_by) - set(b_by)),
        only_in_b=sorted(set(b_by) - set(a_by)),
        spans_strict=spans_strict, spans_overlap=spans_overlap,
        entities_strict=ent_s, entities_overlap=ent_o,
        triggers_strict=trg_s, triggers_overlap=trg_o,
        span_labels=span_labels,
        relations=Score.of(rel_a_n, rel_b_n, rel_match),
        relation_labels=relation_labels,
        kappa=cohen_kappa(tok_a, tok_b),
        span_disagreements=span_dis,
        relation_disagreements=rel_dis,
    )


def _fmt(x: float | None) -> str | float:
    return "-" if x is None else round(x, 3)


def _score_row(name: str, s: Score) -> list:
    return [name, s.a, s.b, s.matched, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1)]


def render(report: AgreementReport, markdown: bool = False, disagreements: bool = False) -> str:
    """The report as tables (plain text or Markdown); with ``disagreements``, the list to adjudicate."""
    from conflict_ie.annotations.stats import format_table

    h = (lambda t: f"## {t}") if markdown else (lambda t: f"{t}\n{'=' * len(t)}")
    t = lambda headers, rows: format_table(headers, rows, markdown)  # noqa: E731
    score_cols = ["measure", "A", "B", "matched", "P", "R", "F1"]
    parts = [f"{report.articles} article(s) annotated on both sides (P and R read B against A)"]
    if report.only_in_a:
        parts.append(f"only in A ({len(report.only_in_a)}): {', '.join(report.only_in_a)}")
    if report.only_in_b:
        parts.append(f"only in B ({len(report.only_in_b)}): {', '.join(report.only_in_b)}")
    parts += [h("Agreement"), t(score_cols, [
        _score_row("spans strict", report.spans_strict), _score_row("spans overlap", report.spans_overlap),
        _score_row("entities strict", report.entities_strict), _score_row("entities overlap", report.entities_overlap),
        _score_row("triggers strict", report.triggers_strict), _score_row("triggers overlap", report.triggers_overlap),
        _score_row("relations strict", report.relations),
    ])]
    k = report.kappa
    parts.append(t(["token kappa", "tokens", "observed", "expected", "kappa"],
                   [["Cohen's kappa", k.tokens, _fmt(k.observed), _fmt(k.expected), _fmt(k.kappa)]]))
    parts += [h("Span labels"), t(["label", "A", "B", "strict F1", "overlap F1"], [
        [label, sc["strict"].a, sc["strict"].b, _fmt(sc["strict"].f1), _fmt(sc["overlap"].f1)]
        for label, sc in report.span_labels.items()])]
    parts += [h("Relation labels"), t(["relation", "A", "B", "matched", "F1"], [
        [label, sc.a, sc.b, sc.matched, _fmt(sc.f1)] for label, sc in report.relation_labels.items()])]
    kinds = Counter(d.kind for d in report.span_disagreements)
    rkinds = Counter(d.kind for d in report.relation_disagreements)
    parts.append(f"{len(report.span_disagreements)} span disagreement(s)"
                 + (f" ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})" if kinds else "")
                 + f"; {len(report.relation_disagreements)} relation disagreement(s)"
                 + (f" ({', '.join(f'{n} {k}' for k, n in sorted(rkinds.items()))})" if rkinds else ""))
    if disagreements:
        parts += [h("Span disagreements"), t(["article", "chars", "kind", "A", "B", "context"], [
            [d.article, f"{d.start}-{d.end}", d.kind, d.a_labels, d.b_labels, d.snippet]
            for d in report.span_disagreements]) if report.span_disagreements else "none"]
        parts += [h("Relation disagreements"), t(["article", "head", "A", "B", "tail", "note"], [
            [d.article, f"{d.head.text} [{d.head.label}] {d.head.start}-{d.head.end}", d.a_label or "-",
             d.b_label or "-", f"{d.tail.text} [{d.tail.label}] {d.tail.start}-{d.tail.end}", d.note]
            for d in report.relation_disagreements]) if report.relation_disagreements else "none"]
    return "\n\n".join(parts) + "\n"
