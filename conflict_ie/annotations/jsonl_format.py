"""Reading the canonical standoff JSONL (one article per line), collecting errors."""

from __future__ import annotations

import json
from typing import Any

from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import REQUIRED_METADATA, Article, Relation, Span
from conflict_ie.annotations.source_map import SourceMap

SUFFIX = ".jsonl"
_STR_KEYS = ("id", "title", "published", "source_style", "conflict", "split", "annotator", "text")


def parse_line(line: str, path: str, lineno: int) -> tuple[Article | None, list[Diagnostic], SourceMap]:
    smap = SourceMap(path, line=lineno)
    diags: list[Diagnostic] = []

    def err(code: str, msg: str, char: int | None = None) -> None:
        diags.append(Diagnostic(path, lineno, 1, code, msg, char))

    try:
        d: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        diags.append(Diagnostic(path, lineno, exc.colno, "bad-json", f"not valid JSON: {exc.msg}"))
        return None, diags, smap
    if not isinstance(d, dict):
        err("bad-record", "each line must be a JSON object (one article)")
        return None, diags, smap
    for key in REQUIRED_METADATA + ("text",):
        if key not in d:
            err("missing-metadata" if key != "text" else "missing-text", f"required key {key!r} is missing")
    for key in _STR_KEYS:
        if key in d and not isinstance(d[key], str):
            err("bad-type", f"{key!r} must be a string")
    countries = d.get("countries", [])
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        err("bad-type", "'countries' must be a list of strings")
        countries = []
    text = d.get("text") if isinstance(d.get("text"), str) else ""

    spans: list[Span] = []
    for i, s in enumerate(d.get("spans") or []):
        try:
            spans.append(Span(str(s["id"]), str(s["label"]), int(s["start"]), int(s["end"]),
                              str(s.get("text", text[int(s["start"]):int(s["end"])]))))
        except (KeyError, TypeError, ValueError):
            err("bad-span", f"span #{i + 1} needs id, label, start and end (integers)")
    relations: list[Relation] = []
    for i, r in enumerate(d.get("relations") or []):
        try:
            relations.append(Relation(str(r["head"]), str(r["label"]), str(r["tail"])))
        except (KeyError, TypeError):
            err("bad-relation", f"relation #{i + 1} needs head, label and tail")

    def s(key: str) -> str:
        v = d.get(key, "")
        return v if isinstance(v, str) else ""

    art = Article(
        id=s("id"), title=s("title"), published=s("published"), source_style=s("source_style"),
        countries=list(countries), conflict=s("conflict"), split=s("split"), annotator=s("annotator"),
        notes=s("notes"), text=text, spans=spans, relations=relations,
    )
    return art, diags, smap
