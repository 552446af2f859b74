"""What every converter shares: the export result record and the import error.

Each converter module exposes the same three functions:

* ``export(articles, out) -> ExportResult``: write the articles (``out`` is a file
  or a folder, as the format needs); everything is built in memory first, so a
  failure writes nothing.
* ``read(path) -> list[tuple[Article, SourceMap]]``: the articles with where each
  part stands in the input, so the validator's messages point into that file.
* ``import_(path) -> list[Article]``: ``read`` without the positions.

Importers raise ``ConversionError`` (with file, line and column) when the input
cannot be read as that format; whether the articles satisfy the schema is the
validator's job (``conflict_ie.annotations.checks``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conflict_ie.annotations.diagnostics import AnnotationError, Diagnostic
from conflict_ie.annotations.document import METADATA_KEYS, Article


@dataclass
class ExportResult:
    """What an export wrote, and what it could not carry over."""

    format: str
    paths: list[Path]
    articles: int
    warnings: list[str] = field(default_factory=list)


class ConversionError(AnnotationError):
    """An input that cannot be read as the format it claims to be."""


def fail(path: str | Path, line: int, column: int, code: str, message: str) -> ConversionError:
    return ConversionError([Diagnostic(str(path), line, column, code, message)])


def metadata_dict(article: Article) -> dict[str, Any]:
    """The article's metadata as plain JSON values, in the canonical key order."""
    return {key: (list(article.countries) if key == "countries" else getattr(article, key)) for key in METADATA_KEYS}


def article_from_metadata(meta: dict[str, Any], text: str, path: str | Path, line: int = 1) -> Article:
    """An article with this metadata and text, no annotations yet.

    Missing keys become empty (the validator then names them); keys that are not
    metadata, or values of the wrong type, are errors here because they would be
    lost silently otherwise.
    """
    problems = []
    unknown = sorted(set(meta) - set(METADATA_KEYS))
    if unknown:
        problems.append(Diagnostic(str(path), line, 1, "unknown-metadata",
                                   f"unknown metadata key(s) {', '.join(map(repr, unknown))}; known keys: {', '.join(METADATA_KEYS)}"))
    values: dict[str, Any] = {}
    for key in METADATA_KEYS:
        value = meta.get(key, [] if key == "countries" else "")
        if key == "countries" and isinstance(value, str):
            value = [c.strip() for c in value.split(";") if c.strip()]
        ok = (isinstance(value, list) and all(isinstance(c, str) for c in value)) if key == "countries" else isinstance(value, str)
        if not ok:
            problems.append(Diagnostic(str(path), line, 1, "bad-type",
                                       f"metadata {key!r} must be {'a list of strings' if key == 'countries' else 'a string'}, got {json.dumps(value)[:60]}"))
            value = [] if key == "countries" else ""
        values[key] = value
    if problems:
        raise ConversionError(problems)
    return Article(text=text, **values)


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted`` with a suffix when another span already has it."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}_{n}"
    taken.add(candidate)
    return candidate


def write_text(path: Path, content: str) -> None:
    # newline="" keeps the article's own line breaks (a lone "\r" included) byte for byte.
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(content)


def read_text(path: Path) -> str:
    """A UTF-8 text file as written (no newline translation); ConversionError if it is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(path, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(path, line, 1, "not-utf8", f"byte {exc.start} is not valid UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text
