"""The canonical standoff JSONL (one article per line) as a conversion target."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from conflict_ie.annotations import jsonl_format
from conflict_ie.annotations.convert.base import ExportResult, write_text
from conflict_ie.annotations.convert.native import read_native
from conflict_ie.annotations.document import Article, dump_jsonl
from conflict_ie.annotations.source_map import SourceMap

NAME = "jsonl"


def export(articles: Iterable[Article], path: str | os.PathLike) -> ExportResult:
    articles = list(articles)
    out = Path(path)
    write_text(out, "".join(dump_jsonl(articles)))
    return ExportResult(NAME, [out], len(articles))


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    return read_native(path, jsonl_format.SUFFIX)


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
