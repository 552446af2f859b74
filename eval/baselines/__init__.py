"""Baselines the model is compared with, by name (``--baselines spacy,lexicon``)."""

from __future__ import annotations

from typing import Callable

from conflict_ie.eval.predictor import Predictor


def _spacy() -> Predictor:
    from conflict_ie.eval.baselines.spacy_baseline import SpacyBaseline

    return SpacyBaseline()


def _lexicon() -> Predictor:
    from conflict_ie.eval.baselines.lexicon import LexiconBaseline

    return LexiconBaseline()


BASELINES: dict[str, Callable[[], Predictor]] = {"spacy": _spacy, "lexicon": _lexicon}


def make_baselines(names: str | list[str] | tuple[str, ...]) -> list[Predictor]:
    """Baselines from names ("spacy,lexicon", a list, or "none"/"" for no baseline)."""
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",")]
    names = [n for n in names if n and n.lower() != "none"]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise ValueError(f"unknown baseline(s) {', '.join(map(repr, unknown))}; known: {', '.join(BASELINES)} or none")
    return [BASELINES[n]() for n in dict.fromkeys(names)]
