"""Typed results of extraction: spans, relations and the event records of schema section 3.

All offsets are document character offsets into the text that was passed in,
so ``text[start:end] == span.text`` always holds. ``DocumentResult.model_json_schema()``
is the published JSON Schema of the output.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanOut(_Model):
    text: str
    label: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(1.0, ge=0.0, le=1.0)


class RelationOut(_Model):
    head: SpanOut
    tail: SpanOut
    label: str
    score: float = Field(1.0, ge=0.0, le=1.0)


class Mention(_Model):
    """One trigger mention of an event."""

    text: str
    label: str
    start: int
    end: int
    score: float = 1.0


class Argument(_Model):
    """An actor, target, participant, victim or source of an event."""

    text: str
    label: str
    start: int
    end: int
    score: float = 1.0
    country: str | None = Field(None, description="country name, where a demonym or affiliation says so")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2 code of `country`")


class Location(_Model):
    text: str
    label: Literal["GPE", "LOC"]
    start: int
    end: int
    score: float = 1.0
    country: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: Literal["city", "admin", "country"] | None = Field(
        None, description="what the coordinates stand for; None where the place was not resolved")


class DateInfo(_Model):
    text: str
    start: int
    end: int
    iso: str | None = Field(None, description="normalised date: YYYY-MM-DD, YYYY-MM or YYYY by precision")
    precision: Literal["day", "week", "month", "year", "decade"] | None = None


class Count(_Model):
    """A parsed count of people: 'at least 50' -> min 50, max None, approximate."""

    text: str
    start: int
    end: int
    min: int | None
    max: int | None
    exact: bool
    best: int | None = Field(None, description="single figure by ACLED's conventions for vague amounts")


class CasualtyClaim(_Model):
    """One claim of deaths or injuries, with who suffered them and who said so.

    Claims from different sources are kept side by side, never summed or merged."""

    trigger: Mention
    count: Count | None = None
    victims: list[Argument] = Field(default_factory=list)
    sources: list[Argument] = Field(default_factory=list)
    date: DateInfo | None = None


class EventRecord(_Model):
    event_id: str
    event_type: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    triggers: list[Mention]
    actors: list[Argument] = Field(default_factory=list)
    targets: list[Argument] = Field(default_factory=list)
    participants: list[Argument] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    instruments: list[Argument] = Field(default_factory=list)
    date: DateInfo | None = None
    fatalities: list[CasualtyClaim] = Field(default_factory=list)
    injuries: list[CasualtyClaim] = Field(default_factory=list)
    displaced: list[CasualtyClaim] = Field(default_factory=list)
    counts: list[Count] = Field(default_factory=list, description="COUNT of the event itself: arrested, protesters, abducted")
    sources: list[Argument] = Field(default_factory=list)
    historical: bool = False
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    evidence: list[tuple[int, int]] = Field(default_factory=list, description="sentence offsets backing the record")


class DocumentResult(_Model):
    id: str | None = None
    title: str | None = None
    published: str | None = None
    text_length: int
    spans: list[SpanOut] = Field(default_factory=list)
    relations: list[RelationOut] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = Field(None, description="set when this article could not be processed; the batch goes on")
