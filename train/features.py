"""Gold articles -> tensors for the joint model: BIO tag ids, span token ranges, relation targets."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from conflict_ie.annotations.document import Article
from conflict_ie.model.heads import RelationHead
from conflict_ie.model.labels import LabelSpace
from conflict_ie.model.windows import TokenizedDoc, char_span_to_tokens, tokenize_document


@dataclass
class DocFeatures:
    article_id: str
    doc: TokenizedDoc
    tag_ids: torch.Tensor  # [T]
    span_ranges: torch.Tensor  # [n, 2] inclusive token ranges
    span_labels: torch.Tensor  # [n]
    span_sentences: torch.Tensor  # [n] sentence index of each span's first token
    pairs: torch.Tensor  # [m, 2] candidate (head, tail) span indices
    pair_targets: torch.Tensor  # [m, n_relations] 0/1
    unreachable_relations: int  # gold relations too far apart for the relation head


def featurize(article: Article, tokenizer, labels: LabelSpace, max_relation_distance: int,
              pair_mask: torch.Tensor) -> DocFeatures:
    doc = tokenize_document(tokenizer, article.text)
    tag2id, label2id = labels.tag2id, labels.label2id
    tags = [tag2id["O"]] * len(doc)
    ends = [e for _, e in doc.offsets]
    index: dict[str, int] = {}
    ranges, span_labels = [], []
    for sp in article.sorted_spans():
        rng = char_span_to_tokens(doc.offsets, sp.start, sp.end, ends)
        if rng is None:  # a span of characters the tokenizer drops (e.g. a lone control char)
            continue
        a, b = rng
        if any(tags[i] != tag2id["O"] for i in range(a, b + 1)):
            continue  # two spans inside one subword token: keep the first
        tags[a] = tag2id[f"B-{sp.label}"]
        for i in range(a + 1, b + 1):
            tags[i] = tag2id[f"I-{sp.label}"]
        index[sp.id] = len(ranges)
        ranges.append((a, b))
        span_labels.append(label2id[sp.label])
    r = torch.tensor(ranges, dtype=torch.long).reshape(-1, 2)
    lab = torch.tensor(span_labels, dtype=torch.long)
    pairs = RelationHead.candidates(r, lab, pair_mask, max_relation_distance)
    pos = {(h, t): k for k, (h, t) in enumerate(pairs.tolist())}
    targets = torch.zeros(pairs.size(0), len(labels.relation_labels), dtype=torch.long)
    rel_index = {name: i for i, name in enumerate(labels.relation_labels)}
    unreachable = 0
    for rel in article.relations:
        h, t = index.get(rel.head), index.get(rel.tail)
        k = pos.get((h, t)) if h is not None and t is not None else None
        if k is None:
            unreachable += 1
            continue
        targets[k, rel_index[rel.label]] = 1
    sents = torch.tensor([doc.sentences[a] for a, _ in ranges], dtype=torch.long)
    return DocFeatures(article.id, doc, torch.tensor(tags, dtype=torch.long), r, lab, sents, pairs, targets, unreachable)


def collate(features: list[DocFeatures], model) -> dict:
    """One training batch: the windows of several documents plus their targets."""
    wb = model.window_batch([f.doc for f in features])
    return {
        "input_ids": wb.input_ids,
        "attention_mask": wb.attention_mask,
        "shape_ids": wb.shape_ids,
        "gather_window": wb.gather_window,
        "gather_position": wb.gather_position,
        "doc_lengths": wb.doc_lengths,
        "tag_ids": torch.cat([f.tag_ids for f in features]) if features else torch.zeros(0, dtype=torch.long),
        "span_ranges": [f.span_ranges for f in features],
        "span_labels": [f.span_labels for f in features],
        "span_sentences": [f.span_sentences for f in features],
        "pairs": [f.pairs for f in features],
        "pair_targets": [f.pair_targets for f in features],
    }
