"""Label maps for the two heads, derived from the schema (never hand-listed)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from conflict_ie import schema


@dataclass(frozen=True)
class LabelSpace:
    """BIO tags over span labels, and relation classes with their constraints.

    Stored in the model config so a saved model decodes with the labels it was
    trained on, whatever the installed schema says.
    """

    span_labels: tuple[str, ...]
    relation_labels: tuple[str, ...]
    # relation -> (allowed head labels, allowed tail labels)
    relation_constraints: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]

    @classmethod
    def from_schema(cls) -> "LabelSpace":
        cons = {name: (tuple(sorted(r.heads)), tuple(sorted(r.tails))) for name, r in schema.RELATION_TYPES.items()}
        return cls(schema.SPAN_LABELS, schema.RELATION_LABELS, cons)

    @classmethod
    def from_dict(cls, d: dict) -> "LabelSpace":
        return cls(tuple(d["span_labels"]), tuple(d["relation_labels"]),
                   {k: (tuple(v[0]), tuple(v[1])) for k, v in d["relation_constraints"].items()})

    def to_dict(self) -> dict:
        return {"span_labels": list(self.span_labels), "relation_labels": list(self.relation_labels),
                "relation_constraints": {k: [list(v[0]), list(v[1])] for k, v in self.relation_constraints.items()}}

    @property
    def tags(self) -> tuple[str, ...]:
        return ("O",) + tuple(f"{p}-{lab}" for lab in self.span_labels for p in ("B", "I"))

    @property
    def tag2id(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tags)}

    @property
    def label2id(self) -> dict[str, int]:
        return {lab: i for i, lab in enumerate(self.span_labels)}

    def allowed(self, relation: str, head: str, tail: str) -> bool:
        heads, tails = self.relation_constraints[relation]
        if head not in heads or tail not in tails:
            return False
        return relation != "COREF" or head == tail

    def pair_mask(self) -> torch.Tensor:
        """Bool tensor [n_labels, n_labels, n_relations]: which relations a (head, tail) pair may take.

        Relations are multi-label (a ceasefire's announcer can also be a party to it);
        a pair with no allowed relation is never a candidate.
        """
        n = len(self.span_labels)
        mask = torch.zeros(n, n, len(self.relation_labels), dtype=torch.bool)
        for h, hl in enumerate(self.span_labels):
            for t, tl in enumerate(self.span_labels):
                for c, rel in enumerate(self.relation_labels):
                    mask[h, t, c] = self.allowed(rel, hl, tl)
        return mask

    def transition_mask(self) -> torch.Tensor:
        """Bool [n_tags, n_tags]: may tag j follow tag i under IOB2 (I-X only after B-X or I-X)."""
        tags = self.tags
        m = torch.ones(len(tags), len(tags), dtype=torch.bool)
        for j, tj in enumerate(tags):
            if tj.startswith("I-"):
                lab = tj[2:]
                for i, ti in enumerate(tags):
                    m[i, j] = ti in (f"B-{lab}", f"I-{lab}")
        return m

    def start_mask(self) -> torch.Tensor:
        return torch.tensor([not t.startswith("I-") for t in self.tags])
