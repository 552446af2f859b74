"""Typed annotated articles and their canonical standoff JSONL form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


@dataclass(frozen=True)
class Span:
    """A labelled stretch of the article text: ``text[start:end]``."""

    id: str
    label: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Relation:
    """A directed relation between two spans of one article, by span id."""

    head: str
    label: str
    tail: str

    def to_dict(self) -> dict[str, Any]:
        return {"head": self.head, "label": self.label, "tail": self.tail}


# Metadata keys in the order they are written; all but ``notes`` are required.
METADATA_KEYS: tuple[str, ...] = (
    "id", "title", "published", "source_style", "countries", "conflict", "split", "annotator", "notes",
)
REQUIRED_METADATA: tuple[str, ...] = METADATA_KEYS[:-1]


@dataclass
class Article:
    """One annotated article: metadata, NFC text, flat spans and relations."""

    id: str
    title: str
    published: str
    source_style: str
    countries: list[str]
    conflict: str
    split: str
    annotator: str
    text: str
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    notes: str = ""

    def span_by_id(self) -> dict[str, Span]:
        return {s.id: s for s in self.spans}

    def sorted_spans(self) -> list[Span]:
        return sorted(self.spans, key=lambda s: (s.start, s.end))

    def word_count(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "source_style": self.source_style,
            "countries": list(self.countries),
            "conflict": self.conflict,
            "split": self.split,
            "annotator": self.annotator,
            "notes": self.notes,
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
            "relations": [r.to_dict() for r in self.relations],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        """Build from a trusted dict (as written by ``to_dict``); use
        ``conflict_ie.annotations.jsonl_format`` to read untrusted input."""
        return cls(
            id=d["id"], title=d["title"], published=d["published"], source_style=d["source_style"],
            countries=list(d["countries"]), conflict=d["conflict"], split=d["split"],
            annotator=d["annotator"], notes=d.get("notes", ""), text=d["text"],
            spans=[Span(s["id"], s["label"], s["start"], s["end"], s["text"]) for s in d["spans"]],
            relations=[Relation(r["head"], r["label"], r["tail"]) for r in d["relations"]],
        )

    def with_annotations(self, spans: list[Span], relations: list[Relation]) -> "Article":
        """The same article and metadata with other annotations (e.g. a model's)."""
        d = self.to_dict()
        d["spans"], d["relations"] = [], []
        art = Article.from_dict(d)
        art.spans, art.relations = list(spans), list(relations)
        return art


def dump_jsonl(articles: Iterable[Article]) -> Iterator[str]:
    for art in articles:
        yield json.dumps(art.to_dict(), ensure_ascii=False) + "\n"


def write_jsonl(articles: Iterable[Article], path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(dump_jsonl(articles))
