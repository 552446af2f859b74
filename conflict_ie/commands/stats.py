"""conflict-ie stats PATH...: counts per label, split, country and conflict; --check-minimums for the corpus targets."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help=".cie or .jsonl files, or folders holding them")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON instead of tables")
    fmt.add_argument("--markdown", action="store_true", help="print Markdown tables")
    p.add_argument("--check-minimums", action="store_true",
                   help="also check the corpus targets; exit 1 listing each one not met")


def run(args: argparse.Namespace) -> int:
    from conflict_ie.annotations import stats as corpus_stats
    from conflict_ie.annotations.corpus import load_with_diagnostics

    articles, diags = load_with_diagnostics(args.paths)
    if diags:
        for d in diags:
            print(d, file=sys.stderr)
        print(f"{len(diags)} error(s): fix them (conflict-ie validate) before counting", file=sys.stderr)
        return 1
    stats = corpus_stats.compute(articles)
    shortfalls = corpus_stats.check_minimums(stats) if args.check_minimums else None
    if args.json:
        out = {"stats": stats.to_dict()}
        if shortfalls is not None:
            out["unmet_targets"] = [vars(s) for s in shortfalls]
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(corpus_stats.render(stats, shortfalls, markdown=args.markdown), end="")
    if shortfalls:
        print(f"{len(shortfalls)} corpus target(s) not met", file=sys.stderr)
        return 1
    return 0
