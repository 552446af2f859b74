"""The relation head: classifies ordered pairs of spans, constrained by the schema."""

from __future__ import annotations

import torch
from torch import nn

NEG = -1e4  # large but safe in fp16/bf16


def span_token_features(doc_hidden: torch.Tensor, ranges: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Span vectors [first; last; mean] over inclusive token ranges, and the cumulative sums reused for gaps."""
    cs = torch.cat([doc_hidden.new_zeros(1, doc_hidden.size(1)), doc_hidden.cumsum(0)], 0)
    a, b = ranges[:, 0], ranges[:, 1]
    mean = (cs[b + 1] - cs[a]) / (b - a + 1).unsqueeze(1).to(doc_hidden.dtype)
    return torch.cat([doc_hidden[a], doc_hidden[b], mean], dim=1), cs


def distance_bucket(d: torch.Tensor, buckets: int) -> torch.Tensor:
    """Signed token distance -> log-spaced bucket id in [0, 2*buckets)."""
    mag = d.abs().clamp(min=1).float()
    b = torch.clamp((torch.log2(mag)).long(), max=buckets - 1)
    b = torch.where(d.abs() == 0, torch.zeros_like(b), b)
    return b + buckets * (d < 0).long()


SENTENCE_REACH = 3  # sentence distances beyond +-3 share one bucket per side


def sentence_bucket(d: torch.Tensor) -> torch.Tensor:
    """Signed sentence distance (tail minus head) -> id in [0, 2*SENTENCE_REACH]."""
    return d.clamp(-SENTENCE_REACH, SENTENCE_REACH) + SENTENCE_REACH


class RelationHead(nn.Module):
    def __init__(self, hidden: int, n_span_labels: int, n_relations: int, label_dim: int, buckets: int,
                 distance_dim: int, inner: int, dropout: float, sentence_dim: int = 0, pair_product: bool = False):
        super().__init__()
        self.buckets = buckets
        self.label_emb = nn.Embedding(n_span_labels, label_dim)
        self.dist_emb = nn.Embedding(2 * buckets, distance_dim)
        self.sent_emb = nn.Embedding(2 * SENTENCE_REACH + 1, sentence_dim) if sentence_dim else None
        span_dim = 3 * hidden + label_dim
        self.mlp = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(2 * span_dim + hidden + distance_dim + sentence_dim, inner), nn.GELU(),
            nn.Dropout(dropout), nn.Linear(inner, n_relations),
        )
        # A low-rank bilinear term: the first layer alone is additive in head and tail, so it cannot
        # express "this trigger with that argument" beyond what the GELU recovers.
        self.product = None
        if pair_product:
            self.product = nn.ModuleList([nn.Linear(span_dim, inner, bias=False), nn.Linear(span_dim, inner, bias=False)])
            for lin in self.product:
                nn.init.normal_(lin.weight, std=0.02)

    @staticmethod
    def candidates(ranges: torch.Tensor, labels: torch.Tensor, pair_mask: torch.Tensor, max_distance: int) -> torch.Tensor:
        """Ordered pairs (head, tail) within reach that the schema lets relate: [m, 2]."""
        n = ranges.size(0)
        if n < 2:
            return ranges.new_zeros(0, 2)
        a, b = ranges[:, 0], ranges[:, 1]
        gap = torch.maximum(a[:, None], a[None, :]) - torch.minimum(b[:, None], b[None, :])
        ok = (gap <= max_distance) & pair_mask[labels[:, None], labels[None, :]].any(-1)
        ok.fill_diagonal_(False)
        return ok.nonzero()

    def forward(self, doc_hidden: torch.Tensor, ranges: torch.Tensor, labels: torch.Tensor, pairs: torch.Tensor,
                pair_mask: torch.Tensor, sentences: torch.Tensor | None = None) -> torch.Tensor:
        """Logits [m, n_relations] for the given pairs; relations the schema forbids are pushed to -inf-ish.

        ``sentences`` holds the sentence index of each span's first token (needed when the head was
        built with ``sentence_dim``).
        """
        feats, cs = span_token_features(doc_hidden, ranges)
        spans = self.mlp[0](torch.cat([feats, self.label_emb(labels)], dim=1))  # dropout
        h, t = pairs[:, 0], pairs[:, 1]
        lo = torch.minimum(ranges[h, 1], ranges[t, 1]) + 1
        hi = torch.maximum(ranges[h, 0], ranges[t, 0])
        width = (hi - lo).clamp(min=0)
        between = (cs[hi.clamp(min=0)] - cs[lo.clamp(max=cs.size(0) - 1)]) / width.clamp(min=1).unsqueeze(1).to(doc_hidden.dtype)
        between = torch.where((width > 0).unsqueeze(1), between, torch.zeros_like(between))
        rest = [between, self.dist_emb(distance_bucket(ranges[t, 0] - ranges[h, 0], self.buckets))]
        if self.sent_emb is not None:
            if sentences is None:
                raise ValueError("this relation head was built with sentence features: pass each span's sentence index")
            rest.append(self.sent_emb(sentence_bucket(sentences[t] - sentences[h])))
        # The first layer is linear in [head; tail; between; distance], so the head and tail blocks
        # are projected once per span and gathered per pair: the same function as projecting the
        # concatenation of every pair, at a fraction of the cost (there are far more pairs than spans).
        first: nn.Linear = self.mlp[1]
        d = spans.size(1)
        w_head, w_tail, w_rest = first.weight[:, :d], first.weight[:, d:2 * d], first.weight[:, 2 * d:]
        pre = (spans @ w_head.T)[h] + (spans @ w_tail.T)[t] + self.mlp[0](torch.cat(rest, dim=1)) @ w_rest.T
        if self.product is not None:
            pre = pre + self.product[0](spans)[h] * self.product[1](spans)[t]
        logits = self.mlp[2:](pre + first.bias)
        allowed = pair_mask[labels[h], labels[t]]
        return logits.masked_fill(~allowed, NEG)
