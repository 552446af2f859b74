"""conflict-ie agreement A B: inter-annotator agreement between two annotations of the same texts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="first annotation: .cie/.jsonl file or folder")
    p.add_argument("b", metavar="B", help="second annotation of the same articles (paired by id)")
    p.add_argument("--out", metavar="DIR", help="also write agreement.json and agreement.md (with the disagreements) here")


def run(args: argparse.Namespace) -> int:
    from conflict_ie.annotations import agreement
    from conflict_ie.annotations.corpus import load_with_diagnostics

    sides = []
    for name, path in (("A", args.a), ("B", args.b)):
        articles, diags = load_with_diagnostics([path])
        if diags:
            for d in diags:
                print(d, file=sys.stderr)
            print(f"{len(diags)} error(s) in {name} ({path}); fix them before comparing", file=sys.stderr)
            return 1
        sides.append(articles)
    try:
        report = agreement.compare(*sides)
    except agreement.TextMismatch as exc:
        print(f"error: {exc}; pair only annotations of the same text", file=sys.stderr)
        return 1
    if report.articles == 0:
        print(f"error: A and B share no article id (A: {len(sides[0])} article(s), B: {len(sides[1])})", file=sys.stderr)
        return 1
    print(agreement.render(report), end="")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "agreement.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (out / "agreement.md").write_text("# Inter-annotator agreement\n\n" + f"A: `{args.a}`  \nB: `{args.b}`\n\n"
                                          + agreement.render(report, markdown=True, disagreements=True), encoding="utf-8")
        print(f"wrote {out / 'agreement.json'} and {out / 'agreement.md'}", file=sys.stderr)
    return 0
