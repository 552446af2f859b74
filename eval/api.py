"""``evaluate_model``: load the model, the data and the baselines, score, and write the report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from conflict_ie.annotations.document import Article
from conflict_ie.eval.baselines import make_baselines
from conflict_ie.eval.data import load_data
from conflict_ie.eval.predictor import ExtractorPredictor, Predictor
from conflict_ie.eval.runner import EvalReport, EvalSettings, evaluate
from conflict_ie.eval.training_log import find_training_log, read_epochs

DEFAULT_OUT = "eval_report"


def load_model(model: Any) -> tuple[Predictor | None, Path | None]:
    """(predictor, model folder) from a folder, "none"/None (baselines only), or a loaded extractor."""
    if model is None or (isinstance(model, str) and model.lower() == "none"):
        return None, None
    if isinstance(model, (str, os.PathLike)):
        folder = Path(model)
        if not folder.is_dir():
            raise FileNotFoundError(f"model folder {folder} does not exist (use --model none for baselines only)")
        try:
            from conflict_ie import ConflictExtractor
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("conflict_ie"):
                raise
            raise RuntimeError(f"cannot load a model: {exc} (use --model none for baselines only)") from exc
        return ExtractorPredictor(ConflictExtractor.from_pretrained(folder)), folder
    return ExtractorPredictor(model), None


def evaluate_model(model: Any, data: str | os.PathLike | Sequence[Article], *,
                   baselines: str | Sequence[str] = "spacy,lexicon", out: str | os.PathLike | None = DEFAULT_OUT,
                   n_bootstrap: int = 1000, seed: int = 0, training_log: str | os.PathLike | None = None,
                   settings: EvalSettings | None = None) -> EvalReport:
    """Score a model (folder, loaded ``ConflictExtractor``, or None) and baselines on gold data.

    ``data`` is a path or split name (see ``conflict_ie.eval.data.load_data``)
    or a list of gold articles. With ``out`` set, report.json, report.md and the
    PNG plots are written there. The training log is ``training_log`` if given,
    else the model folder's ``training_log/epochs.jsonl`` when it has one.
    """
    if isinstance(data, (str, os.PathLike)):
        gold, source = load_data(data)
    else:
        gold, source = list(data), "given articles"
    predictor, folder = load_model(model)
    predictors = ([predictor] if predictor else []) + make_baselines(baselines)
    log_path = Path(training_log) if training_log is not None else find_training_log(folder)
    epochs = read_epochs(log_path) if log_path is not None else []
    settings = settings or EvalSettings(n_bootstrap=n_bootstrap, seed=seed)
    report = evaluate(predictors, gold, settings, source=source, training_log=epochs)
    if out is not None:
        from conflict_ie.eval.report import write_report

        write_report(report, out)
    return report
