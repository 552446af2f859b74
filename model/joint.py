"""The joint model: one encoder, a BIO tagger over every span label, and a relation head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from conflict_ie.model.config import ModelConfig
from conflict_ie.model.decode import DecodedSpan, tags_to_spans, viterbi
from conflict_ie.model.encoder import encoder_from_config, load_pretrained_encoder
from conflict_ie.model.heads import RelationHead
from conflict_ie.model.surface import N_SHAPES
from conflict_ie.model.windows import TokenizedDoc, WindowBatch, build_window_batch


MAX_TAILS_PER_HEAD = 8
# Caps no config can change: a COREF mention links to its one nearest earlier mention (schema).
FIXED_TAIL_CAPS = {"COREF": 1}


def tail_cap(label: str, max_tails: dict[str, int]) -> int:
    """Most tails one head keeps for a relation label: fixed by the schema, else chosen, else the default."""
    return FIXED_TAIL_CAPS.get(label, max_tails.get(label, MAX_TAILS_PER_HEAD))


@dataclass(frozen=True)
class PredictedRelation:
    head: int  # index into the document's spans
    tail: int
    label: str
    score: float


@dataclass
class DocPrediction:
    spans: list[DecodedSpan]
    relations: list[PredictedRelation]


class ConflictJointModel(nn.Module):
    def __init__(self, config: ModelConfig, encoder: nn.Module | None = None):
        super().__init__()
        self.config = config
        self.encoder = encoder if encoder is not None else encoder_from_config(config.encoder_config)
        hidden = self.encoder.config.hidden_size
        labels = config.labels
        self.tags = labels.tags
        self.relation_labels = labels.relation_labels
        self.dropout = nn.Dropout(config.dropout)
        self.tagger = nn.Linear(hidden, len(self.tags))
        self.relation = RelationHead(hidden, len(labels.span_labels), len(self.relation_labels), config.span_label_dim,
                                     config.distance_buckets, config.distance_dim, config.relation_hidden, config.dropout,
                                     config.sentence_dim, config.pair_product)
        self.casing = None
        if config.casing_features:
            # Starts at zero: training begins from the encoder's own behaviour and learns what capitals add.
            self.casing = nn.Embedding(N_SHAPES, hidden)
            nn.init.zeros_(self.casing.weight)
        # Derived from the label space: rebuilt, never saved.
        self.register_buffer("pair_mask", labels.pair_mask(), persistent=False)
        self.register_buffer("tag_weights", self._tag_weights(config), persistent=False)
        self._transitions = labels.transition_mask().numpy()
        self._start_ok = labels.start_mask().numpy()
        self.tokenizer = None  # attached by from_encoder / from_pretrained

    @staticmethod
    def _tag_weights(config: ModelConfig) -> torch.Tensor | None:
        if config.trigger_loss_weight == 1.0:
            return None
        from conflict_ie import schema

        triggers = set(schema.TRIGGER_LABELS)
        return torch.tensor([config.trigger_loss_weight if t[2:] in triggers else 1.0 for t in config.labels.tags])

    # Construction -------------------------------------------------------
    @classmethod
    def from_encoder(cls, encoder_name: str, revision: str | None = None, **overrides) -> "ConflictJointModel":
        encoder, tokenizer, enc_cfg = load_pretrained_encoder(encoder_name, revision)
        model = cls(ModelConfig(encoder_name=encoder_name, encoder_config=enc_cfg, **overrides), encoder)
        model.tokenizer = tokenizer
        return model

    @property
    def special_ids(self) -> tuple[int, int, int]:
        tok = self.tokenizer
        cls_id = tok.cls_token_id if tok.cls_token_id is not None else tok.bos_token_id
        sep_id = tok.sep_token_id if tok.sep_token_id is not None else tok.eos_token_id
        pad_id = tok.pad_token_id if tok.pad_token_id is not None else 0
        return cls_id, sep_id, pad_id

    def window_batch(self, docs: Sequence[TokenizedDoc]) -> WindowBatch:
        return build_window_batch(list(docs), self.config.max_length, self.config.stride, *self.special_ids)

    # Training -----------------------------------------------------------
    def run_encoder(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    shape_ids: torch.Tensor | None = None) -> torch.Tensor:
        """Last hidden states of the windows [n_windows, L, hidden], casing added to the input embeddings."""
        if self.casing is None:
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if shape_ids is None:
            raise ValueError("this model uses casing features: pass the windows' shape_ids")
        embeds = self.encoder.get_input_embeddings()(input_ids) + self.casing(shape_ids)
        return self.encoder(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state

    def encode(self, input_ids, attention_mask, gather_window, gather_position, shape_ids=None) -> torch.Tensor:
        out = self.run_encoder(input_ids, attention_mask, shape_ids)
        return out[gather_window, gather_position]

    def forward(self, input_ids, attention_mask, gather_window, gather_position, doc_lengths, tag_ids,
                span_ranges, span_labels, pairs, pair_targets, shape_ids=None,
                span_sentences=None) -> dict[str, torch.Tensor]:
        flat = self.encode(input_ids, attention_mask, gather_window, gather_position, shape_ids)
        tag_logits = self.tagger(self.dropout(flat))
        tag_loss = F.cross_entropy(tag_logits.float(), tag_ids, weight=self.tag_weights, ignore_index=-100)
        rel_logits, rel_targets, rel_allowed = [], [], []
        sentences_per_doc = span_sentences if span_sentences is not None else [None] * len(span_ranges)
        for hidden, ranges, labels, prs, targets, sents in zip(flat.split(list(doc_lengths)), span_ranges, span_labels,
                                                               pairs, pair_targets, sentences_per_doc):
            if prs.numel() and self.training and self.config.negative_sample_ratio < 1.0:
                # Most candidate pairs hold no relation; a fresh random share of them each step is enough.
                keep = targets.any(1) | (torch.rand(prs.size(0), device=prs.device) < self.config.negative_sample_ratio)
                prs, targets = prs[keep], targets[keep]
            if prs.numel():
                rel_logits.append(self.relation(self.dropout(hidden), ranges, labels, prs, self.pair_mask, sents))
                rel_targets.append(targets)
                rel_allowed.append(self.pair_mask[labels[prs[:, 0]], labels[prs[:, 1]]])
        if rel_logits:
            rel_loss = self.relation_loss(torch.cat(rel_logits), torch.cat(rel_targets), torch.cat(rel_allowed))
        else:  # keep the graph connected so every DDP rank reduces the same parameters
            rel_loss = sum(p.sum() for p in self.relation.parameters()) * 0.0
        loss = tag_loss + self.config.relation_loss_weight * rel_loss
        return {"loss": loss, "tag_loss": tag_loss.detach(), "relation_loss": rel_loss.detach()}

    def relation_loss(self, logits: torch.Tensor, targets: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
        """Binary cross-entropy per (pair, relation) the schema allows; absent relations down-weighted."""
        bce = F.binary_cross_entropy_with_logits(logits.float(), targets.float(), reduction="none")
        weight = torch.where(targets.bool(), 1.0, self.config.negative_pair_weight) * allowed
        return (bce * weight).sum() / allowed.sum().clamp(min=1)

    # Inference ----------------------------------------------------------
    @torch.no_grad()
    def predict(self, texts: Sequence[str], docs: Sequence[TokenizedDoc], window_batch_size: int = 32) -> list[DocPrediction]:
        """Spans and relations for tokenized documents (each a whole article)."""
        if not docs:
            return []
        device = next(self.parameters()).device
        wb = self.window_batch(docs)
        rows = []
        for i in range(0, wb.input_ids.size(0), window_batch_size):
            ids = wb.input_ids[i:i + window_batch_size].to(device)
            mask = wb.attention_mask[i:i + window_batch_size].to(device)
            shapes = wb.shape_ids[i:i + window_batch_size].to(device)
            width = int(mask.sum(1).max())  # trim padding shared by the chunk
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                out = self.run_encoder(ids[:, :width], mask[:, :width], shapes[:, :width])
            rows.append(F.pad(out.float(), (0, 0, 0, wb.input_ids.size(1) - width)))
        hidden_rows = torch.cat(rows)
        flat = hidden_rows[wb.gather_window.to(device), wb.gather_position.to(device)]
        logp_all = torch.log_softmax(self.tagger(flat), -1)
        results = []
        for text, doc, hidden, logp in zip(texts, docs, flat.split(wb.doc_lengths), logp_all.split(wb.doc_lengths)):
            logp_np = logp.cpu().numpy()
            path = viterbi(logp_np, self._transitions, self._start_ok)
            spans = tags_to_spans(text, path, np.exp(logp_np), self.tags, doc.offsets)
            results.append(DocPrediction(spans, self._predict_relations(hidden, spans, doc.sentences)))
        return results

    def _predict_relations(self, hidden: torch.Tensor, spans: list[DecodedSpan],
                           token_sentences: list[int]) -> list[PredictedRelation]:
        if len(spans) < 2:
            return []
        label2id = self.config.labels.label2id
        ranges = torch.tensor([[s.tok_start, s.tok_end] for s in spans], device=hidden.device)
        labels = torch.tensor([label2id[s.label] for s in spans], device=hidden.device)
        sentences = torch.tensor([token_sentences[s.tok_start] for s in spans], device=hidden.device)
        pairs = self.relation.candidates(ranges, labels, self.pair_mask, self.config.max_relation_distance)
        if not pairs.numel():
            return []
        probs = torch.sigmoid(self.relation(hidden, ranges, labels, pairs, self.pair_mask, sentences).float())
        cfg = self.config
        cut = torch.tensor([cfg.relation_thresholds.get(n, cfg.relation_threshold) for n in self.relation_labels],
                           device=probs.device)
        hit = probs >= cut
        coref = self.relation_labels.index("COREF") if "COREF" in self.relation_labels else None
        if coref is not None:  # the schema fixes COREF's direction: the later mention is the head
            hit[:, coref] &= ranges[pairs[:, 0], 0] > ranges[pairs[:, 1], 0]
        k_idx, c_idx = hit.nonzero(as_tuple=True)
        if not k_idx.numel():
            return []
        heads, scores = pairs[k_idx, 0], probs[k_idx, c_idx]
        # Keep the best few tails per (head, label), in tensors, before anything reaches Python:
        # a trigger has a few actors or places, not dozens, and COREF links to one earlier mention.
        order = torch.argsort(scores, descending=True, stable=True)
        group = heads[order] * len(self.relation_labels) + c_idx[order]
        order = order[torch.argsort(group, stable=True)]
        group = heads[order] * len(self.relation_labels) + c_idx[order]
        _, counts = torch.unique_consecutive(group, return_counts=True)
        rank = torch.arange(group.numel(), device=group.device) - torch.repeat_interleave(counts.cumsum(0) - counts, counts)
        caps = torch.tensor([tail_cap(n, cfg.relation_max_tails) for n in self.relation_labels], device=rank.device)
        limit = caps[c_idx[order]]
        keep = order[rank < limit]
        if cfg.relation_span_floor > 0:  # after the caps, so that calibration can rank tails by their own score
            span_scores = torch.tensor([s.score for s in spans], device=scores.device, dtype=scores.dtype)
            pair_floor = torch.minimum(span_scores[pairs[k_idx[keep], 0]], span_scores[pairs[k_idx[keep], 1]])
            keep = keep[scores[keep] * pair_floor >= cfg.relation_span_floor]
        out = [PredictedRelation(h, t, self.relation_labels[c], p) for (h, t), c, p in
               zip(pairs[k_idx[keep]].tolist(), c_idx[keep].tolist(), scores[keep].tolist())]
        return sorted(out, key=lambda r: (r.head, r.tail, r.label))

    # Persistence (Hub layout, safetensors only) -------------------------
    def save_pretrained(self, folder, card: str | None = None, scores: dict | None = None) -> None:
        from conflict_ie.model.hub import save_model

        save_model(self, folder, card=card, scores=scores)

    @classmethod
    def from_pretrained(cls, path_or_id: str, revision: str | None = None, **hub_kwargs) -> "ConflictJointModel":
        from conflict_ie.model.hub import load_model

        return load_model(cls, path_or_id, revision=revision, **hub_kwargs)

    def push_to_hub(self, repo_id: str, **kwargs) -> str:
        from conflict_ie.model.hub import push_model

        return push_model(self, repo_id, **kwargs)
