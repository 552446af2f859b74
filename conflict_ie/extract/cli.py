"""conflict-ie extract FILE... | -: event records from articles.

Inputs: plain-text files (one article each) or JSONL files (one article per
line: id, title, published, text); '-' reads standard input (JSONL if it
starts with '{', else one plain-text article).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="FILE", help="text or .jsonl files, or - for standard input")
    p.add_argument("--model", default="runs/default/best", help="model folder or Hub id (default: %(default)s)")
    p.add_argument("--revision", default=None, help="Hub revision of the model")
    p.add_argument("--published", default=None, help="publication date (YYYY-MM-DD) for plain-text inputs")
    p.add_argument("--format", choices=("json", "jsonl", "csv"), default="json", help="output format")
    p.add_argument("--output", "-o", default="-", help="output file (default: standard output)")
    p.add_argument("--batch-size", type=int, default=8, help="articles per model batch")
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: cuda if available)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _read_inputs(paths: list[str], published: str | None) -> Iterator[dict]:
    for path in paths:
        if path == "-":
            data = sys.stdin.read()
            name = "stdin"
        else:
            try:
                data = Path(path).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                yield {"id": path, "_error": f"cannot read {path}: {exc}"}
                continue
            name = Path(path).stem
        if path.endswith(".jsonl") or (path == "-" and data.lstrip().startswith("{")):
            for lineno, line in enumerate(data.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield {"id": f"{path}:{lineno}", "_error": f"{path}:{lineno}: not valid JSON: {exc.msg}"}
                    continue
                if not isinstance(obj, dict):
                    yield {"id": f"{path}:{lineno}", "_error": f"{path}:{lineno}: each line must be a JSON object"}
                    continue
                obj.setdefault("id", f"{name}:{lineno}")
                if published and "published" not in obj:
                    obj["published"] = published
                yield obj
        else:
            yield {"id": name, "text": data, "published": published}


def run(args: argparse.Namespace) -> int:
    from conflict_ie.extract.csv_rows import COLUMNS, event_row
    from conflict_ie.extract.extractor import ConflictExtractor
    from conflict_ie.extract.types import DocumentResult
    from conflict_ie.model.hub import ModelLoadError

    try:
        ex = ConflictExtractor.from_pretrained(args.model, device=args.device, revision=args.revision,
                                               batch_size=args.batch_size)
    except ModelLoadError as exc:
        print(f"conflict-ie extract: {exc}", file=sys.stderr)
        return 2

    def results() -> Iterator[DocumentResult]:
        pending = []
        for item in _read_inputs(args.inputs, args.published):
            if "_error" in item:
                yield from ex.extract_many(pending, progress=False) if pending else ()
                pending = []
                yield DocumentResult(id=item["id"], text_length=0, error=item["_error"])
            else:
                pending.append(item)
        if pending:
            yield from ex.extract_many(pending, progress=not args.no_progress and len(pending) > 1)

    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    failures = 0
    try:
        if args.format == "csv":
            import csv

            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            for doc in results():
                failures += doc.error is not None
                for ev in doc.events:
                    writer.writerow(event_row(doc, ev))
        elif args.format == "jsonl":
            for doc in results():
                failures += doc.error is not None
                out.write(doc.model_dump_json() + "\n")
        else:
            docs = list(results())
            failures = sum(d.error is not None for d in docs)
            payload = docs[0].model_dump(mode="json") if len(docs) == 1 else [d.model_dump(mode="json") for d in docs]
            json.dump(payload, out, indent=2, ensure_ascii=False)
            out.write("\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if failures:
        print(f"conflict-ie extract: {failures} article(s) could not be processed (see their 'error' field)",
              file=sys.stderr)
    return 0
