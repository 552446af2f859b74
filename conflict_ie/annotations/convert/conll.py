"""CoNLL-style BIO (IOB2) over ``conflict_ie.annotations.tokenize`` tokens. Spans only.

::

    -DOCSTART-
    # meta = {"id": "arm-aze-001", "title": ..., "countries": [...], ...}
    # text = "Dozens of soldiers killed ..."
    # span_ids = ["s1", "s2", ...]

    Dozens<TAB>0<TAB>6<TAB>O
    ...

Columns: token, start, end, tag. The ``# text`` line keeps the exact article
text (a JSON string, so newlines and every character survive) and ``# meta``
the metadata, so ``import_`` rebuilds the article exactly, spans in reading
order with their ids, but without relations: BIO has no place for them, and
``export`` says how many it dropped. A blank line separates the tokens of two
lines of the text, so each paragraph reads as one block.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from conflict_ie.annotations.convert.base import (
    ConversionError, ExportResult, article_from_metadata, fail, metadata_dict, read_text, write_text,
)
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import Article, Span
from conflict_ie.annotations.source_map import SourceMap
from conflict_ie.annotations.tokenize import Token, bio_to_spans, spans_to_bio, tokenize

NAME = "conll"
SUFFIX = ".conll"
DOCSTART = "-DOCSTART-"
_COMMENT_KEYS = ("meta", "text", "span_ids")


def bio_tags(article: Article) -> tuple[list[Token], list[str]]:
    """The article's tokens and IOB2 tags; ValueError if a span cannot be said in BIO."""
    tokens = tokenize(article.text)
    ordered = article.sorted_spans()
    tags = spans_to_bio(tokens, [(s.start, s.end, s.label) for s in ordered])
    decoded = bio_to_spans(tokens, tags)
    if decoded != [(s.start, s.end, s.label) for s in ordered]:
        got = set(decoded)
        bad = next(s for s in ordered if (s.start, s.end, s.label) not in got)
        raise ValueError(f"article {article.id}: span {bad.id!r} {bad.text!r} at {bad.start}..{bad.end} does not "
                         "start and end on token boundaries or overlaps another span, so BIO cannot hold it")
    return tokens, tags


def render(article: Article) -> str:
    tokens, tags = bio_tags(article)
    lines = [DOCSTART,
             "# meta = " + json.dumps(metadata_dict(article), ensure_ascii=False),
             "# text = " + json.dumps(article.text, ensure_ascii=False),
             "# span_ids = " + json.dumps([s.id for s in article.sorted_spans()], ensure_ascii=False),
             ""]
    prev_end = 0
    for tok, tag in zip(tokens, tags):
        if "\n" in article.text[prev_end:tok.start] and lines[-1] != "":
            lines.append("")
        lines.append(f"{tok.text}\t{tok.start}\t{tok.end}\t{tag}")
        prev_end = tok.end
    if lines[-1] != "":
        lines.append("")
    return "\n".join(lines) + "\n"


def export(articles: Iterable[Article], path: str | os.PathLike) -> ExportResult:
    articles = list(articles)
    out = Path(path)
    content = "".join(render(a) for a in articles)
    write_text(out, content)
    dropped = sum(len(a.relations) for a in articles)
    warnings = []
    if dropped:
        warnings.append(f"CoNLL BIO holds spans only: {dropped} relation(s) in "
                        f"{sum(1 for a in articles if a.relations)} article(s) were dropped")
    return ExportResult(NAME, [out], len(articles), warnings)


class _Doc:
    """One ``-DOCSTART-`` block as it is read."""

    def __init__(self, line: int):
        self.line = line
        self.comments: dict[str, tuple[object, int]] = {}
        self.rows: list[tuple[Token, str, int]] = []  # token, tag, file line
        self.unreadable: set[str] = set()  # comment keys whose JSON was already reported


def _parse_blocks(path: Path, source: str) -> tuple[list[_Doc], list[Diagnostic]]:
    docs: list[_Doc] = []
    diags: list[Diagnostic] = []

    def err(line: int, col: int, code: str, msg: str) -> None:
        diags.append(Diagnostic(str(path), line, col, code, msg))

    for lineno, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            continue
        if line.split()[0] == DOCSTART:
            docs.append(_Doc(lineno))
            continue
        if not docs:
            err(lineno, 1, "missing-docstart", f"content before the first {DOCSTART} line")
            docs.append(_Doc(lineno))
        doc = docs[-1]
        cols = line.split("\t") if "\t" in line else line.split()
        is_row = len(cols) == 4 and cols[1].isdigit() and cols[2].isdigit()
        # "#" is also a token, so a line is a comment only when it is not a token row.
        if line.startswith("#") and not is_row:
            key, sep, value = line[1:].partition("=")
            key = key.strip()
            if not sep or key not in _COMMENT_KEYS:
                continue  # a comment for people
            try:
                doc.comments[key] = (json.loads(value), lineno)
            except json.JSONDecodeError as exc:
                err(lineno, line.index("=") + 1 + exc.colno, "bad-json", f"# {key}: not valid JSON: {exc.msg}")
                doc.unreadable.add(key)
            continue
        if not is_row:
            err(lineno, 1, "bad-conll-line", f"a token line is 'TOKEN<TAB>START<TAB>END<TAB>TAG', got {line[:60]!r}")
            continue
        doc.rows.append((Token(cols[0], int(cols[1]), int(cols[2])), cols[3], lineno))
    return docs, diags


def _build(path: Path, doc: _Doc) -> tuple[Article, SourceMap, list[Diagnostic]]:
    diags: list[Diagnostic] = []

    def err(line: int, code: str, msg: str) -> None:
        diags.append(Diagnostic(str(path), line, 1, code, msg))

    text, text_line = doc.comments.get("text", (None, doc.line))
    if doc.unreadable & {"text", "meta"}:
        raise ConversionError([])  # already reported; the article cannot be rebuilt
    if not isinstance(text, str):
        raise fail(path, text_line, 1, "missing-text", f"the document at line {doc.line} has no '# text = \"...\"' line, "
                                                        "so its text cannot be rebuilt")
    meta, meta_line = doc.comments.get("meta", ({}, doc.line))
    if not isinstance(meta, dict):
        raise fail(path, meta_line, 1, "bad-record", "'# meta' must be a JSON object")
    art = article_from_metadata(meta, text, path, meta_line)
    prev = "O"
    for tok, tag, line in doc.rows:
        if text[tok.start:tok.end] != tok.text:
            err(line, "text-mismatch", f"token {tok.text!r} does not match text[{tok.start}:{tok.end}] = {text[tok.start:tok.end]!r}")
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            err(line, "bad-tag", f"tag {tag!r} is not O, B-LABEL or I-LABEL")
        elif tag.startswith("I-") and prev[2:] != tag[2:]:
            err(line, "bad-tag", f"{tag} follows {prev}; in IOB2 a span starts with B-")
        prev = tag
    if diags:
        return art, SourceMap(str(path)), diags
    tokens = [t for t, _, _ in doc.rows]
    decoded = bio_to_spans(tokens, [tag for _, tag, _ in doc.rows])
    ids, ids_line = doc.comments.get("span_ids", (None, doc.line))
    if not (isinstance(ids, list) and len(ids) == len(decoded) and all(isinstance(i, str) for i in ids)):
        # Tags edited after export (or no ids kept): number the spans afresh.
        ids = [f"s{i}" for i in range(1, len(decoded) + 1)]
    smap = SourceMap(str(path), line=doc.line, meta={k: meta_line for k in meta})
    b_lines = [line for _, tag, line in doc.rows if tag.startswith("B-")]
    for i, line in enumerate(b_lines):
        smap.spans[i] = (line, 1)
    art.spans = [Span(sid, label, start, end, text[start:end]) for sid, (start, end, label) in zip(ids, decoded)]
    return art, smap, diags


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    path = Path(path)
    if not path.is_file():
        raise fail(path, 1, 1, "no-such-file", "no such file" if not path.exists() else "a CoNLL import reads one file")
    docs, diags = _parse_blocks(path, read_text(path))
    items = []
    for doc in docs:
        try:
            art, smap, doc_diags = _build(path, doc)
        except ConversionError as exc:
            diags.extend(exc.diagnostics)
            continue
        diags.extend(doc_diags)
        items.append((art, smap))
    if diags:
        raise ConversionError(diags)
    return items


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
