"""conflict-ie eval: score a model (and baselines) on annotated data, write report.json/.md and plots."""

from __future__ import annotations

import argparse
import sys


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, metavar="DIR",
                   help="a saved model folder, or 'none' to run the baselines only")
    p.add_argument("--data", required=True, metavar="FILE_OR_SPLIT",
                   help=".cie/.jsonl file or folder, or a split of annotations/corpus: train, dev, test")
    p.add_argument("--baselines", default="spacy,lexicon", metavar="NAMES",
                   help="comma-separated baselines to compare with (spacy, lexicon), or 'none' (default: %(default)s)")
    p.add_argument("--out", default="eval_report", metavar="DIR", help="report folder (default: %(default)s)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="bootstrap resamples for confidence intervals; 0 for none (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: %(default)s)")
    p.add_argument("--training-log", default=None, metavar="FILE",
                   help="epochs.jsonl of the training run (default: MODEL/training_log/epochs.jsonl if present)")


def run(args: argparse.Namespace) -> int:
    from conflict_ie.annotations.diagnostics import AnnotationError
    from conflict_ie.eval.api import evaluate_model
    from conflict_ie.eval.report import headline_table

    if args.bootstrap < 0:
        print("error: --bootstrap must be 0 or more", file=sys.stderr)
        return 2
    try:
        report = evaluate_model(args.model, args.data, baselines=args.baselines, out=args.out,
                                n_bootstrap=args.bootstrap, seed=args.seed, training_log=args.training_log)
    except AnnotationError as exc:
        print(f"error: the gold data does not validate:\n{exc}", file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(headline_table(report))
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"report written to {args.out}/ (report.md, report.json, plots)", file=sys.stderr)
    return 0
