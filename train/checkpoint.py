"""Per-epoch checkpoints without pickle: safetensors for tensors, JSON for the rest.

Resuming restarts the epoch after the last complete one. Each epoch reseeds
every RNG from (seed, epoch), so a resumed run replays exactly the epochs an
uninterrupted run would have had.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

MODEL_FILE = "model.safetensors"
OPTIM_TENSORS = "optimizer.safetensors"
OPTIM_META = "optimizer.json"
SCHEDULER_FILE = "scheduler.json"
STATE_FILE = "trainer_state.json"


@dataclass
class TrainerState:
    epoch: int = 0  # epochs completed
    global_step: int = 0
    best_score: float | None = None
    best_epoch: int | None = None
    epochs_without_improvement: int = 0
    history: list[dict] = field(default_factory=list)


def _optimizer_to_files(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    sd = opt.state_dict()
    tensors, scalars = {}, {}
    for pid, st in sd["state"].items():
        for k, v in st.items():
            if torch.is_tensor(v):
                tensors[f"{pid}.{k}"] = v.detach().cpu().contiguous()
            else:
                scalars[f"{pid}.{k}"] = v
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    return tensors, {"param_groups": groups, "scalars": scalars}


def _optimizer_from_files(tensors: dict[str, torch.Tensor], meta: dict) -> dict:
    state: dict[int, dict] = {}
    for key, v in list(tensors.items()) + list(meta["scalars"].items()):
        pid, _, name = key.partition(".")
        state.setdefault(int(pid), {})[name] = v
    groups = [{k: (tuple(v) if k == "betas" else v) for k, v in g.items()} for g in meta["param_groups"]]
    return {"state": state, "param_groups": groups}


def save_checkpoint(folder: Path, model: torch.nn.Module, optimizer, scheduler, state: TrainerState) -> None:
    """Write atomically: a crash mid-write leaves the previous checkpoint intact."""
    tmp = folder.with_name(folder.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    from safetensors.torch import save_model

    save_model(model, str(tmp / MODEL_FILE))
    tensors, meta = _optimizer_to_files(optimizer)
    save_file(tensors, str(tmp / OPTIM_TENSORS))
    (tmp / OPTIM_META).write_text(json.dumps(meta))
    (tmp / SCHEDULER_FILE).write_text(json.dumps(scheduler.state_dict()))
    (tmp / STATE_FILE).write_text(json.dumps(asdict(state), indent=2))
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)


def last_checkpoint(checkpoints: Path) -> Path | None:
    if not checkpoints.is_dir():
        return None
    done = [p for p in checkpoints.glob("epoch-*") if (p / STATE_FILE).is_file() and not p.name.endswith(".tmp")]
    return max(done, key=lambda p: int(p.name.split("-")[1]), default=None)


def load_checkpoint(folder: Path, model: torch.nn.Module, optimizer, scheduler) -> TrainerState:
    from safetensors.torch import load_model

    load_model(model, str(folder / MODEL_FILE), strict=False)
    optimizer.load_state_dict(_optimizer_from_files(load_file(str(folder / OPTIM_TENSORS)),
                                                    json.loads((folder / OPTIM_META).read_text())))
    scheduler.load_state_dict(json.loads((folder / SCHEDULER_FILE).read_text()))
    return TrainerState(**json.loads((folder / STATE_FILE).read_text()))
