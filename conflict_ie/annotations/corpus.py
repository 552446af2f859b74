"""Loading annotation files (``.cie`` and ``.jsonl``, files or folders) with diagnostics."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from conflict_ie.annotations import cie_format, jsonl_format
from conflict_ie.annotations.checks import check_article, check_collection
from conflict_ie.annotations.diagnostics import AnnotationError, Diagnostic
from conflict_ie.annotations.document import Article
from conflict_ie.annotations.source_map import SourceMap

SUFFIXES = (cie_format.SUFFIX, jsonl_format.SUFFIX)


def iter_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand folders to the annotation files inside them, in a stable order."""
    files: list[Path] = []
    diags: list[Diagnostic] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in SUFFIXES))
        elif p.is_file():
            if p.suffix not in SUFFIXES:
                diags.append(Diagnostic(str(p), 1, 1, "unknown-format", f"not an annotation file (expected {' or '.join(SUFFIXES)})"))
            else:
                files.append(p)
        else:
            diags.append(Diagnostic(str(p), 1, 1, "no-such-file", "no such file or folder"))
    return files, diags


def _read_text(path: Path) -> tuple[str | None, Diagnostic | None]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Diagnostic(str(path), 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")
    if b"\x00" in raw:
        return None, Diagnostic(str(path), 1, 1, "binary-file", "the file holds NUL bytes: not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Diagnostic(str(path), line, 1, "not-utf8", f"byte {exc.start} is not valid UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n"), None


def read_file(path: Path) -> tuple[list[tuple[Article, SourceMap]], list[Diagnostic]]:
    """Parse one file and run the per-article checks; never raises on bad content."""
    text, problem = _read_text(path)
    if problem:
        return [], [problem]
    items: list[tuple[Article, SourceMap]] = []
    diags: list[Diagnostic] = []
    if path.suffix == cie_format.SUFFIX:
        parsed = cie_format.parse(text, str(path))
        diags.extend(parsed.diagnostics)
        if parsed.article is not None:
            items.append((parsed.article, parsed.source_map))
    else:
        for lineno, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            art, line_diags, smap = jsonl_format.parse_line(line, str(path), lineno)
            diags.extend(line_diags)
            if art is not None:
                items.append((art, smap))
    for art, smap in items:
        diags.extend(check_article(art, smap))
    return items, diags


def load_with_diagnostics(paths: Iterable[str | os.PathLike]) -> tuple[list[Article], list[Diagnostic]]:
    files, diags = iter_files(paths)
    items: list[tuple[Article, SourceMap]] = []
    for f in files:
        got, file_diags = read_file(f)
        items.extend(got)
        diags.extend(file_diags)
    diags.extend(check_collection(items))
    return [a for a, _ in items], sorted(set(diags), key=lambda d: (d.path, d.line, d.column, d.code, d.message))


def load_articles(paths: Iterable[str | os.PathLike] | str | os.PathLike, split: str | None = None) -> list[Article]:
    """Load and validate; raise AnnotationError listing every problem if any."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    articles, diags = load_with_diagnostics(paths)
    if diags:
        raise AnnotationError(diags)
    if split is not None:
        articles = [a for a in articles if a.split == split]
    return articles
