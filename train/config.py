"""Typed, validated training configuration, read from YAML with ``--set key=value`` overrides.

Every section rejects keys it does not know, and the error names the key and
the line of the YAML file it came from, so a typo never silently falls back to
a default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DataConfig(_Section):
    corpus: list[str] = Field(["annotations/corpus"], description="annotation files or folders (.cie/.jsonl)")
    train_split: str = Field("train", description="split name used for training")
    dev_split: str = Field("dev", description="split name used for early stopping and model choice")
    max_train_articles: int | None = Field(None, ge=1, description="cap on training articles (smoke runs)")
    name_swap: float = Field(0.0, ge=0.0, le=1.0,
                             description="augmentation: each epoch, swap each proper name of a training article for "
                                         "another name of the same label with this probability (0: off)")


class EncoderConfig(_Section):
    name: str = Field("packaged:all-MiniLM-L6-v2", description="packaged alias, local folder or Hub id")
    revision: str | None = Field(None, description="Hub revision (branch, tag or commit)")
    tiny: dict[str, Any] | None = Field(
        None, description="build a randomly initialised encoder of this transformers config instead of loading "
                          "weights (tests); the tokenizer still comes from `name`")


class HeadsConfig(_Section):
    span_label_dim: int = Field(32, ge=1)
    relation_hidden: int = Field(256, ge=1)
    distance_dim: int = Field(32, ge=1)
    distance_buckets: int = Field(16, ge=2)
    dropout: float = Field(0.1, ge=0.0, lt=1.0)
    max_relation_distance: int = Field(160, ge=1, description="tokens between two spans beyond which no relation is scored")
    relation_loss_weight: float = Field(1.0, ge=0.0)
    trigger_loss_weight: float = Field(1.0, gt=0.0, description="weight of the B-/I- tags of event triggers in "
                                                               "the tag loss (entity and O tags weigh 1)")
    negative_pair_weight: float = Field(0.3, gt=0.0)
    negative_sample_ratio: float = Field(1.0, gt=0.0, le=1.0,
                                         description="share of relation-less candidate pairs scored per training "
                                                     "step; below 1 trades a little signal for speed")
    relation_threshold: float = Field(0.5, gt=0.0, lt=1.0)
    casing_features: bool = Field(True, description="add a learnt word-casing embedding to the encoder input "
                                                    "(uncased encoders cannot see capitals otherwise)")
    sentence_dim: int = Field(16, ge=0, description="relation head: size of the sentence-distance embedding "
                                                    "(0 switches it off)")
    pair_product: bool = Field(True, description="relation head: add a low-rank bilinear head-by-tail term")


class WindowConfig(_Section):
    max_length: int = Field(256, ge=8, description="encoder window in tokens, special tokens included")
    stride: int = Field(64, ge=0, description="overlap between consecutive windows, in tokens")

    @model_validator(mode="after")
    def _stride_fits(self):
        if self.stride >= self.max_length - 2:
            raise ValueError(f"stride ({self.stride}) must be smaller than max_length - 2 ({self.max_length - 2})")
        return self


class OptimizerConfig(_Section):
    encoder_lr: float = Field(5e-5, gt=0)
    head_lr: float = Field(1e-3, gt=0)
    weight_decay: float = Field(0.01, ge=0)
    grad_clip: float | None = Field(1.0, gt=0)


class ScheduleConfig(_Section):
    kind: Literal["linear", "constant"] = "linear"
    warmup_ratio: float = Field(0.1, ge=0, lt=1)


class TrainingConfig(_Section):
    epochs: int = Field(10, ge=1)
    batch_size: int = Field(4, ge=1, description="documents per optimisation step (per process)")
    eval_batch_size: int = Field(8, ge=1, description="documents per prediction batch on dev")
    grad_accum: int = Field(1, ge=1)
    precision: Literal["fp32", "bf16", "fp16"] = "fp32"
    seed: int = 13
    num_threads: int | None = Field(None, ge=1, description="torch CPU threads (None: torch's default)")
    early_stopping_patience: int | None = Field(3, ge=1, description="epochs without dev improvement before stopping")
    device: Literal["auto", "cpu", "cuda"] = "auto"


class OutputConfig(_Section):
    dir: str = Field("runs/default", description="run folder: config, logs, checkpoints, best model")
    overwrite: bool = Field(False, description="allow a fresh run into a folder that has checkpoints")


class TrainConfig(_Section):
    data: DataConfig = DataConfig()
    encoder: EncoderConfig = EncoderConfig()
    heads: HeadsConfig = HeadsConfig()
    windows: WindowConfig = WindowConfig()
    optimizer: OptimizerConfig = OptimizerConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    training: TrainingConfig = TrainingConfig()
    output: OutputConfig = OutputConfig()


class ConfigError(ValueError):
    pass


def _line_of(node, loc: tuple) -> int | None:
    """Line (1-based) of the YAML key at a pydantic error location."""
    line = None
    for key in loc:
        if not isinstance(node, yaml.MappingNode):
            break
        for k, v in node.value:
            if k.value == key:
                line, node = k.start_mark.line + 1, v
                break
        else:
            break
    return line


def apply_override(data: dict, assignment: str) -> None:
    """Apply one ``a.b.c=value`` override; the value is parsed as YAML."""
    if "=" not in assignment:
        raise ConfigError(f"--set {assignment!r}: expected key=value, e.g. training.epochs=3")
    key, _, raw = assignment.partition("=")
    parts = key.strip().split(".")
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set {key}: {p!r} is not a section")
    node[parts[-1]] = yaml.safe_load(raw)


def load_config(path: str | Path | None, overrides: list[str] = ()) -> TrainConfig:
    source = "<defaults>"
    root = None
    data: dict = {}
    if path is not None:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
        try:
            root = yaml.compose(text)
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the config must be a mapping of sections")
    for o in overrides:
        apply_override(data, o)
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            dotted = ".".join(str(x) for x in e["loc"])
            line = _line_of(root, e["loc"]) if root is not None else None
            where = f"{source}:{line}" if line else source
            if e["type"] == "extra_forbidden":
                msgs.append(f"{where}: unknown config key '{dotted}'")
            else:
                msgs.append(f"{where}: '{dotted}': {e['msg']}")
        raise ConfigError("\n".join(msgs)) from None


def dump_config(cfg: TrainConfig) -> str:
    return yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False)
