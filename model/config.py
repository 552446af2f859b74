"""The saved configuration of a joint model: everything needed to rebuild it offline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from conflict_ie.schema import SCHEMA_VERSION
from conflict_ie.model.labels import LabelSpace


@dataclass
class ModelConfig:
    """Architecture and label maps. Written to ``config.json`` in the model folder.

    ``encoder_config`` is the encoder's own transformers config as a dict, so that
    a saved model is rebuilt from its folder alone (no encoder download).
    """

    encoder_name: str
    encoder_config: dict[str, Any]
    labels: LabelSpace = field(default_factory=LabelSpace.from_schema)
    schema_version: int = SCHEMA_VERSION
    # Windows over long articles (in encoder tokens, specials included).
    max_length: int = 256
    stride: int = 64
    # Relation head.
    max_relation_distance: int = 160
    span_label_dim: int = 32
    distance_buckets: int = 16
    distance_dim: int = 32
    relation_hidden: int = 256
    dropout: float = 0.1
    # Surface features (model/surface.py). Off by default so that folders saved before they
    # existed load unchanged; training configs switch them on.
    casing_features: bool = False  # a learnt casing embedding added to the encoder's input embeddings
    sentence_dim: int = 0  # relation head: embedding of the head-to-tail sentence distance (0: off)
    pair_product: bool = False  # relation head: low-rank bilinear head x tail term
    # Loss mixing (used in training only; kept so a run is reproducible from its folder).
    relation_loss_weight: float = 1.0
    trigger_loss_weight: float = 1.0  # weight of event-trigger tags against entity and O tags in the tag loss
    negative_pair_weight: float = 0.3  # weight of the (many) absent relations in the relation loss
    negative_sample_ratio: float = 1.0  # share of relation-less pairs scored per training step (speed)
    relation_threshold: float = 0.5
    # Chosen on dev after training (train/calibrate.py); labels missing here use relation_threshold
    # and MAX_TAILS_PER_HEAD.
    relation_thresholds: dict[str, float] = field(default_factory=dict)
    relation_max_tails: dict[str, int] = field(default_factory=dict)
    # Also chosen on dev: a relation is dropped when its score times the lower of its two spans'
    # scores falls below this (0: off). A relation is only as sure as its less certain span.
    relation_span_floor: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["labels"] = self.labels.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ModelConfig":
        d = dict(d)
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"model config has unknown keys: {', '.join(sorted(unknown))}")
        d["labels"] = LabelSpace.from_dict(d["labels"]) if "labels" in d else LabelSpace.from_schema()
        if d.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise ValueError(f"model was trained on schema version {d['schema_version']}, "
                             f"this package speaks version {SCHEMA_VERSION}")
        return cls(**d)
