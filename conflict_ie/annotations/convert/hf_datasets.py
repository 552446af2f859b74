"""Hugging Face ``datasets``: a DatasetDict with train/dev/test, saved to disk and as parquet.

Every article field is a column (``countries`` a list of strings, ``spans`` and
``relations`` lists of structs), plus ``tokens`` and ``ner_tags``: IOB2 over
``conflict_ie.annotations.tokenize`` with ClassLabel names ``O, B-PER, I-PER,
...`` in schema order (the model's tag order). The ``spans`` column is the
annotation; ``tokens`` and ``ner_tags`` are derived from it for token
classifiers, and are not read back.

``export`` writes ``save_to_disk`` output in the folder (``dataset_dict.json``
and one folder per split) and ``parquet/<split>.parquet`` beside it. ``import_``
reads either: the folder itself, the ``parquet`` folder, or one parquet file.
Articles come back split by split (train, dev, test), each in its written order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from conflict_ie import schema
from conflict_ie.annotations.convert.base import ConversionError, ExportResult, article_from_metadata, metadata_dict
from conflict_ie.annotations.convert.conll import bio_tags
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import METADATA_KEYS, Article, Relation, Span
from conflict_ie.annotations.source_map import SourceMap

NAME = "hf"
PARQUET_DIR = "parquet"
DISK_MARKER = "dataset_dict.json"
ARTICLE_COLUMNS = METADATA_KEYS + ("text", "spans", "relations")


def ner_tag_names() -> list[str]:
    return ["O"] + [f"{p}-{label}" for label in schema.SPAN_LABELS for p in ("B", "I")]


def features():
    from datasets import ClassLabel, Features, List, Value

    string = Value("string")
    cols: dict[str, Any] = {key: (List(string) if key == "countries" else string) for key in METADATA_KEYS}
    cols["text"] = string
    cols["spans"] = List({"id": string, "label": string, "start": Value("int32"), "end": Value("int32"), "text": string})
    cols["relations"] = List({"head": string, "label": string, "tail": string})
    cols["tokens"] = List(string)
    cols["ner_tags"] = List(ClassLabel(names=ner_tag_names()))
    return Features(cols)


def to_row(article: Article) -> dict[str, Any]:
    tokens, tags = bio_tags(article)
    d = article.to_dict()
    row = metadata_dict(article) | {"text": article.text, "spans": d["spans"], "relations": d["relations"]}
    row["tokens"] = [t.text for t in tokens]
    row["ner_tags"] = tags  # ClassLabel encodes the names
    return row


def to_dataset_dict(articles: Iterable[Article]):
    """A DatasetDict with all three splits (empty ones included, so code can rely on the keys)."""
    from datasets import Dataset, DatasetDict

    articles = list(articles)
    unknown = sorted({a.split for a in articles} - set(schema.SPLITS))
    if unknown:
        raise ValueError(f"hf export: unknown split(s) {', '.join(map(repr, unknown))}; one of {', '.join(schema.SPLITS)}")
    feats = features()
    rows = {split: [to_row(a) for a in articles if a.split == split] for split in schema.SPLITS}
    return DatasetDict({split: Dataset.from_list(rows[split], features=feats) if rows[split]
                        else Dataset.from_dict({k: [] for k in feats}, features=feats)
                        for split in schema.SPLITS})


def export(articles: Iterable[Article], out_dir: str | os.PathLike) -> ExportResult:
    import datasets

    dd = to_dataset_dict(articles)
    out = Path(out_dir)
    bars = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()  # a CLI prints its own summary
    try:
        # One shard per split: datasets writes no shard at all for an empty split
        # otherwise, and then cannot load the folder back.
        dd.save_to_disk(str(out), num_shards={split: 1 for split in dd})
        (out / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
        for split, ds in dd.items():
            ds.to_parquet(str(out / PARQUET_DIR / f"{split}.parquet"))
    finally:
        if bars:
            datasets.enable_progress_bars()
    written = sorted(p for p in out.rglob("*") if p.is_file())
    return ExportResult(NAME, written, sum(len(ds) for ds in dd.values()))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def from_rows(rows: list[dict[str, Any]], where: str) -> list[tuple[Article, SourceMap]]:
    """Articles from dataset rows; ``where`` names the file for messages (row n is 'line' n)."""
    if rows:
        missing = [c for c in ARTICLE_COLUMNS if c not in rows[0]]
        if missing:
            raise ConversionError([Diagnostic(where, 1, 1, "missing-column", f"no column(s) {', '.join(missing)}: "
                                                                            "not a conflict-ie dataset")])
    items = []
    for n, row in enumerate(rows, start=1):
        text = row["text"]
        if not isinstance(text, str):
            raise ConversionError([Diagnostic(where, n, 1, "bad-type", f"row {n}: 'text' must be a string")])
        art = article_from_metadata({k: row[k] for k in METADATA_KEYS if row[k] is not None}, text, where, n)
        try:
            art.spans = [Span(_str(s["id"]), _str(s["label"]), int(s["start"]), int(s["end"]), _str(s["text"]))
                         for s in row["spans"] or []]
            art.relations = [Relation(_str(r["head"]), _str(r["label"]), _str(r["tail"])) for r in row["relations"] or []]
        except (KeyError, TypeError, ValueError):
            raise ConversionError([Diagnostic(where, n, 1, "bad-record", f"row {n}: spans need id, label, start "
                                              "and end; relations need head, label and tail")]) from None
        items.append((art, SourceMap(where, line=n)))
    return items


def _parquet_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    named = [path / f"{split}.parquet" for split in schema.SPLITS if (path / f"{split}.parquet").is_file()]
    others = sorted(p for p in path.glob("*.parquet") if p not in named)
    return named + others


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    path = Path(path)
    if not path.exists():
        raise ConversionError([Diagnostic(str(path), 1, 1, "no-such-file", "no such file or folder")])
    if path.is_dir() and (path / DISK_MARKER).is_file():
        from datasets import load_from_disk

        try:
            dd = load_from_disk(str(path))
        except (OSError, ValueError) as exc:
            raise ConversionError([Diagnostic(str(path), 1, 1, "unreadable", f"cannot load the dataset: {exc}")]) from None
        items = []
        for split in list(schema.SPLITS) + sorted(set(dd) - set(schema.SPLITS)):
            if split in dd:
                items += from_rows(dd[split].to_list(), str(path / split))
        return items
    files = _parquet_files(path)
    if not files:
        raise ConversionError([Diagnostic(str(path), 1, 1, "unknown-format",
                                          f"neither a saved DatasetDict ({DISK_MARKER}) nor parquet files")])
    import pyarrow.parquet as pq
    from pyarrow import ArrowException

    items = []
    for f in files:
        try:
            rows = pq.read_table(f).to_pylist()
        except (OSError, ArrowException) as exc:
            raise ConversionError([Diagnostic(str(f), 1, 1, "unreadable", f"not a readable parquet file: {exc}")]) from None
        items += from_rows(rows, str(f))
    return items


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
