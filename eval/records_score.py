"""Scoring event records (schema section 3) against gold records, document by document.

Records are matched one to one within a document: a predicted record can match
a gold record of the same ``event_type`` whose triggers overlap its own; pairs
are taken greedily, most overlapping characters first. Detection is scored on
those matches. Each argument field is then scored end to end: every gold item
counts towards recall and every predicted item towards precision, but an item
can be correct only inside a matched pair of records (an actor of a missed
event is a missed actor).

Fields and how an item is identified:

* actors, targets, locations, sources: exact (start, end) offsets;
* date: the normalised ISO string (a record has at most one; no ISO, no item);
* fatalities: claims that carry a parsed count (a claim without a count cannot
  be compared), two views: ``fatalities_exact`` (``min`` and ``max`` both
  equal) and ``fatalities_range`` (exact, or the gold count's point value
  lies inside the predicted [min, max], or the predicted one inside the gold
  range; an open bound is unbounded, "at least 50" is [50, inf)). Claims
  are matched one to one (maximum bipartite matching) within a record pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from conflict_ie.eval.metrics import Counts, PRF, Scores, scores_from_counts
from conflict_ie.extract.types import CasualtyClaim, Count, EventRecord

RECORD_FIELDS: tuple[str, ...] = (
    "actors", "targets", "locations", "date", "fatalities_exact", "fatalities_range", "sources",
)


@dataclass
class RecordScores:
    detection: Scores  # per event_type, micro and macro
    fields: dict[str, PRF]  # keyed by RECORD_FIELDS
    documents: int


def trigger_overlap(a: EventRecord, b: EventRecord) -> int:
    """Characters shared by the trigger mentions of two records."""
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a.triggers for y in b.triggers)


def match_records(gold: Sequence[EventRecord], pred: Sequence[EventRecord]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: same type, overlapping triggers, greedy by overlap."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g.event_type == p.event_type:
                ov = trigger_overlap(g, p)
                if ov > 0:
                    candidates.append((-ov, i, j))
    candidates.sort()  # most overlap first; ties by reading order of gold, then pred
    used_g, used_p, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


# ---------------------------------------------------------------- counts

def _bounds(c: Count) -> tuple[float, float] | None:
    """The range a count states: 'at least 50' is [50, inf); None when it states nothing."""
    if c.min is None and c.max is None:
        return None if c.best is None else (c.best, c.best)
    return (c.min if c.min is not None else 0, c.max if c.max is not None else math.inf)


def _point(c: Count) -> float | None:
    """The single figure of a count: ``best``, else the bound it has (min first)."""
    if c.best is not None:
        return c.best
    if c.min is not None:
        return c.min
    return c.max


def counts_exact(gold: Count, pred: Count) -> bool:
    return (gold.min, gold.max) == (pred.min, pred.max) and (gold.min is not None or gold.max is not None)


def counts_within_range(gold: Count, pred: Count) -> bool:
    """Equal counts, or either side's point value inside the other side's [min, max].

    Equal counts are checked first so that "within range" always includes
    "exact": a parser may give ``best`` outside its own bounds ("more than
    6,500": min 6501, best 6500), and such a count must still match itself.
    """
    if counts_exact(gold, pred):
        return True
    for a, b in ((gold, pred), (pred, gold)):
        x, rng = _point(a), _bounds(b)
        if x is not None and rng is not None and rng[0] <= x <= rng[1]:
            return True
    return False


def _max_matching(n_left: int, n_right: int, ok: Callable[[int, int], bool]) -> int:
    """Size of a maximum bipartite matching (Kuhn's augmenting paths; the sets are tiny)."""
    match_right: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(n_right):
            if j not in seen and ok(i, j):
                seen.add(j)
                if j not in match_right or augment(match_right[j], seen):
                    match_right[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(n_left))


def _claims(record: EventRecord | None) -> list[CasualtyClaim]:
    return [] if record is None else [c for c in record.fatalities if c.count is not None]


def _offsets(items) -> set[tuple[int, int]]:
    return {(x.start, x.end) for x in items}


def _field_counts(g: EventRecord | None, p: EventRecord | None) -> dict[str, Counts]:
    """Counts of every field for a matched pair, or for an unmatched record (the other side None)."""
    out: dict[str, Counts] = {}
    for name in ("actors", "targets", "locations", "sources"):
        gs = _offsets(getattr(g, name)) if g is not None else set()
        ps = _offsets(getattr(p, name)) if p is not None else set()
        out[name] = Counts(len(gs), len(ps), len(gs & ps) if g is not None and p is not None else 0)
    g_iso = g.date.iso if g is not None and g.date is not None else None
    p_iso = p.date.iso if p is not None and p.date is not None else None
    out["date"] = Counts(int(g_iso is not None), int(p_iso is not None),
                         int(g_iso is not None and g_iso == p_iso))
    gc, pc = _claims(g), _claims(p)
    for name, same in (("fatalities_exact", counts_exact), ("fatalities_range", counts_within_range)):
        correct = _max_matching(len(gc), len(pc), lambda i, j: same(gc[i].count, pc[j].count))
        out[name] = Counts(len(gc), len(pc), correct)
    return out


def record_doc_counts(gold: Sequence[EventRecord], pred: Sequence[EventRecord]) -> tuple[dict[str, Counts], dict[str, Counts]]:
    """(detection counts per event type, field counts) for one document."""
    pairs = match_records(gold, pred)
    detection: dict[str, Counts] = {}
    for r in gold:
        detection[r.event_type] = detection.get(r.event_type, Counts()) + Counts(gold=1)
    for r in pred:
        detection[r.event_type] = detection.get(r.event_type, Counts()) + Counts(predicted=1)
    for i, _ in pairs:
        detection[gold[i].event_type] = detection[gold[i].event_type] + Counts(correct=1)

    fields = {name: Counts() for name in RECORD_FIELDS}
    matched_g, matched_p = {i for i, _ in pairs}, {j for _, j in pairs}
    units = [(gold[i], pred[j]) for i, j in pairs]
    units += [(gold[i], None) for i in range(len(gold)) if i not in matched_g]
    units += [(None, pred[j]) for j in range(len(pred)) if j not in matched_p]
    for g, p in units:
        for name, c in _field_counts(g, p).items():
            fields[name] = fields[name] + c
    return detection, fields


def score_records(gold_docs: Sequence[Sequence[EventRecord]], pred_docs: Sequence[Sequence[EventRecord]],
                  event_types: Sequence[str] | None = None) -> RecordScores:
    """Score predicted records against gold records; the two lists are aligned by document.

    ``event_types`` orders the rows of the per-type detection table; types seen
    in the records but not listed are appended (sorted), so nothing is dropped.
    """
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"record lists are not aligned: {len(gold_docs)} gold document(s), "
                         f"{len(pred_docs)} predicted")
    det_docs, totals = [], {name: Counts() for name in RECORD_FIELDS}
    for g, p in zip(gold_docs, pred_docs):
        det, fields = record_doc_counts(g, p)
        det_docs.append(det)
        for name, c in fields.items():
            totals[name] = totals[name] + c
    listed = tuple(event_types or ())
    rows = listed + tuple(sorted({t for d in det_docs for t in d} - set(listed)))
    return RecordScores(scores_from_counts(det_docs, rows),
                        {name: PRF.from_counts(c) for name, c in totals.items()}, len(gold_docs))
