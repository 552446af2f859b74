"""Shared helpers for the two native formats (``.cie`` and ``.jsonl``)."""

from __future__ import annotations

import os

from conflict_ie.annotations.checks import ID_RE
from conflict_ie.annotations.convert.base import ConversionError
from conflict_ie.annotations.corpus import iter_files, read_file
from conflict_ie.annotations.document import Article
from conflict_ie.annotations.source_map import SourceMap


def read_native(path: str | os.PathLike, suffix: str) -> list[tuple[Article, SourceMap]]:
    """Files with ``suffix`` under ``path``, parsed and checked; ConversionError lists every problem."""
    files, diags = iter_files([path])
    items: list[tuple[Article, SourceMap]] = []
    for f in files:
        if f.suffix != suffix:
            continue
        got, file_diags = read_file(f)
        items.extend(got)
        diags.extend(file_diags)
    if diags:
        raise ConversionError(sorted(set(diags)))
    return items


def file_stems(articles: list[Article], fmt: str) -> list[str]:
    """Article ids, checked to be usable as file names and unique (one file per article)."""
    seen: set[str] = set()
    for art in articles:
        if not ID_RE.match(art.id):
            raise ValueError(f"{fmt} export: article id {art.id!r} cannot name a file "
                             "(letters, digits, '.', '_' and '-' only)")
        if art.id in seen:
            raise ValueError(f"{fmt} export: two articles have the id {art.id!r}; each needs its own file")
        seen.add(art.id)
    return [a.id for a in articles]
