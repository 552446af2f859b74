"""What ``--data`` names: annotation files/folders, or a split of the project corpus."""

from __future__ import annotations

import os
from pathlib import Path

import conflict_ie
from conflict_ie import schema
from conflict_ie.annotations.corpus import load_articles
from conflict_ie.annotations.document import Article

CORPUS = Path("annotations") / "corpus"


def default_corpus_dir() -> Path:
    """``annotations/corpus`` under the current folder, else in the checkout the package runs from."""
    here = Path.cwd() / CORPUS
    if here.is_dir():
        return here
    return Path(conflict_ie.__file__).resolve().parent.parent / CORPUS


def load_data(spec: str | os.PathLike, corpus_dir: str | os.PathLike | None = None) -> tuple[list[Article], str]:
    """(articles, description) for a path to .cie/.jsonl files or folders, or a split name.

    A split name (train, dev, test) means the corpus filtered by that split,
    unless a file or folder of that name exists (the path wins).
    """
    spec_s = os.fspath(spec)
    if spec_s in schema.SPLITS and not Path(spec_s).exists():
        corpus = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
        if not corpus.is_dir():
            raise FileNotFoundError(f"split {spec_s!r} needs the corpus folder, and {corpus} does not exist")
        articles = load_articles(corpus, split=spec_s)
        source = f"{corpus} (split {spec_s})"
    else:
        if not Path(spec_s).exists():
            raise FileNotFoundError(f"no such file or folder: {spec_s} (or give a split: {', '.join(schema.SPLITS)})")
        articles = load_articles(spec_s)
        source = spec_s
    if not articles:
        raise ValueError(f"no articles in {source}")
    return articles, source
