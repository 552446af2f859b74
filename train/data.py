"""Loading the training and dev articles, with one-sentence errors before any training starts."""

from __future__ import annotations

from conflict_ie.annotations.corpus import load_with_diagnostics
from conflict_ie.annotations.document import Article
from conflict_ie.train.config import DataConfig


class DataError(ValueError):
    pass


def load_splits(cfg: DataConfig) -> tuple[list[Article], list[Article]]:
    articles, diags = load_with_diagnostics(cfg.corpus)
    if diags:
        first = diags[0]
        more = f" (and {len(diags) - 1} more; run `conflict-ie validate {' '.join(cfg.corpus)}`)" if len(diags) > 1 else ""
        kind = "labels the schema lacks" if first.code in ("unknown-label", "unknown-relation") else "errors"
        raise DataError(f"the training data has {kind}: {first}{more}")
    if not articles:
        raise DataError(f"no annotated articles found in {', '.join(cfg.corpus)}")
    train = [a for a in articles if a.split == cfg.train_split]
    dev = [a for a in articles if a.split == cfg.dev_split]
    for name, split in ((cfg.train_split, train), (cfg.dev_split, dev)):
        if not split:
            found = sorted({a.split for a in articles})
            raise DataError(f"split {name!r} is empty in {', '.join(cfg.corpus)} (splits found: {', '.join(found)})")
    if cfg.max_train_articles:
        train = train[: cfg.max_train_articles]
    return train, dev
