"""brat standoff: ``<id>.txt`` + ``<id>.ann`` per article, ``<id>.meta.json`` beside them.

::

    T1<TAB>PER 120 135<TAB>Nikol Pashinian
    R1<TAB>AFFILIATION Arg1:T16 Arg2:T15

brat ids must be ``T<n>``/``R<n>``, so the sidecar keeps the article's own span
ids (``span_ids``: brat id -> span id) next to the metadata; spans added in brat
keep their brat id. T and R lines are written in the order of the article's
lists and read back in file order, so a round trip is exact. ``annotation.conf``
(entity and relation types with their argument constraints) is generated from
``conflict_ie.schema`` so brat offers only what the schema allows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from conflict_ie import schema
from conflict_ie.annotations.convert.base import (
    ConversionError, ExportResult, article_from_metadata, metadata_dict, read_text, unique_id, write_text,
)
from conflict_ie.annotations.convert.native import file_stems
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import Article, Relation, Span
from conflict_ie.annotations.source_map import SourceMap

NAME = "brat"
CONF_NAME = "annotation.conf"
META_SUFFIX = ".meta.json"


def annotation_conf() -> str:
    """brat's type configuration: span labels grouped as entities/triggers, relations with their arguments."""
    lines = ["# Generated from conflict_ie.schema (schema version "
             f"{schema.SCHEMA_VERSION}); regenerate rather than edit.", "", "[entities]", "!Entity"]
    lines += [f"\t{label}" for label in schema.ENTITY_LABELS]
    lines.append("!Trigger")
    lines += [f"\t{label}" for label in schema.TRIGGER_LABELS]
    lines += ["", "[relations]"]
    for name, rtype in schema.RELATION_TYPES.items():
        heads = "|".join(l for l in schema.SPAN_LABELS if l in rtype.heads)
        tails = "|".join(l for l in schema.SPAN_LABELS if l in rtype.tails)
        lines.append(f"{name}\tArg1:{heads}, Arg2:{tails}")
    lines += ["", "[events]", "", "[attributes]", ""]
    return "\n".join(lines)


def _ann(article: Article) -> tuple[str, dict[str, str]]:
    brat_of: dict[str, str] = {}
    lines = []
    for i, sp in enumerate(article.spans, start=1):
        brat_of.setdefault(sp.id, f"T{i}")
        lines.append(f"T{i}\t{sp.label} {sp.start} {sp.end}\t{article.text[sp.start:sp.end]}")
    for i, rel in enumerate(article.relations, start=1):
        lines.append(f"R{i}\t{rel.label} Arg1:{brat_of.get(rel.head, rel.head)} Arg2:{brat_of.get(rel.tail, rel.tail)}")
    return "".join(l + "\n" for l in lines), {f"T{i}": sp.id for i, sp in enumerate(article.spans, start=1)}


def export(articles: Iterable[Article], out_dir: str | os.PathLike) -> ExportResult:
    articles = list(articles)
    out = Path(out_dir)
    files: list[tuple[Path, str]] = []
    for stem, art in zip(file_stems(articles, NAME), articles):
        for sp in art.spans:
            if "\n" in art.text[sp.start:sp.end] or "\t" in art.text[sp.start:sp.end]:
                raise ValueError(f"brat export: article {art.id}: span {sp.id!r} holds a line break or tab, "
                                 "which a brat T line cannot carry")
        ann, span_ids = _ann(art)
        meta = metadata_dict(art)
        meta["span_ids"] = span_ids
        files += [(out / f"{stem}.txt", art.text), (out / f"{stem}.ann", ann),
                  (out / f"{stem}{META_SUFFIX}", json.dumps(meta, ensure_ascii=False, indent=2) + "\n")]
    files.append((out / CONF_NAME, annotation_conf()))
    for path, content in files:
        write_text(path, content)
    return ExportResult(NAME, [p for p, _ in files], len(articles))


def _ann_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*.ann") if p.is_file())
    if path.is_file() and path.suffix == ".ann":
        return [path]
    raise ConversionError([Diagnostic(str(path), 1, 1, "no-such-file" if not path.exists() else "unknown-format",
                                      "no such file or folder" if not path.exists() else "not a brat .ann file or a folder of them")])


def _read_meta(ann: Path) -> tuple[dict, dict[str, str], Path]:
    meta_path = ann.with_name(ann.stem + META_SUFFIX)
    if not meta_path.exists():
        # A collection annotated in brat from scratch: the id is the file name, the rest
        # is for the validator to ask for.
        return {"id": ann.stem}, {}, ann
    try:
        meta = json.loads(read_text(meta_path))
    except json.JSONDecodeError as exc:
        raise ConversionError([Diagnostic(str(meta_path), exc.lineno, exc.colno, "bad-json", f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(meta, dict):
        raise ConversionError([Diagnostic(str(meta_path), 1, 1, "bad-record", "the metadata file must hold one JSON object")])
    span_ids = meta.pop("span_ids", {})
    if not isinstance(span_ids, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in span_ids.items()):
        raise ConversionError([Diagnostic(str(meta_path), 1, 1, "bad-type", "'span_ids' must map brat ids to span ids (strings)")])
    return meta, span_ids, meta_path


def _read_one(ann: Path) -> tuple[Article, SourceMap]:
    txt = ann.with_suffix(".txt")
    if not txt.exists():
        raise ConversionError([Diagnostic(str(ann), 1, 1, "missing-text", f"no {txt.name} beside the .ann file")])
    text = read_text(txt)
    meta, span_ids, meta_path = _read_meta(ann)
    art = article_from_metadata(meta, text, meta_path)  # metadata errors point at the sidecar
    diags: list[Diagnostic] = []
    smap = SourceMap(str(ann))
    spans: list[Span] = []
    rels: list[tuple[str, str, str]] = []
    brat_to_span: dict[str, str] = {}
    taken = set(span_ids.values())
    for lineno, line in enumerate(read_text(ann).split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        bid = fields[0]

        def err(code: str, msg: str, col: int = 1) -> None:
            diags.append(Diagnostic(str(ann), lineno, col, code, msg))

        if bid.startswith("T"):
            if len(fields) < 2:
                err("bad-brat-line", "a T line is 'T<n><TAB>LABEL START END<TAB>TEXT'")
                continue
            parts = fields[1].split(" ")
            if ";" in fields[1]:
                err("discontinuous-span", f"{bid} is discontinuous; spans here are one stretch of text")
                continue
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                err("bad-brat-line", f"{bid}: expected 'LABEL START END', got {fields[1]!r}", len(bid) + 2)
                continue
            label, start, end = parts[0], int(parts[1]), int(parts[2])
            if len(fields) >= 3 and 0 <= start <= end <= len(text) and "\t".join(fields[2:]) != text[start:end]:
                err("text-mismatch", f"{bid}: the .txt has {text[start:end]!r} at {start}..{end}, the .ann says {fields[2]!r}")
                continue
            if bid in brat_to_span:
                err("duplicate-span-id", f"brat id {bid} is used twice")
                continue
            sid = span_ids[bid] if bid in span_ids else unique_id(bid, taken)
            brat_to_span[bid] = sid
            smap.spans[len(spans)] = (lineno, 1)
            spans.append(Span(sid, label, start, end, text[start:end]))
        elif bid.startswith("R"):
            parts = fields[1].split(" ") if len(fields) >= 2 else []
            args = dict(p.split(":", 1) for p in parts[1:] if ":" in p)
            if len(parts) != 3 or set(args) != {"Arg1", "Arg2"}:
                err("bad-brat-line", f"an R line is 'R<n><TAB>LABEL Arg1:T<h> Arg2:T<t>', got {line[:60]!r}")
                continue
            smap.relations[len(rels)] = (lineno, 1)
            rels.append((args["Arg1"], parts[0], args["Arg2"]))
        elif bid.startswith("#"):
            continue  # AnnotatorNotes: comments for people, no annotation
        else:
            err("unsupported-annotation", f"brat {bid[:1]!r} annotations (events, attributes, normalisations, "
                                          "equivalences) have no place in this schema; only T and R lines are read")
    if diags:
        raise ConversionError(diags)
    # Relation arguments are resolved after all T lines: brat does not order them.
    relations = [Relation(brat_to_span.get(h, h), label, brat_to_span.get(t, t)) for h, label, t in rels]
    art.spans, art.relations = spans, relations
    return art, smap


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    items: list[tuple[Article, SourceMap]] = []
    diags: list[Diagnostic] = []
    for ann in _ann_files(Path(path)):
        try:
            items.append(_read_one(ann))
        except ConversionError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        raise ConversionError(diags)
    return items


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
