"""Label Studio: JSON tasks with one annotation each, and the labeling config for them.

A task is ``{"data": {"text": ..., <metadata>}, "annotations": [{"result": [...]}]}``
with one ``labels`` result per span (its ``id`` is the span id) and one
``relation`` result per relation, in the order of the article's lists, so a
round trip is exact. Offsets are Python string indices, which is what Label
Studio's Text tag stores since it counts code points rather than UTF-16 units.

``import_`` reads the tasks this module writes and Label Studio's own JSON
export (which adds task and annotation ids, ``predictions`` and so on). A task
must hold exactly one annotation that was not cancelled: agreement between two
annotators is measured on two imports, one per annotator.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import quoteattr

from conflict_ie import schema
from conflict_ie.annotations.checks import SPAN_ID_RE
from conflict_ie.annotations.convert.base import (
    ConversionError, ExportResult, article_from_metadata, metadata_dict, read_text, unique_id, write_text,
)
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.document import Article, Relation, Span
from conflict_ie.annotations.source_map import SourceMap

NAME = "labelstudio"
TASKS_FILE = "tasks.json"
CONFIG_FILE = "labeling_config.xml"
FROM_NAME = "label"
TO_NAME = "text"

# Entities in cool colours, triggers in warm ones, so the two layers read apart on screen.
_ENTITY_COLOURS = ("#1f77b4", "#17becf", "#2ca02c", "#9edae5", "#aec7e8", "#98df8a", "#7f7f7f", "#bcbd22", "#c7c7c7")
_TRIGGER_COLOURS = ("#d62728", "#ff7f0e", "#e377c2", "#ff9896", "#ffbb78", "#8c564b", "#f7b6d2",
                    "#c49c94", "#9467bd", "#c5b0d5", "#b10026", "#fd8d3c", "#feb24c")


def labeling_config() -> str:
    """The Label Studio labeling config (XML) for this schema."""
    colours = dict(zip(schema.ENTITY_LABELS, _ENTITY_COLOURS)) | dict(zip(schema.TRIGGER_LABELS, _TRIGGER_COLOURS))
    lines = [f"<!-- Generated from conflict_ie.schema (schema version {schema.SCHEMA_VERSION}); regenerate rather than edit. -->",
             "<View>", '  <Header value="$title"/>', "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(name)}/>" for name in schema.RELATION_LABELS]
    lines += ["  </Relations>", f"  <Labels name={quoteattr(FROM_NAME)} toName={quoteattr(TO_NAME)} showInline=\"true\">"]
    lines += [f"    <Label value={quoteattr(label)} background={quoteattr(colours.get(label, '#cccccc'))}/>"
              for label in schema.SPAN_LABELS]
    lines += ["  </Labels>", f"  <Text name={quoteattr(TO_NAME)} value=\"$text\"/>", "</View>", ""]
    return "\n".join(lines)


def to_task(article: Article) -> dict[str, Any]:
    data = {"text": article.text} | metadata_dict(article)
    result: list[dict[str, Any]] = [
        {"id": sp.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
         "value": {"start": sp.start, "end": sp.end, "text": article.text[sp.start:sp.end], "labels": [sp.label]}}
        for sp in article.spans
    ]
    result += [{"from_id": r.head, "to_id": r.tail, "type": "relation", "direction": "right", "labels": [r.label]}
               for r in article.relations]
    return {"data": data, "annotations": [{"result": result}]}


def export(articles: Iterable[Article], out_dir: str | os.PathLike) -> ExportResult:
    """``tasks.json`` and ``labeling_config.xml`` in ``out_dir``."""
    articles = list(articles)
    out = Path(out_dir)
    tasks = json.dumps([to_task(a) for a in articles], ensure_ascii=False, indent=1) + "\n"
    write_text(out / TASKS_FILE, tasks)
    write_text(out / CONFIG_FILE, labeling_config())
    return ExportResult(NAME, [out / TASKS_FILE, out / CONFIG_FILE], len(articles))


class _TaskReader:
    """Reads one task, collecting every problem with the task's number in the message."""

    def __init__(self, path: Path, number: int):
        self.path, self.number = path, number
        self.diags: list[Diagnostic] = []

    def err(self, code: str, msg: str) -> None:
        self.diags.append(Diagnostic(str(self.path), 1, 1, code, f"task #{self.number}: {msg}"))

    def annotation(self, task: dict) -> list:
        live = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        if len(live) > 1:
            self.err("several-annotations", f"{len(live)} annotations; import one annotator's work at a time "
                                            "(filter the export by annotator)")
            return []
        if not live:
            return []
        result = live[0].get("result", [])
        if not isinstance(result, list):
            self.err("bad-record", "'result' must be a list")
            return []
        return result

    def read(self, task: Any) -> Article | None:
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            self.err("bad-record", "a task is an object with a 'data' object")
            return None
        data = dict(task["data"])
        text = data.pop("text", None)
        if not isinstance(text, str):
            self.err("missing-text", "data.text is missing or not a string")
            return None
        try:
            art = article_from_metadata(data, text, self.path)
        except ConversionError as exc:
            for d in exc.diagnostics:
                self.err(d.code, d.message)
            return None
        spans: list[Span] = []
        rel_results: list[dict] = []
        taken: set[str] = set()
        renamed: dict[str, str] = {}
        for k, res in enumerate(self.annotation(task), start=1):
            kind = res.get("type") if isinstance(res, dict) else None
            if kind == "relation":
                rel_results.append(res)
            elif kind == "labels":
                span = self._span(res, k, text, taken, renamed)
                if span is not None:
                    spans.append(span)
            else:
                self.err("unsupported-result", f"result #{k} has type {kind!r}; only 'labels' and 'relation' are read")
        relations = [r for r in (self._relation(res, renamed) for res in rel_results) if r is not None]
        art.spans, art.relations = spans, relations
        return art

    def _span(self, res: dict, k: int, text: str, taken: set[str], renamed: dict[str, str]) -> Span | None:
        value = res.get("value")
        if not isinstance(value, dict):
            self.err("bad-span", f"result #{k} has no 'value' object")
            return None
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if not (type(start) is int and type(end) is int):
            self.err("bad-span", f"result #{k}: start and end must be integers")
            return None
        if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
            self.err("bad-span", f"result #{k}: a span has exactly one label, got {labels!r}")
            return None
        if "text" in value and 0 <= start <= end <= len(text) and value["text"] != text[start:end]:
            self.err("text-mismatch", f"result #{k}: text[{start}:{end}] is {text[start:end]!r}, "
                                      f"the result says {value['text']!r}")
            return None
        # Label Studio's own region ids are random and may start with a digit; such
        # ids get a span id, and relations follow the renaming.
        rid = str(res.get("id", ""))
        sid = unique_id(rid if SPAN_ID_RE.match(rid) else f"s{len(taken) + 1}", taken)
        renamed[rid] = sid
        return Span(sid, labels[0], start, end, text[start:end])

    def _relation(self, res: dict, renamed: dict[str, str]) -> Relation | None:
        labels, direction = res.get("labels"), res.get("direction", "right")
        ends = (str(res.get("from_id")), str(res.get("to_id")))
        if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
            self.err("bad-relation", f"relation {ends[0]} -> {ends[1]}: exactly one label, got {labels!r}")
            return None
        if direction not in ("right", "left"):
            self.err("bad-relation", f"relation {ends[0]} -> {ends[1]}: direction {direction!r}; "
                                     "relations here are directed ('right' or 'left')")
            return None
        head, tail = ends if direction == "right" else ends[::-1]
        return Relation(renamed.get(head, head), labels[0], renamed.get(tail, tail))


def _task_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if not files:
            raise ConversionError([Diagnostic(str(path), 1, 1, "no-such-file", "no Label Studio .json file in this folder")])
        return files
    if not path.exists():
        raise ConversionError([Diagnostic(str(path), 1, 1, "no-such-file", "no such file or folder")])
    return [path]


def read(path: str | os.PathLike) -> list[tuple[Article, SourceMap]]:
    items: list[tuple[Article, SourceMap]] = []
    diags: list[Diagnostic] = []
    for f in _task_files(Path(path)):
        try:
            tasks = json.loads(read_text(f))
        except json.JSONDecodeError as exc:
            diags.append(Diagnostic(str(f), exc.lineno, exc.colno, "bad-json", f"not valid JSON: {exc.msg}"))
            continue
        except ConversionError as exc:
            diags.extend(exc.diagnostics)
            continue
        if isinstance(tasks, dict):
            tasks = [tasks]  # a single task, as Label Studio also accepts
        if not isinstance(tasks, list):
            diags.append(Diagnostic(str(f), 1, 1, "bad-record", "a Label Studio file holds a list of tasks"))
            continue
        for n, task in enumerate(tasks, start=1):
            reader = _TaskReader(f, n)
            art = reader.read(task)
            diags.extend(reader.diags)
            if art is not None and not reader.diags:
                items.append((art, SourceMap(str(f))))
    if diags:
        raise ConversionError(diags)
    return items


def import_(path: str | os.PathLike) -> list[Article]:
    return [a for a, _ in read(path)]
