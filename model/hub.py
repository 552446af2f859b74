"""Saving, loading and publishing models in Hugging Face Hub layout.

A model folder holds ``config.json`` (architecture, every label map, schema
version, window settings), ``model.safetensors``, the tokenizer files, a
``README.md`` model card and, where known, ``scores.json``. Pickle files are
never read: a folder or repo without ``model.safetensors`` is refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conflict_ie import __version__
from conflict_ie.model.config import ModelConfig

if TYPE_CHECKING:
    from conflict_ie.model.joint import ConflictJointModel

CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"
SCORES_NAME = "scores.json"
ARCHITECTURE = "ConflictJointModel"
_HUB_FILES = [CONFIG_NAME, WEIGHTS_NAME, SCORES_NAME, "README.md", "tokenizer.json", "tokenizer_config.json",
              "special_tokens_map.json", "vocab.txt", "vocab.json", "merges.txt", "spm.model", "sentencepiece.bpe.model",
              "added_tokens.json"]


class ModelLoadError(RuntimeError):
    pass


def save_model(model: "ConflictJointModel", folder, card: str | None = None, scores: dict | None = None) -> Path:
    from safetensors.torch import save_model as st_save

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cfg = {"architecture": ARCHITECTURE, "conflict_ie_version": __version__, **model.config.to_dict()}
    (folder / CONFIG_NAME).write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    st_save(model, str(folder / WEIGHTS_NAME), metadata={"format": "pt", "architecture": ARCHITECTURE})
    if model.tokenizer is not None:
        model.tokenizer.save_pretrained(str(folder))
    if scores is not None:
        (folder / SCORES_NAME).write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    if card is not None:
        (folder / "README.md").write_text(card, encoding="utf-8")
    return folder


def resolve_model_folder(path_or_id: str, revision: str | None = None, cache_dir=None, token=None,
                         local_files_only: bool | None = None) -> Path:
    """A local folder as is; a Hub id through the cache (offline with HF_HUB_OFFLINE=1)."""
    p = Path(path_or_id).expanduser()
    if p.is_dir():
        return p
    if path_or_id.startswith((".", "/", "~")) or path_or_id.count("/") > 1:
        raise ModelLoadError(f"model folder {path_or_id!r} does not exist")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(path_or_id, revision=revision, cache_dir=cache_dir, token=token,
                                      allow_patterns=_HUB_FILES, local_files_only=bool(local_files_only)))
    except LocalEntryNotFoundError as exc:
        raise ModelLoadError(f"model {path_or_id!r} is not in the local Hugging Face cache and cannot be downloaded "
                             f"now (offline?): {exc}") from exc
    except Exception as exc:  # RepositoryNotFoundError, RevisionNotFoundError, HTTP errors
        raise ModelLoadError(f"model {path_or_id!r} could not be fetched from the Hub: {exc}") from exc


def read_config(folder: Path) -> ModelConfig:
    try:
        raw: dict[str, Any] = json.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelLoadError(f"{folder} has no {CONFIG_NAME}: not a conflict-ie model folder") from exc
    if raw.pop("architecture", None) != ARCHITECTURE:
        raise ModelLoadError(f"{folder / CONFIG_NAME} is not a {ARCHITECTURE} config")
    raw.pop("conflict_ie_version", None)
    return ModelConfig.from_dict(raw)


def load_model(cls, path_or_id: str, revision: str | None = None, device: str | None = None, cache_dir=None,
               token=None, local_files_only: bool | None = None) -> "ConflictJointModel":
    from safetensors.torch import load_model as st_load

    from conflict_ie.model.encoder import load_tokenizer

    folder = resolve_model_folder(path_or_id, revision, cache_dir, token, local_files_only)
    weights = folder / WEIGHTS_NAME
    if not weights.is_file():
        pickles = [f.name for f in folder.glob("*.bin")] + [f.name for f in folder.glob("*.pt")]
        hint = f" (found {', '.join(pickles)}: pickle files are never loaded)" if pickles else ""
        raise ModelLoadError(f"{folder} has no {WEIGHTS_NAME}{hint}")
    config = read_config(folder)
    model = cls(config)
    # Load on the CPU and move after: safetensors refuses some device strings torch accepts ("cpu:0").
    missing, unexpected = st_load(model, str(weights), strict=False, device="cpu")
    # Buffers rebuilt from the config are not stored; anything else missing is a broken file.
    missing = [m for m in missing if not m.endswith(("pair_mask", "position_ids"))]
    if missing or unexpected:
        raise ModelLoadError(f"{weights} does not match its config: missing {missing[:5]}, unexpected {unexpected[:5]}")
    model.tokenizer = load_tokenizer(str(folder), local_only=True)
    model.eval()
    if device:
        model.to(device)
    return model


def push_model(model: "ConflictJointModel", repo_id: str, *, private: bool | None = None, token: str | None = None,
               commit_message: str = "Upload conflict-ie model", card: str | None = None,
               scores: dict | None = None, revision: str | None = None) -> str:
    import tempfile

    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
    with tempfile.TemporaryDirectory() as tmp:
        save_model(model, tmp, card=card or model_card(model.config, scores or {}), scores=scores)
        info = api.upload_folder(repo_id=repo_id, folder_path=tmp, commit_message=commit_message, revision=revision)
    return str(info)


def model_card(config: ModelConfig, scores: dict[str, float], *, dataset: str = "conflict-ie corpus",
               model_name: str = "conflict-ie joint model", extra: str = "") -> str:
    """A README.md with a model-index block (metrics in the Hub's form) and a plain summary."""
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    metric_tasks = {
        "entity_f1": ("token-classification", "entity span micro-F1 (seqeval strict)"),
        "trigger_f1": ("token-classification", "event trigger micro-F1 (seqeval strict)"),
        "relation_f1": ("relation-extraction", "strict relation micro-F1 (end to end)"),
    }
    results = []
    for key, (task, name) in metric_tasks.items():
        if key in scores:
            results.append(EvalResult(task_type=task, dataset_type="conflict-ie", dataset_name=dataset,
                                      dataset_split=scores.get("split", "dev"), metric_type="f1",
                                      metric_value=round(float(scores[key]), 4), metric_name=name))
    data = ModelCardData(language="en", license="apache-2.0", library_name="conflict-ie", model_name=model_name,
                         tags=["token-classification", "relation-extraction", "event-extraction", "conflict"],
                         base_model=config.encoder_name if "/" in config.encoder_name else None,
                         eval_results=results or None)
    table = "\n".join(f"| {k} | {v:.4f} |" for k, v in scores.items() if isinstance(v, (int, float)))
    body = f"""
# {model_name}

Joint entity/event-trigger tagger and relation classifier for conflict news, trained with
[conflict-ie](https://pypi.org/project/conflict-ie/) (schema version {config.schema_version}).
It emits ACLED-style event records with source-attributed casualty claims.

- Encoder: `{config.encoder_name}`
- Span labels: {", ".join(config.labels.span_labels)}
- Relation labels: {", ".join(config.labels.relation_labels)}
- Windows: {config.max_length} tokens, overlap {config.stride}; relations up to {config.max_relation_distance} tokens apart

## Use

```python
from conflict_ie import ConflictExtractor
ex = ConflictExtractor.from_pretrained("path/or/hub-id")
doc = ex.extract(text, published="2022-09-14")
for event in doc.events:
    print(event.event_type, [a.text for a in event.actors], event.fatalities)
```

## Scores

| metric | value |
| --- | --- |
{table}
{extra}
"""
    return str(ModelCard.from_template(data, template_str="---\n{{ card_data }}\n---\n" + body))
