"""conflict-ie train CONFIG [--set key=value ...] [--resume]."""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", help="YAML config, e.g. configs/default.yaml")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set training.epochs=3 (repeatable)")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint in the run folder")
    p.add_argument("--print-config", action="store_true", help="print the resolved config and exit")


def run(args: argparse.Namespace) -> int:
    from conflict_ie.train.config import ConfigError, dump_config, load_config

    try:
        cfg = load_config(args.config, args.overrides)
    except ConfigError as exc:
        print(f"conflict-ie train: {exc}", file=sys.stderr)
        return 2
    if args.print_config:
        print(dump_config(cfg), end="")
        return 0
    from conflict_ie.model.encoder import EncoderNotFoundError
    from conflict_ie.train.data import DataError
    from conflict_ie.train.loop import RunFolderError, train

    try:
        result = train(cfg, resume=args.resume)
    except (EncoderNotFoundError, DataError, RunFolderError) as exc:
        print(f"conflict-ie train: {exc}", file=sys.stderr)
        return 2
    print(f"best model: {result.best_dir} (epoch {result.best_epoch}, dev score {result.best_score:.4f}); "
          f"{result.epochs_run} epochs in {result.seconds:.0f}s, peak RSS {result.peak_rss_mb:.0f} MB")
    return 0
