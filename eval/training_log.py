"""Reading a training run's ``epochs.jsonl`` (one JSON object per epoch) for the learning curve."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

# Where the log of the run that made a saved model may be, first match wins:
# the model folder's training_log/epochs.jsonl (the documented place), its
# training_log.jsonl (what the trainer writes into a saved model), and the
# run folder's epochs.jsonl when the model is a run's best/ subfolder.
MODEL_LOGS: tuple[Path, ...] = (Path("training_log") / "epochs.jsonl", Path("training_log.jsonl"),
                                Path("..") / "epochs.jsonl")


@dataclass
class EpochLog:
    epoch: int
    train_loss: float | None = None
    dev_entity_f1: float | None = None
    dev_trigger_f1: float | None = None
    dev_relation_f1: float | None = None
    seconds: float | None = None
    extra: dict[str, float] = field(default_factory=dict)  # any other numeric key the trainer logged


_KNOWN = ("train_loss", "dev_entity_f1", "dev_trigger_f1", "dev_relation_f1", "seconds")


def _number(value, key: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: {key!r} must be a finite number, got {value!r}")
    return float(value)


def read_epochs(path: str | os.PathLike) -> list[EpochLog]:
    """Epoch records in file order; blank lines are skipped, anything malformed is an error with its line."""
    path = Path(path)
    out: list[EpochLog] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not valid JSON: {exc.msg}") from exc
        if not isinstance(d, dict):
            raise ValueError(f"{where}: each line must be a JSON object")
        epoch = d.get("epoch")
        if isinstance(epoch, bool) or not isinstance(epoch, int):
            raise ValueError(f"{where}: 'epoch' must be an integer, got {epoch!r}")
        extra = {k: float(v) for k, v in d.items()
                 if k not in _KNOWN and k != "epoch" and isinstance(v, (int, float)) and not isinstance(v, bool)}
        out.append(EpochLog(epoch, *(_number(d.get(k), k, where) for k in _KNOWN), extra=extra))
    return out


def find_training_log(model_dir: str | os.PathLike | None) -> Path | None:
    """The training log that goes with a saved model folder, if there is one (see MODEL_LOGS)."""
    if model_dir is None:
        return None
    for rel in MODEL_LOGS:
        candidate = Path(model_dir) / rel
        if candidate.is_file():
            return candidate
    return None
