"""conflict-ie convert INPUT... --to FORMAT --out PATH: annotations between formats.

Inputs are read (their format recognised, or named with --from) and validated
first; with any error nothing is written. --out never overlaps an input, and an
existing --out is replaced only with --force.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conflict_ie.annotations.convert.formats import FORMATS, NATIVE, candidates


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to convert")
    p.add_argument("--to", required=True, choices=list(FORMATS), help="output format")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="output file (jsonl, conll) or folder (cie, brat, labelstudio, hf)")
    p.add_argument("--from", dest="from_format", choices=list(FORMATS),
                   help="input format, for every INPUT (default: recognised from each INPUT)")
    p.add_argument("--force", action="store_true", help="write over an existing --out")
    p.epilog = "formats: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


def _input_format(path: str, given: str | None) -> tuple[str | None, str | None]:
    """(format, problem): the format to read ``path`` as, or why there is none ("no-such-file" or a sentence)."""
    if given:
        return ("native" if given in NATIVE else given), None
    if not Path(path).exists():
        return None, "no-such-file"
    found = candidates(path)
    if found and all(f in NATIVE for f in found):
        return "native", None
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, "cannot tell its format; name it with --from"
    return None, f"could be {' or '.join(found)}; name the format with --from"


def _read_inputs(args: argparse.Namespace):
    from conflict_ie.annotations.checks import check_article, check_collection
    from conflict_ie.annotations.convert.base import ConversionError
    from conflict_ie.annotations.corpus import iter_files, read_file
    from conflict_ie.annotations.diagnostics import Diagnostic

    items, diags = [], []
    for path in args.inputs:
        fmt, problem = _input_format(path, args.from_format)
        if problem == "no-such-file":
            diags.append(Diagnostic(path, 1, 1, problem, "no such file or folder"))
        elif problem:
            diags.append(Diagnostic(path, 1, 1, "unknown-format", problem))
        if problem:
            continue
        if fmt == "native":
            files, file_diags = iter_files([path])
            diags.extend(file_diags)
            for f in files:
                got, got_diags = read_file(f)  # parses and checks each article
                items.extend(got)
                diags.extend(got_diags)
            continue
        try:
            got = FORMATS[fmt].load().read(path)
        except ConversionError as exc:
            diags.extend(exc.diagnostics)
            continue
        for art, smap in got:
            diags.extend(check_article(art, smap))
        items.extend(got)
    diags.extend(check_collection(items))
    return [a for a, _ in items], sorted(set(diags))


def _out_problem(out: Path, inputs: list[str], writes: str, force: bool) -> str | None:
    target = out.resolve()
    for i in inputs:
        src = Path(i).resolve()
        if target == src or target.is_relative_to(src) or src.is_relative_to(target):
            return f"--out {out} overlaps the input {i}; write somewhere else (convert never changes its inputs)"
    if not out.exists():
        return None
    if writes == "file" and out.is_dir():
        return f"--out {out} is a folder; this format writes one file"
    if writes == "folder" and not out.is_dir():
        return f"--out {out} is a file; this format writes a folder"
    if not force and (out.is_file() or any(out.iterdir())):
        return f"--out {out} already exists; pass --force to write over it"
    return None


def run(args: argparse.Namespace) -> int:
    fmt = FORMATS[args.to]
    out = Path(args.out)
    problem = _out_problem(out, args.inputs, fmt.writes, args.force)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    articles, diags = _read_inputs(args)
    if diags:
        for d in diags:
            print(d, file=sys.stderr)
        print(f"{len(diags)} error(s) in the input; nothing written", file=sys.stderr)
        return 1
    try:
        result = fmt.load().export(articles, out)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {result.articles} article(s) as {fmt.name} to {out} ({len(result.paths)} file(s))")
    return 0
