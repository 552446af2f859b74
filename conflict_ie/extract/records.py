"""Event records (schema section 3) from an annotated article, gold or predicted.

COREF clusters become one record; DEATH, INJURY and DISPLACEMENT fold into the
record of the event that is their CAUSE and stand alone only without one. Each
casualty mention with its own count is its own claim, with its victims and its
sources: claims are kept side by side, never summed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from conflict_ie import schema
from conflict_ie.annotations.document import Article, Span
from conflict_ie.extract import geo
from conflict_ie.extract.acled import acled_types
from conflict_ie.extract.dates import is_historical, resolve_date
from conflict_ie.extract.numbers import parse_count
from conflict_ie.extract.sentences import SentenceIndex
from conflict_ie.extract.types import (Argument, CasualtyClaim, Count, DateInfo, EventRecord, Location, Mention)

_TIME_OF_DAY = re.compile(r"^\W*(\d{1,4}(:\d\d)?\s*(gmt|utc|local time|hrs|hours|[ap]\.?m\.?)?|midnight|dawn|noon|overnight)\W*$")
_CLAIM_FIELD = {"DEATH": "fatalities", "INJURY": "injuries", "DISPLACEMENT": "displaced"}


class _UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _published(article: Article) -> dt.date | None:
    try:
        return dt.date.fromisoformat(article.published) if article.published else None
    except ValueError:
        return None


class RecordBuilder:
    """Builds records for one article; ``scores`` maps span ids and 'head LABEL tail' keys to model scores."""

    def __init__(self, article: Article, scores: dict[str, float] | None = None):
        self.art = article
        self.scores = scores or {}
        self.spans = {s.id: s for s in article.spans}
        self.published = _published(article)
        self.out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in article.relations:
            if r.head in self.spans and r.tail in self.spans:
                self.out[r.head][r.label].append(r.tail)
        self.sentences = SentenceIndex(article.text)
        # Countries the article is about: its metadata, and the countries its own text names.
        named = [s.text for s in article.spans if s.label == "GPE"]
        self.context_codes = frozenset(
            p.country_code for c in [*article.countries, *named]
            if (p := geo.geocode(c)) is not None and p.precision == "country")
        self._affiliation_cache: dict[str, geo.Place | None] = {}

    # Small builders ----------------------------------------------------------
    def score(self, key: str) -> float:
        return float(self.scores.get(key, 1.0))

    def country_of(self, span: Span, seen: frozenset[str] = frozenset()) -> geo.Place | None:
        if span.id in self._affiliation_cache:
            return self._affiliation_cache[span.id]
        place = None
        if span.label in ("GPE", "LOC"):
            place = geo.geocode(span.text, self.context_codes)
        if place is None:
            place = geo.country_of_mention(span.text)
        if place is None:  # follow AFFILIATION: "fighters of the RSF" -> RSF -> Sudan, "Pashinian" -> Armenia
            for tail_id in self.out[span.id].get("AFFILIATION", []):
                if tail_id not in seen:
                    place = self.country_of(self.spans[tail_id], seen | {span.id})
                    if place:
                        break
        if place is not None and place.precision == "city":
            place = geo.country(place.country_code)
        self._affiliation_cache[span.id] = place
        return place

    def argument(self, span_id: str) -> Argument:
        sp = self.spans[span_id]
        place = self.country_of(sp)
        return Argument(text=sp.text, label=sp.label, start=sp.start, end=sp.end, score=self.score(sp.id),
                        country=place.name if place else None, country_code=place.country_code if place else None)

    def location(self, span_id: str) -> Location:
        sp = self.spans[span_id]
        place = geo.geocode(sp.text, self.context_codes)
        return Location(text=sp.text, label=sp.label, start=sp.start, end=sp.end, score=self.score(sp.id),
                        country=place.country if place else None, country_code=place.country_code if place else None,
                        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
                        geo_precision=place.precision if place else None)

    def date(self, span_id: str) -> tuple[DateInfo, object]:
        sp = self.spans[span_id]
        res = resolve_date(sp.text, self.published)
        return DateInfo(text=sp.text, start=sp.start, end=sp.end, iso=res.iso if res else None,
                        precision=res.precision if res else None), res

    def best_date(self, span_ids: list[str]) -> tuple[DateInfo | None, object]:
        """The first TIME that resolves, preferring a day or period over a bare time of day ("0900 GMT")."""
        resolved = [self.date(i) for i in span_ids]
        ranked = sorted(resolved, key=lambda d: (d[1] is None, bool(_TIME_OF_DAY.search(d[0].text.lower()))))
        return ranked[0] if ranked else (None, None)

    def count(self, span_id: str) -> Count:
        sp = self.spans[span_id]
        return parse_count(sp.text, sp.start, sp.end)

    def mention(self, sp: Span) -> Mention:
        return Mention(text=sp.text, label=sp.label, start=sp.start, end=sp.end, score=self.score(sp.id))

    def tails(self, ids: list[str], label: str) -> list[str]:
        seen, out = set(), []
        for i in ids:
            for t in self.out[i].get(label, []):
                if t not in seen:
                    seen.add(t)
                    out.append(t)
        return out

    # Records -------------------------------------------------------------------
    def clusters(self) -> list[list[Span]]:
        triggers = [s for s in self.art.sorted_spans() if schema.is_trigger(s.label)]
        uf = _UnionFind([s.id for s in triggers])
        for r in self.art.relations:
            if r.label == "COREF" and r.head in uf.parent and r.tail in uf.parent \
                    and self.spans[r.head].label == self.spans[r.tail].label \
                    and not self._dated_apart(r.head, r.tail):
                uf.union(r.head, r.tail)
        groups: dict[str, list[Span]] = defaultdict(list)
        for s in triggers:
            groups[uf.find(s.id)].append(s)
        return sorted(groups.values(), key=lambda g: g[0].start)

    def _periods(self, trigger_id: str, follow_cause: bool = True) -> list:
        """Periods of a mention's own TIME tails; an undated casualty mention takes those of its CAUSE."""
        own = [res for t in self.out[trigger_id].get("TIME", []) if (res := self.date(t)[1]) is not None]
        if own or not follow_cause:
            return own
        return [p for c in self.out[trigger_id].get("CAUSE", []) if c in self.out
                for p in self._periods(c, follow_cause=False)]

    def _dated_apart(self, a: str, b: str) -> bool:
        """Whether two mentions carry their own dates that cannot overlap ("the 2020 war" and "a war in
        the 1990s"): one event cannot have both, so a COREF link between them is not followed."""
        pa, pb = self._periods(a), self._periods(b)
        return bool(pa and pb) and not any(x.first <= y.last and y.first <= x.last for x in pa for y in pb)

    def claims(self, cluster: list[Span]) -> list[CasualtyClaim]:
        """One claim per mention that states a count; mentions without one add nothing new."""
        with_count = [s for s in cluster if self.out[s.id].get("COUNT")]
        chosen = with_count or cluster[:1]
        claims = []
        for s in chosen:
            counts = [self.count(t) for t in self.out[s.id].get("COUNT", [])]
            victims = [self.argument(t) for t in self.tails([s.id] if with_count else [c.id for c in cluster], "VICTIM")]
            sources = [self.argument(t) for t in self.tails([s.id] if with_count else [c.id for c in cluster], "SOURCE")]
            times = self.out[s.id].get("TIME", [])
            claims.append(CasualtyClaim(trigger=self.mention(s), count=counts[0] if counts else None, victims=victims,
                                        sources=sources, date=self.date(times[0])[0] if times else None))
        return claims

    def build(self) -> list[EventRecord]:
        clusters = self.clusters()
        cluster_of = {s.id: i for i, c in enumerate(clusters) for s in c}
        folded: dict[int, list[int]] = defaultdict(list)  # event cluster -> outcome clusters
        standalone: list[int] = []
        for i, c in enumerate(clusters):
            if c[0].label not in schema.OUTCOME_LABELS:
                continue
            causes = [cluster_of[t] for s in c for t in self.out[s.id].get("CAUSE", []) if t in cluster_of]
            causes = [k for k in causes if clusters[k][0].label in schema.RECORD_LABELS]
            if causes:
                folded[causes[0]].append(i)
            else:
                standalone.append(i)
        records = []
        for i, c in enumerate(clusters):
            if c[0].label in schema.RECORD_LABELS or i in standalone:
                records.append(self.record(len(records) + 1, c, [clusters[k] for k in folded.get(i, [])]))
        _mark_interventions(records)
        return records

    def record(self, n: int, cluster: list[Span], outcomes: list[list[Span]]) -> EventRecord:
        ids = [s.id for s in cluster]
        label = cluster[0].label
        actors = [self.argument(t) for t in self.tails(ids, "ACTOR")]
        instruments = [self.argument(t) for t in self.tails(ids, "INSTRUMENT")]
        evidence = sorted({sent for s in cluster if (sent := self.sentences.containing(s.start))})
        words = " ".join([s.text for s in cluster] + [a.text for a in instruments]
                         + [self.art.text[a:b] for a, b in evidence]).lower()
        acled_event, acled_sub = acled_types(label, words, " ".join(a.text for a in actors).lower())
        date, resolved = self.best_date(self.tails(ids, "TIME"))
        fields: dict[str, list[CasualtyClaim]] = {"fatalities": [], "injuries": [], "displaced": []}
        if label in schema.OUTCOME_LABELS:
            fields[_CLAIM_FIELD[label]].extend(self.claims(cluster))
        for oc in outcomes:
            fields[_CLAIM_FIELD[oc[0].label]].extend(self.claims(oc))
        if date is None:  # an outcome may carry the only date ("killed on Tuesday in the shelling")
            for oc in outcomes:
                date, resolved = self.best_date(self.tails([s.id for s in oc], "TIME"))
                if date is not None:
                    break
        trigger_scores = [self.score(s.id) for s in cluster]
        return EventRecord(
            event_id=f"{self.art.id or 'doc'}-e{n}",
            event_type=label,
            acled_event_type=acled_event,
            acled_sub_event_type=acled_sub,
            triggers=[self.mention(s) for s in cluster],
            actors=actors,
            targets=[self.argument(t) for t in self.tails(ids, "TARGET")],
            participants=[self.argument(t) for t in self.tails(ids, "PARTICIPANT")],
            locations=[self.location(t) for t in self.tails(ids, "PLACE")],
            instruments=instruments,
            date=date,
            fatalities=fields["fatalities"], injuries=fields["injuries"], displaced=fields["displaced"],
            counts=[self.count(t) for t in self.tails(ids, "COUNT")] if label not in schema.OUTCOME_LABELS else [],
            sources=[self.argument(t) for t in self.tails(ids, "SOURCE")],
            historical=is_historical(resolved, self.published),
            confidence=round(sum(trigger_scores) / len(trigger_scores), 4),
            evidence=evidence,
        )


def _mark_interventions(records: list[EventRecord]) -> None:
    """ACLED's protest sub-types from structure: force or arrests aimed at a protest's participants."""
    force: dict[tuple[int, int], bool] = {}  # target offsets -> lethal?
    for r in records:
        if r.event_type in ("VIOLENCE_AGAINST_CIVILIANS", "ARREST"):
            lethal = r.event_type == "VIOLENCE_AGAINST_CIVILIANS" and bool(r.fatalities)
            for t in r.targets:
                force[(t.start, t.end)] = force.get((t.start, t.end), False) or lethal
    for r in records:
        if r.event_type != "PROTEST":
            continue
        hits = [force[(p.start, p.end)] for p in r.participants if (p.start, p.end) in force]
        if any(hits):
            r.acled_sub_event_type = "Excessive force against protesters"
        elif hits and r.acled_sub_event_type == "Peaceful protest":
            r.acled_sub_event_type = "Protest with intervention"


def build_records(article: Article, scores: dict[str, float] | None = None) -> list[EventRecord]:
    """Event records of one annotated article; ``article.published`` anchors relative dates."""
    return RecordBuilder(article, scores).build()
