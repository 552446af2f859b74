"""Schema checks on one parsed article, and on a set of articles together."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from conflict_ie import schema
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import Article
from conflict_ie.annotations.source_map import SourceMap

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SPAN_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_MARK_LINES = ("=== text", "=== relations")


def _is_word_char(ch: str) -> bool:
    # The same characters as the tokenizer's \w (alphanumerics and "_"), so that a
    # span that does not cut a word always starts and ends on a token boundary.
    return ch.isalnum() or ch == "_"


def check_article(art: Article, smap: SourceMap) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    path = smap.path

    def meta_err(key: str, code: str, msg: str) -> None:
        line, col = smap.meta_pos(key)
        diags.append(Diagnostic(path, line, col, code, msg))

    # Metadata.
    for key in ("id", "title", "published", "source_style", "conflict", "split", "annotator"):
        if not getattr(art, key).strip():
            meta_err(key, "missing-metadata", f"metadata {key!r} is missing or empty")
    if art.id and not ID_RE.match(art.id):
        meta_err("id", "bad-id", f"article id {art.id!r} may hold only letters, digits, '.', '_' and '-'")
    if art.published:
        try:
            dt.date.fromisoformat(art.published)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", art.published):
                raise ValueError
        except ValueError:
            meta_err("published", "bad-date", f"published {art.published!r} is not an ISO date YYYY-MM-DD")
    if art.source_style and art.source_style not in schema.SOURCE_STYLES:
        meta_err("source_style", "bad-source-style",
                 f"unknown source_style {art.source_style!r}; one of: {', '.join(schema.SOURCE_STYLES)}")
    if art.split and art.split not in schema.SPLITS:
        meta_err("split", "bad-split", f"unknown split {art.split!r}; one of: {', '.join(schema.SPLITS)}")
    if not art.countries:
        meta_err("countries", "missing-metadata", "metadata 'countries' is missing or empty")

    # Text.
    text = art.text
    if not text.strip():
        diags.append(Diagnostic(path, smap.line, 1, "empty-text", "the article has no text"))
    if unicodedata.normalize("NFC", text) != text:
        diags.append(Diagnostic(path, smap.line, 1, "not-nfc", "the text is not NFC-normalised"))
    for mark in _MARK_LINES:
        if mark in text.split("\n"):
            diags.append(Diagnostic(path, smap.line, 1, "reserved-line", f"the text holds a line {mark!r}, reserved by the .cie format"))

    # Spans, one at a time.
    seen_ids: dict[str, int] = {}
    valid: list[tuple[int, object]] = []
    for i, sp in enumerate(art.spans):
        line, col = smap.span_pos(i)

        def span_err(code: str, msg: str, char: int | None = sp.start) -> None:
            diags.append(Diagnostic(path, line, col, code, f"span {sp.id!r} [{sp.label}]: {msg}", char))

        if not SPAN_ID_RE.match(sp.id):
            span_err("bad-span-id", "span ids start with a letter and hold letters, digits, '_' or '-'")
        if sp.id in seen_ids:
            span_err("duplicate-span-id", f"id already used by span #{seen_ids[sp.id] + 1}")
        else:
            seen_ids[sp.id] = i
        if sp.label not in schema.SPAN_LABELS:
            span_err("unknown-label", f"unknown span label {sp.label!r}")
        if not (0 <= sp.start < sp.end <= len(text)):
            span_err("bad-offsets", f"offsets {sp.start}..{sp.end} are empty or outside the text (length {len(text)})")
            continue
        covered = text[sp.start:sp.end]
        if covered != sp.text:
            span_err("text-mismatch", f"text[{sp.start}:{sp.end}] is {covered!r}, the span says {sp.text!r}")
        if covered != covered.strip():
            span_err("outer-whitespace", f"span text {covered!r} starts or ends with whitespace")
        if "\n" in covered:
            span_err("multiline-span", "a span may not cross a line break")
        if sp.start > 0 and _is_word_char(text[sp.start - 1]) and _is_word_char(text[sp.start]):
            span_err("cuts-word", f"span starts inside the word {_word_at(text, sp.start)!r}")
        if sp.end < len(text) and _is_word_char(text[sp.end - 1]) and _is_word_char(text[sp.end]):
            span_err("cuts-word", f"span ends inside the word {_word_at(text, sp.end - 1)!r}", sp.end)
        valid.append((i, sp))

    # Spans against each other: the layer is flat.
    ordered = sorted(valid, key=lambda t: (t[1].start, -t[1].end))
    for (i, a), (j, b) in zip(ordered, ordered[1:]):
        if b.start < a.end:
            line, col = smap.span_pos(j)
            kind = "nested-span" if b.end <= a.end else "overlapping-spans"
            diags.append(Diagnostic(path, line, col, kind,
                                    f"span {b.id!r} [{b.label}] {b.start}..{b.end} lies inside or across span {a.id!r} [{a.label}] {a.start}..{a.end}; spans are flat",
                                    b.start))

    # Relations.
    by_id = {sp.id: sp for sp in art.spans}
    seen_rel: dict[tuple[str, str, str], int] = {}
    for i, rel in enumerate(art.relations):
        line, col = smap.relation_pos(i)

        def rel_err(code: str, msg: str) -> None:
            diags.append(Diagnostic(path, line, col, code, f"relation {rel.head} {rel.label} {rel.tail}: {msg}"))

        key = (rel.head, rel.label, rel.tail)
        if key in seen_rel:
            rel_err("duplicate-relation", f"same as relation #{seen_rel[key] + 1}")
        else:
            seen_rel[key] = i
        rtype = schema.RELATION_TYPES.get(rel.label)
        if rtype is None:
            rel_err("unknown-relation", f"unknown relation label {rel.label!r}; one of: {', '.join(schema.RELATION_LABELS)}")
        head, tail = by_id.get(rel.head), by_id.get(rel.tail)
        for role, sid, sp in (("head", rel.head, head), ("tail", rel.tail, tail)):
            if sp is None:
                rel_err("dangling-id", f"{role} {sid!r} is no span id in this article")
        if head is None or tail is None or rtype is None:
            continue
        if rel.head == rel.tail:
            rel_err("self-relation", "a span cannot relate to itself")
            continue
        if rel.label == "COREF":
            if head.label != tail.label:
                rel_err("coref-across-labels", f"COREF joins mentions of one label, not {head.label} and {tail.label}")
            elif head.start < tail.start:
                rel_err("coref-direction", "COREF head is the later mention and tail the earlier; swap them")
        elif not rtype.allows(head.label, tail.label):
            rel_err("relation-labels", f"{rel.label} takes head {'/'.join(sorted(rtype.heads))} and tail "
                                       f"{'/'.join(sorted(rtype.tails))}, not {head.label} -> {tail.label}")
    return diags


def _word_at(text: str, i: int) -> str:
    a = i
    while a > 0 and _is_word_char(text[a - 1]):
        a -= 1
    b = i
    while b < len(text) and _is_word_char(text[b]):
        b += 1
    return text[a:b]


def text_fingerprint(text: str) -> str:
    """Hash of the text with whitespace and case folded: catches re-saved duplicates."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def check_collection(items: list[tuple[Article, SourceMap]]) -> list[Diagnostic]:
    """Checks across articles: duplicate ids and duplicate texts.

    The same article annotated by two different annotators (double annotation
    for agreement) is a parallel annotation, not a duplicate, but the two must
    share the text exactly.
    """
    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str], SourceMap] = {}  # (id, annotator) -> where
    text_of: dict[str, tuple[str, SourceMap]] = {}  # id -> (fingerprint, where)
    ids_of_text: dict[str, tuple[str, SourceMap]] = {}  # fingerprint -> (id, where)
    for art, smap in items:
        line, col = smap.meta_pos("id")
        fp = text_fingerprint(art.text) if art.text.strip() else ""
        if (art.id, art.annotator) in seen:
            first = seen[(art.id, art.annotator)]
            diags.append(Diagnostic(smap.path, line, col, "duplicate-article",
                                    f"article id {art.id!r} is also used in {first.path}:{first.line}"))
            continue
        if art.id:
            seen[(art.id, art.annotator)] = smap
            if art.id in text_of and text_of[art.id][0] != fp:
                other = text_of[art.id][1]
                diags.append(Diagnostic(smap.path, line, col, "parallel-text-differs",
                                        f"article {art.id!r} is annotated again (annotator {art.annotator!r}) but its "
                                        f"text differs from {other.path}"))
            text_of.setdefault(art.id, (fp, smap))
        if fp:
            if fp in ids_of_text and ids_of_text[fp][0] != art.id:
                other_id, other = ids_of_text[fp]
                diags.append(Diagnostic(smap.path, smap.line, 1, "duplicate-article",
                                        f"article {art.id!r} has the same text as {other_id!r} ({other.path})"))
            ids_of_text.setdefault(fp, (art.id, smap))
    return diags
