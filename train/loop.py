"""The training loop: one process or many (DDP through accelerate), CPU or GPU.

A run folder holds the resolved config, ``train.log``, ``epochs.jsonl`` (one
line of metrics per epoch), ``checkpoints/epoch-N`` and ``best/`` (the model
chosen on dev, in Hub layout with its card and scores).
"""

from __future__ import annotations

import json
import logging
import random
import resource
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from conflict_ie.annotations.document import Article
from conflict_ie.model.config import ModelConfig
from conflict_ie.model.hub import model_card
from conflict_ie.model.joint import ConflictJointModel
from conflict_ie.model.encoder import encoder_from_config, load_tokenizer, resolve_encoder
from conflict_ie.model.predict import predict_articles
from conflict_ie.train.augment import NamePool, swap_names
from conflict_ie.train.checkpoint import TrainerState, last_checkpoint, load_checkpoint, save_checkpoint
from conflict_ie.train.config import TrainConfig, dump_config
from conflict_ie.train.data import load_splits
from conflict_ie.train.features import DocFeatures, collate, featurize

log = logging.getLogger("conflict_ie.train")
KEEP_CHECKPOINTS = 2
# Fault injection for the crash/resume tests and benchmark: SIGKILL this process after
# this many optimisation steps, as a power cut or the OOM killer would.
KILL_AT_STEP_ENV = "CONFLICT_IE_KILL_AT_STEP"


class RunFolderError(RuntimeError):
    pass


@dataclass
class RunResult:
    output_dir: str
    best_dir: str
    best_epoch: int | None
    best_score: float | None
    epochs_run: int
    seconds: float
    peak_rss_mb: float


def release_freed_memory() -> None:
    """Hand freed heap pages back to the OS.

    Every batch has other tensor shapes, which fragments glibc's heap: without
    this, resident memory climbed by about 500 MB per epoch on the full corpus.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def build_model(cfg: TrainConfig) -> ConflictJointModel:
    heads = cfg.heads.model_dump()
    windows = cfg.windows.model_dump()
    if cfg.encoder.tiny is not None:  # tests: a random encoder of a given shape, tokenizer from `name`
        where, local_only = resolve_encoder(cfg.encoder.name, cfg.encoder.revision)
        tokenizer = load_tokenizer(where, local_only)
        enc_cfg = {"model_type": "bert", "vocab_size": tokenizer.vocab_size, **cfg.encoder.tiny}
        encoder = encoder_from_config(enc_cfg)
        model = ConflictJointModel(ModelConfig(encoder_name=cfg.encoder.name, encoder_config=encoder.config.to_dict(),
                                               **heads, **windows), encoder)
        model.tokenizer = tokenizer
        return model
    return ConflictJointModel.from_encoder(cfg.encoder.name, cfg.encoder.revision, **heads, **windows)


def param_groups(model: ConflictJointModel, cfg: TrainConfig) -> list[dict]:
    """Encoder and heads learn at different rates; biases and norms take no weight decay."""
    groups = {(True, True): [], (True, False): [], (False, True): [], (False, False): []}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        is_encoder = name.startswith("encoder.")
        decay = p.ndim > 1 and "norm" not in name.lower()
        groups[(is_encoder, decay)].append(p)
    o = cfg.optimizer
    return [
        {"params": ps, "lr": o.encoder_lr if enc else o.head_lr, "weight_decay": o.weight_decay if decay else 0.0}
        for (enc, decay), ps in groups.items() if ps
    ]


def epoch_batches(n: int, batch_size: int, seed: int, epoch: int, rank: int, world: int) -> list[list[int]]:
    """This rank's batches of article indices; every rank gets the same number of batches."""
    g = torch.Generator().manual_seed(seed * 1000 + epoch)
    order = torch.randperm(n, generator=g).tolist()
    batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
    per_rank = max(1, len(batches) // world) if world > 1 else len(batches)
    return batches[rank::world][:per_rank]


def epoch_features(articles: list[Article], model: ConflictJointModel, pool: NamePool, rate: float, seed: int,
                   epoch: int) -> list[DocFeatures]:
    """This epoch's name-swapped training features: a function of (seed, epoch, article), so a resumed run
    sees the same copies as an uninterrupted one."""
    cfg = model.config
    return [featurize(swap_names(a, pool, rate, random.Random(f"{seed}/{epoch}/{a.id}")), model.tokenizer, cfg.labels,
                      cfg.max_relation_distance, model.pair_mask) for a in articles]


def dev_scores(model: ConflictJointModel, dev: list[Article], batch_size: int) -> dict[str, float]:
    from conflict_ie import schema
    from conflict_ie.eval.metrics import relation_scores, seqeval_span_scores

    pred = predict_articles(model, dev, batch_size)
    ent = seqeval_span_scores(dev, pred, schema.ENTITY_LABELS).micro.f1
    trig = seqeval_span_scores(dev, pred, schema.TRIGGER_LABELS).micro.f1
    rel = relation_scores(dev, pred, "strict").micro.f1
    return {"entity_f1": ent, "trigger_f1": trig, "relation_f1": rel, "score": (ent + trig + rel) / 3}


def _setup_logging(out: Path, is_main: bool) -> None:
    log.handlers.clear()
    log.setLevel(logging.INFO)
    log.propagate = False
    if not is_main:
        return
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    for h in (logging.FileHandler(out / "train.log", encoding="utf-8"), logging.StreamHandler(sys.stderr)):
        h.setFormatter(fmt)
        log.addHandler(h)


def train(cfg: TrainConfig, resume: bool = False) -> RunResult:
    from accelerate import Accelerator
    from accelerate.utils import DistributedDataParallelKwargs
    from tqdm.auto import tqdm
    from transformers import get_constant_schedule_with_warmup, get_linear_schedule_with_warmup

    t0 = time.time()
    tc = cfg.training
    if tc.num_threads:
        torch.set_num_threads(tc.num_threads)
    if tc.precision == "fp16" and not torch.cuda.is_available():
        raise RunFolderError("precision fp16 needs a GPU; use fp32 (or bf16) on CPU")
    accelerator = Accelerator(
        cpu=tc.device == "cpu" or (tc.device == "auto" and not torch.cuda.is_available()),
        mixed_precision="no" if tc.precision == "fp32" else tc.precision,
        gradient_accumulation_steps=tc.grad_accum,
        kwargs_handlers=[DistributedDataParallelKwargs(find_unused_parameters=True)],
    )
    out = Path(cfg.output.dir)
    ckpt_dir = out / "checkpoints"
    if accelerator.is_main_process:
        if last_checkpoint(ckpt_dir) and not resume and not cfg.output.overwrite:
            raise RunFolderError(f"{out} already holds checkpoints: pass --resume to continue that run, "
                                 f"or --set output.overwrite=true to start over")
        if not resume and out.exists() and cfg.output.overwrite:
            shutil.rmtree(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "config.yaml").write_text(dump_config(cfg), encoding="utf-8")
    accelerator.wait_for_everyone()
    _setup_logging(out, accelerator.is_main_process)

    train_articles, dev_articles = load_splits(cfg.data)
    seed_everything(tc.seed)
    model = build_model(cfg)
    log.info("encoder %s, %d parameters; %d train / %d dev articles; %d process(es) on %s",
             cfg.encoder.name, sum(p.numel() for p in model.parameters()), len(train_articles), len(dev_articles),
             accelerator.num_processes, accelerator.device)
    features: list[DocFeatures] = [
        featurize(a, model.tokenizer, model.config.labels, model.config.max_relation_distance, model.pair_mask)
        for a in train_articles
    ]
    pool = NamePool.from_articles(train_articles) if cfg.data.name_swap else None
    lost = sum(f.unreachable_relations for f in features)
    total = sum(len(a.relations) for a in train_articles)
    log.info("%d of %d training relations lie beyond max_relation_distance=%d tokens and are not learnt",
             lost, total, model.config.max_relation_distance)

    steps_per_epoch = -(-len(epoch_batches(len(features), tc.batch_size, tc.seed, 0, accelerator.process_index,
                                            accelerator.num_processes)) // tc.grad_accum)
    total_steps = steps_per_epoch * tc.epochs
    optimizer = torch.optim.AdamW(param_groups(model, cfg))
    warmup = int(cfg.schedule.warmup_ratio * total_steps)
    scheduler = (get_linear_schedule_with_warmup(optimizer, warmup, total_steps) if cfg.schedule.kind == "linear"
                 else get_constant_schedule_with_warmup(optimizer, warmup))
    state = TrainerState()
    last = last_checkpoint(ckpt_dir) if resume else None
    if resume and last is None:
        log.info("--resume: no checkpoint in %s, starting from scratch", ckpt_dir)
    if last is not None:
        state = load_checkpoint(last, model, optimizer, scheduler)
        log.info("resumed from %s (epoch %d done, best %s)", last, state.epoch, state.best_score)
    model, optimizer = accelerator.prepare(model, optimizer)
    raw_model: ConflictJointModel = accelerator.unwrap_model(model)

    epochs_log = out / "epochs.jsonl"
    for epoch in range(state.epoch, tc.epochs):
        if tc.early_stopping_patience and state.epochs_without_improvement >= tc.early_stopping_patience:
            break
        seed_everything(tc.seed * 1000 + epoch)
        if pool is not None:
            features = epoch_features(train_articles, raw_model, pool, cfg.data.name_swap, tc.seed, epoch)
        model.train()
        batches = epoch_batches(len(features), tc.batch_size, tc.seed, epoch, accelerator.process_index,
                                accelerator.num_processes)
        t_epoch, loss_sum, n_loss = time.time(), 0.0, 0
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{tc.epochs}", disable=not accelerator.is_local_main_process,
                   leave=False, file=sys.stderr)
        for idx in bar:
            batch = collate([features[i] for i in idx], raw_model)
            batch = {k: (v.to(accelerator.device) if torch.is_tensor(v) else
                         [x.to(accelerator.device) for x in v] if isinstance(v, list) and v and torch.is_tensor(v[0]) else v)
                     for k, v in batch.items()}
            with accelerator.accumulate(model):
                outputs = model(**batch)
                accelerator.backward(outputs["loss"])
                if accelerator.sync_gradients:
                    if cfg.optimizer.grad_clip:
                        accelerator.clip_grad_norm_(model.parameters(), cfg.optimizer.grad_clip)
                optimizer.step()
                if accelerator.sync_gradients:
                    scheduler.step()
                    state.global_step += 1
                    _maybe_kill(state.global_step)
                optimizer.zero_grad()
            loss_sum += float(outputs["loss"].detach())
            n_loss += 1
            if n_loss % 20 == 0:
                release_freed_memory()
            bar.set_postfix(loss=f"{loss_sum / n_loss:.3f}")
        train_seconds = time.time() - t_epoch
        # Every rank scores dev with identical weights, so all take the same stopping decision.
        scores = dev_scores(raw_model, dev_articles, tc.eval_batch_size)
        release_freed_memory()
        state.epoch = epoch + 1
        improved = state.best_score is None or scores["score"] > state.best_score
        if improved:
            state.best_score, state.best_epoch, state.epochs_without_improvement = scores["score"], epoch + 1, 0
        else:
            state.epochs_without_improvement += 1
        row = {"epoch": epoch + 1, "step": state.global_step, "train_loss": loss_sum / max(n_loss, 1),
               "dev_entity_f1": scores["entity_f1"], "dev_trigger_f1": scores["trigger_f1"],
               "dev_relation_f1": scores["relation_f1"], "dev_score": scores["score"],
               "seconds": round(time.time() - t_epoch, 2), "train_seconds": round(train_seconds, 2),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
        state.history.append(row)
        if accelerator.is_main_process:
            with epochs_log.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(row) + "\n")
            log.info("epoch %d: loss %.4f, dev entity F1 %.4f, trigger F1 %.4f, relation F1 %.4f (%.0fs)%s",
                     epoch + 1, row["train_loss"], scores["entity_f1"], scores["trigger_f1"], scores["relation_f1"],
                     row["seconds"], " *best*" if improved else "")
            if improved:
                _save_best(raw_model, out, cfg, scores, epoch + 1, len(train_articles), len(dev_articles))
            save_checkpoint(ckpt_dir / f"epoch-{epoch + 1}", raw_model, optimizer, scheduler, state)
            for old in sorted(ckpt_dir.glob("epoch-*"), key=lambda p: int(p.name.split("-")[1]))[:-KEEP_CHECKPOINTS]:
                shutil.rmtree(old, ignore_errors=True)
        accelerator.wait_for_everyone()

    if accelerator.is_main_process and (out / "best").is_dir():
        _calibrate_best(out, dev_articles, tc.eval_batch_size, accelerator.device)
    accelerator.wait_for_everyone()
    result = RunResult(str(out), str(out / "best"), state.best_epoch, state.best_score, state.epoch,
                       round(time.time() - t0, 1), round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    if accelerator.is_main_process:
        (out / "result.json").write_text(json.dumps(asdict(result), indent=2) + "\n")
        if (out / "best").is_dir():
            shutil.copy(epochs_log, out / "best" / "training_log.jsonl")
        log.info("done: best dev score %s at epoch %s; model in %s", state.best_score, state.best_epoch, out / "best")
    accelerator.wait_for_everyone()
    accelerator.end_training()
    return result


def _calibrate_best(out: Path, dev: list[Article], batch_size: int, device) -> None:
    """Tune relation decoding (cut-offs and tail caps per label) of the chosen model on dev; save it in the folder."""
    from conflict_ie.train.calibrate import tune_relation_decoding

    best = ConflictJointModel.from_pretrained(str(out / "best"), device=str(device))
    choice = tune_relation_decoding(best, dev, batch_size)
    scores = json.loads((out / "best" / "scores.json").read_text())
    scores["relation_threshold"] = choice.threshold
    scores["relation_f1_by_threshold"] = {str(k): round(v, 4) for k, v in choice.f1_by_threshold.items()}
    scores["relation_thresholds"] = choice.thresholds
    scores["relation_max_tails"] = choice.max_tails
    scores["relation_span_floor"] = choice.span_floor
    scores["relation_f1_by_span_floor"] = {str(k): round(v, 4) for k, v in choice.f1_by_span_floor.items()}
    scores["relation_f1"] = round(choice.f1, 4)
    scores["score"] = round((scores["entity_f1"] + scores["trigger_f1"] + scores["relation_f1"]) / 3, 4)
    card = (out / "best" / "README.md").read_text(encoding="utf-8")
    best.save_pretrained(out / "best", card=card, scores=scores)
    log.info("relation decoding tuned on dev: shared threshold %.2f (strict relation F1 by threshold: %s); "
             "per label %s; span floor %.1f: dev strict relation F1 %.4f", choice.threshold,
             ", ".join(f"{k}: {v:.4f}" for k, v in choice.f1_by_threshold.items()),
             ", ".join(f"{lab} >= {choice.thresholds[lab]} max {choice.max_tails[lab]}" for lab in choice.thresholds)
             or "(none kept)", choice.span_floor, choice.f1)


def _maybe_kill(step: int) -> None:
    import os
    import signal

    target = os.environ.get(KILL_AT_STEP_ENV)
    if target and int(target) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _save_best(model: ConflictJointModel, out: Path, cfg: TrainConfig, scores: dict, epoch: int,
               n_train: int, n_dev: int) -> None:
    card_scores = {**{k: round(v, 4) for k, v in scores.items()}, "split": "dev"}
    extra = (f"\n## Training\n\nEpoch {epoch} of a `conflict-ie train` run on {n_train} training articles, "
             f"chosen on {n_dev} dev articles.\n\n```yaml\n{dump_config(cfg)}```\n")
    model.save_pretrained(out / "best", card=model_card(model.config, card_scores, extra=extra),
                          scores={**card_scores, "epoch": epoch})
