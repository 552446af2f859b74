"""Event records as ACLED-like CSV rows (one row per event)."""

from __future__ import annotations

from conflict_ie.extract.types import DocumentResult, EventRecord

COLUMNS = [
    "article_id", "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "conflict_ie_type",
    "actor1", "actor1_country", "actor2", "actor2_country", "participants", "country", "iso", "location",
    "latitude", "longitude", "geo_precision", "source", "fatalities", "fatality_claims", "injury_claims",
    "displaced_claims", "historical", "confidence", "trigger", "trigger_start", "trigger_end",
]


def _claims(claims) -> str:
    parts = []
    for c in claims:
        n = c.count.text if c.count else "?"
        who = ", ".join(s.text for s in c.sources) or "unattributed"
        victims = ", ".join(v.text for v in c.victims)
        parts.append(f"{n}{' ' + victims if victims else ''} ({who})")
    return "; ".join(parts)


def event_row(doc: DocumentResult, ev: EventRecord) -> dict[str, object]:
    loc = next((l for l in ev.locations if l.latitude is not None), ev.locations[0] if ev.locations else None)
    a1 = ev.actors[0] if ev.actors else None
    a2 = ev.targets[0] if ev.targets else None
    counts = [c.count.best for c in ev.fatalities if c.count and c.count.best is not None]
    precision = ev.date.precision if ev.date else None
    return {
        "article_id": doc.id or "", "event_id": ev.event_id,
        "event_date": ev.date.iso if ev.date and ev.date.iso else "",
        "time_precision": {"day": 1, "week": 2, "month": 2, "year": 3, "decade": 3}.get(precision, ""),
        "event_type": ev.acled_event_type or "", "sub_event_type": ev.acled_sub_event_type or "",
        "conflict_ie_type": ev.event_type,
        "actor1": a1.text if a1 else "", "actor1_country": (a1.country or "") if a1 else "",
        "actor2": a2.text if a2 else "", "actor2_country": (a2.country or "") if a2 else "",
        "participants": "; ".join(p.text for p in ev.participants),
        "country": (loc.country or "") if loc else "", "iso": (loc.country_code or "") if loc else "",
        "location": loc.text if loc else "", "latitude": loc.latitude if loc and loc.latitude is not None else "",
        "longitude": loc.longitude if loc and loc.longitude is not None else "",
        "geo_precision": (loc.geo_precision or "") if loc else "",
        "source": "; ".join(s.text for s in ev.sources),
        # ACLED's conservative rule: the lowest figure claimed; every claim is kept in fatality_claims.
        "fatalities": min(counts) if counts else "",
        "fatality_claims": _claims(ev.fatalities), "injury_claims": _claims(ev.injuries),
        "displaced_claims": _claims(ev.displaced),
        "historical": int(ev.historical), "confidence": ev.confidence,
        "trigger": ev.triggers[0].text, "trigger_start": ev.triggers[0].start, "trigger_end": ev.triggers[0].end,
    }
