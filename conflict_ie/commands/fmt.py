"""conflict-ie fmt FILE...: canonical .cie form, so that diffs show only real changes."""

from __future__ import annotations

import argparse
import sys

from conflict_ie.annotations import cie_format
from conflict_ie.annotations.corpus import iter_files, read_file
from conflict_ie.annotations.document import Article, Relation, Span


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help=".cie files or folders")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not canonical")
    p.add_argument("--renumber", action="store_true",
                   help="also rename span ids to s1, s2, ... in reading order (relations follow)")


def renumber(article: Article) -> Article:
    """Span ids s1..sN in reading order; relations sorted by head, then as written."""
    new = {sp.id: f"s{i}" for i, sp in enumerate(article.sorted_spans(), start=1)}
    spans = [Span(new[sp.id], sp.label, sp.start, sp.end, sp.text) for sp in article.sorted_spans()]
    order = {sid: i for i, sid in enumerate(new.values())}
    rels = [Relation(new[r.head], r.label, new[r.tail]) for r in article.relations]
    rels.sort(key=lambda r: order[r.head])  # stable: keeps the written order within a head
    return article.with_annotations(spans, rels)


def run(args: argparse.Namespace) -> int:
    files, diags = iter_files(args.paths)
    bad = 0
    for f in files:
        if f.suffix != cie_format.SUFFIX:
            continue
        items, file_diags = read_file(f)
        if file_diags or not items:
            for d in file_diags:
                print(d, file=sys.stderr)
            bad += 1
            continue
        article = items[0][0]
        if args.renumber:
            article = renumber(article)
        canonical = cie_format.render(article)
        if f.read_text(encoding="utf-8") != canonical:
            bad += 1
            if args.check:
                print(f"{f}: not in canonical form (run conflict-ie fmt {f})")
            else:
                f.write_text(canonical, encoding="utf-8")
                print(f"{f}: rewritten")
    for d in diags:
        print(d, file=sys.stderr)
    return 1 if (diags or (bad and args.check)) else 0
