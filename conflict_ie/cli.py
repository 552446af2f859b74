"""The ``conflict-ie`` command: one subcommand per job, registered in COMMANDS.

Each subcommand lives in its own module and exposes ``add_arguments(parser)``
and ``run(args) -> int``; heavy imports (torch) happen inside ``run`` so that
``conflict-ie validate`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, one-line help). A registry, not an if-chain.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("conflict_ie.commands.validate", "check annotation files against the schema"),
    "fmt": ("conflict_ie.commands.fmt", "rewrite .cie files in canonical form (or --check them)"),
    "convert": ("conflict_ie.commands.convert", "convert annotations between formats"),
    "stats": ("conflict_ie.commands.stats", "counts per label, split, country and conflict"),
    "agreement": ("conflict_ie.commands.agreement", "inter-annotator agreement between two annotation sets"),
    "train": ("conflict_ie.train.cli", "train a model from a YAML config"),
    "eval": ("conflict_ie.eval.cli", "score a model on annotated data, with baselines"),
    "extract": ("conflict_ie.extract.cli", "extract event records from articles"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="conflict-ie", description="Conflict news to structured, source-attributed event records.")
    from conflict_ie import __version__

    parser.add_argument("--version", action="version", version=f"conflict-ie {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        mod = importlib.import_module(module)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
