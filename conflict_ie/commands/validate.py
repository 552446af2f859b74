"""conflict-ie validate PATH...: every schema error, with file, line and character."""

from __future__ import annotations

import argparse
import sys

from conflict_ie.annotations.corpus import load_with_diagnostics


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help=".cie or .jsonl files, or folders holding them")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")


def run(args: argparse.Namespace) -> int:
    articles, diags = load_with_diagnostics(args.paths)
    if not args.quiet:
        for d in diags:
            print(d)
    files = len({d.path for d in diags})
    if diags:
        print(f"{len(diags)} error(s) in {files} file(s); {len(articles)} article(s) read", file=sys.stderr)
        return 1
    print(f"ok: {len(articles)} article(s), {sum(len(a.spans) for a in articles)} spans, "
          f"{sum(len(a.relations) for a in articles)} relations", file=sys.stderr)
    return 0
