"""Evaluation: span, relation and record scores with bootstrap CIs, baselines, reports.

``conflict_ie.eval.metrics`` is light (the training loop imports it for early
stopping); the heavier entry points below load on first use.
"""

from __future__ import annotations

__all__ = ["evaluate", "evaluate_model", "EvalReport", "EvalSettings"]


def __getattr__(name: str):
    if name == "evaluate_model":
        from conflict_ie.eval.api import evaluate_model

        return evaluate_model
    if name in ("evaluate", "EvalReport", "EvalSettings"):
        from conflict_ie.eval import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'conflict_ie.eval' has no attribute {name!r}")
