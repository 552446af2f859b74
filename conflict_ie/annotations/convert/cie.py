"""The hand-written ``.cie`` format as a conversion target: one ``<id>.cie`` per article."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from conflict_ie.annotations import cie_format
from conflict_ie.annotations.convert.base import ExportResult, write_text
from conflict_ie.annotations.convert.native import file_stems, read_native
from conflict_ie.annotations.document import Article
from conflict_ie.annotations.source_map import SourceMap

NAME = "cie"


def export(articles: Iterable[Article], out_dir: str | os.PathLike) -> ExportResult:
    articles = list(articles)
    out = Path(out_dir)
    stems = file_stems(articles, NAME)
    rendered = [cie_format.render(a) for a in articles]  # raises on overlapping spans, before any write
    paths = []
    for stem, content in zip(stems, rendered):
        path = out / f"{stem}{cie_format.SUFFIX}"
        write_text(path, content)
        paths.append(path)
    return ExportResult(NAME, paths, len(articles))


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    return read_native(path, cie_format.SUFFIX)


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
