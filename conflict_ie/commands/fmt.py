"""conflict-ie fmt FILE...: canonical .cie form, so that diffs show only real changes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conflict_ie.annotations import cie_format
from conflict_ie.annotations.corpus import iter_files, read_file


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help=".cie files or folders")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is not canonical")


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
        canonical = cie_format.render(items[0][0])
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
