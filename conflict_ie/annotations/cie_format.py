"""The ``.cie`` format: one article per file, written and reviewed by hand.

::

    id: arm-aze-2022-09-13-wire
    title: Dozens of soldiers killed in Armenia-Azerbaijan border clashes
    published: 2022-09-13
    source_style: wire
    countries: Armenia; Azerbaijan
    conflict: Armenia-Azerbaijan border conflict
    split: train
    annotator: a1
    === text
    [Azerbaijan's Defence Ministry]{ORG o1} said [50]{NUM n1} soldiers were [killed]{DEATH d1}.
    === relations
    d1 SOURCE o1
    d1 COUNT n1

Spans are ``[text]{LABEL id}``; a literal ``[``, ``]`` or ``\\`` in the article
is written ``\\[``, ``\\]``, ``\\\\``. The text is everything between the
``=== text`` line and the last ``=== relations`` line, newlines kept. Relations
are ``HEAD LABEL TAIL`` by span id, one per line. ``render`` writes the canonical
form; ``parse(render(a))`` gives ``a`` back exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import METADATA_KEYS, REQUIRED_METADATA, Article, Relation, Span
from conflict_ie.annotations.source_map import SourceMap

SUFFIX = ".cie"
TEXT_MARK = "=== text"
RELATIONS_MARK = "=== relations"
_ANNOT = re.compile(r"\{([^\s{}]+) ([^\s{}]+)\}")
_ESCAPABLE = "[]\\{}"


@dataclass
class Parsed:
    article: Article | None
    diagnostics: list[Diagnostic]
    source_map: SourceMap


def parse(source: str, path: str = "<string>") -> Parsed:
    """Parse a ``.cie`` file, collecting every error rather than stopping at the first."""
    diags: list[Diagnostic] = []
    smap = SourceMap(path)

    def err(line: int, col: int, code: str, msg: str, char: int | None = None) -> None:
        diags.append(Diagnostic(path, line, col, code, msg, char))

    lines = source.split("\n")
    try:
        text_idx = lines.index(TEXT_MARK)
    except ValueError:
        err(1, 1, "missing-text-section", f"no '{TEXT_MARK}' line: the file has no article text section")
        return Parsed(None, diags, smap)

    meta: dict[str, str] = {}
    for i, line in enumerate(lines[:text_idx], start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep:
            err(i, 1, "bad-metadata", f"metadata line must be 'key: value', got {line[:40]!r}")
            continue
        if key not in METADATA_KEYS:
            err(i, 1, "unknown-metadata", f"unknown metadata key {key!r}; known keys: {', '.join(METADATA_KEYS)}")
            continue
        if key in meta:
            err(i, 1, "duplicate-metadata", f"metadata key {key!r} given twice (first on line {smap.meta[key]})")
            continue
        meta[key] = value.strip()
        smap.meta[key] = i
    for key in REQUIRED_METADATA:
        meta.setdefault(key, "")  # reported as missing by the checks, once

    rel_idx = max((i for i, l in enumerate(lines) if l == RELATIONS_MARK and i > text_idx), default=None)
    body_end = rel_idx if rel_idx is not None else len(lines)
    if rel_idx is None:
        err(len(lines), 1, "missing-relations-section", f"no '{RELATIONS_MARK}' line after the text (write it even with no relations)")
    body = "\n".join(lines[text_idx + 1:body_end])
    text, spans = _parse_body(body, text_idx + 2, err, smap)

    relations: list[Relation] = []
    if rel_idx is not None:
        for i, line in enumerate(lines[rel_idx + 1:], start=rel_idx + 2):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 3:
                err(i, 1, "bad-relation-line", f"a relation line is 'HEAD LABEL TAIL', got {line.strip()[:60]!r}")
                continue
            smap.relations[len(relations)] = (i, 1)
            relations.append(Relation(parts[0], parts[1], parts[2]))

    countries = [c.strip() for c in meta["countries"].split(";") if c.strip()]
    article = Article(
        id=meta["id"], title=meta["title"], published=meta["published"], source_style=meta["source_style"],
        countries=countries, conflict=meta["conflict"], split=meta["split"], annotator=meta["annotator"],
        notes=meta.get("notes", ""), text=text, spans=spans, relations=relations,
    )
    return Parsed(article, diags, smap)


def _parse_body(body: str, first_line: int, err, smap: SourceMap) -> tuple[str, list[Span]]:
    out: list[str] = []
    spans: list[Span] = []
    n = 0  # characters of article text emitted so far
    line, col = first_line, 1
    open_at: tuple[int, int, int] | None = None  # (text offset, line, col) of an open '['
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1] if i + 1 < len(body) else ""
            if nxt and nxt in _ESCAPABLE:
                out.append(nxt)
                n += 1
                i += 2
                col += 2
                continue
            err(line, col, "stray-backslash", "a lone backslash; write '\\\\' for a literal backslash", n)
            out.append(ch)
            n += 1
        elif ch == "[":
            if open_at is not None:
                err(line, col, "nested-span", f"span opened inside the span opened at line {open_at[1]}, column {open_at[2]}; spans cannot nest (write '\\[' for a literal bracket)", n)
            else:
                open_at = (n, line, col)
            i += 1
            col += 1
            continue
        elif ch == "]":
            m = _ANNOT.match(body, i + 1)
            if open_at is None:
                err(line, col, "unopened-span", "']' with no open span (write '\\]' for a literal bracket)", n)
                if m:
                    i = m.end()
                    col += 1 + len(m.group(0))
                    continue
            elif not m:
                err(line, col, "missing-label", "a span must be closed as ']{LABEL id}'", n)
                open_at = None
            else:
                start, sline, scol = open_at
                label, sid = m.group(1), m.group(2)
                smap.spans[len(spans)] = (sline, scol)
                spans.append(Span(sid, label, start, n, "".join(out[start:n])))
                open_at = None
                i = m.end()
                col += 1 + len(m.group(0))
                continue
            i += 1
            col += 1
            continue
        else:
            out.append(ch)
            n += 1
        if ch == "\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    if open_at is not None:
        err(open_at[1], open_at[2], "unclosed-span", "span opened here is never closed with ']{LABEL id}'", open_at[0])
    return "".join(out), spans


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def render(article: Article) -> str:
    """The canonical ``.cie`` text of an article. Raises ValueError on overlapping spans."""
    head = []
    for key in METADATA_KEYS:
        value = getattr(article, key)
        if key == "countries":
            value = "; ".join(value)
        if key == "notes" and not value:
            continue
        head.append(f"{key}: {value}")
    parts: list[str] = []
    pos = 0
    for span in article.sorted_spans():
        if span.start < pos:
            raise ValueError(f"article {article.id}: span {span.id} overlaps the span before it; .cie spans are flat")
        parts.append(_escape(article.text[pos:span.start]))
        parts.append(f"[{_escape(article.text[span.start:span.end])}]{{{span.label} {span.id}}}")
        pos = span.end
    parts.append(_escape(article.text[pos:]))
    rels = [f"{r.head} {r.label} {r.tail}" for r in article.relations]
    return "\n".join(head + [TEXT_MARK, "".join(parts), RELATIONS_MARK] + rels) + "\n"
