"""The converters by name, what each writes, and how an input's format is recognised."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Format:
    """One conversion format; its module is imported only when used (``datasets`` is slow to load)."""

    name: str
    module: str
    writes: str  # "file" or "folder": what --out names
    description: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "conflict_ie.annotations.convert.jsonl", "file", "standoff JSONL, one article per line"),
    Format("cie", "conflict_ie.annotations.convert.cie", "folder", "one hand-editable <id>.cie per article"),
    Format("brat", "conflict_ie.annotations.convert.brat", "folder", "brat standoff .txt/.ann (+ .meta.json, annotation.conf)"),
    Format("labelstudio", "conflict_ie.annotations.convert.labelstudio", "folder", "Label Studio tasks.json + labeling_config.xml"),
    Format("conll", "conflict_ie.annotations.convert.conll", "file", "CoNLL BIO over word tokens (spans only)"),
    Format("hf", "conflict_ie.annotations.convert.hf_datasets", "folder", "Hugging Face DatasetDict (save_to_disk + parquet/)"),
)}
NATIVE = ("cie", "jsonl")

_FILE_SUFFIXES = {".cie": "cie", ".jsonl": "jsonl", ".ann": "brat", ".json": "labelstudio",
                  ".conll": "conll", ".bio": "conll", ".iob": "conll", ".parquet": "hf"}


def candidates(path: str | os.PathLike) -> list[str]:
    """The formats ``path`` could be read as (empty if none, several if ambiguous)."""
    p = Path(path)
    if p.is_file():
        fmt = _FILE_SUFFIXES.get(p.suffix)
        return [fmt] if fmt else []
    if not p.is_dir():
        return []
    found = []
    if (p / "dataset_dict.json").is_file() or any(p.glob("*.parquet")):
        found.append("hf")
    if (p / "tasks.json").is_file():
        found.append("labelstudio")
    if any(p.rglob("*.ann")):
        found.append("brat")
    for suffix in (".cie", ".jsonl"):
        if any(p.rglob(f"*{suffix}")):
            found.append(suffix[1:])
    return found
