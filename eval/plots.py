"""PNG plots of a report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from conflict_ie import schema
from conflict_ie.eval.confusion import ConfusionMatrix
from conflict_ie.eval.runner import EvalReport
from conflict_ie.eval.training_log import EpochLog


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # before pyplot is imported; safe to call again
    import matplotlib.pyplot as plt

    return plt


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name) or "predictor"


def plot_per_label_f1(report: EvalReport, path: Path) -> Path:
    """Grouped F1 bars per label, one bar per system that works on the layer; n/a where it cannot produce the label."""
    plt = _pyplot()
    from matplotlib.patches import Patch

    groups = (("Entities", "entity", schema.ENTITY_LABELS), ("Triggers", "trigger", schema.TRIGGER_LABELS))
    colours = {r.name: f"C{k}" for k, r in enumerate(report.predictors)}
    fig, axes = plt.subplots(2, 1, figsize=(13, 8.5))
    for ax, (title, attr, labels) in zip(axes, groups):
        systems = [r for r in report.predictors if getattr(r, attr) is not None]
        width = 0.8 / max(1, len(systems))
        for k, r in enumerate(systems):
            scores = getattr(r, attr)
            xs = [i - 0.4 + width * (k + 0.5) for i in range(len(labels))]
            vals = [scores.per_label[lab].f1 if lab in scores.per_label else None for lab in labels]
            ax.bar([x for x, v in zip(xs, vals) if v is not None], [v for v in vals if v is not None],
                   width, color=colours[r.name])
            for x, v in zip(xs, vals):
                if v is None:
                    ax.text(x, 0.01, "n/a", rotation=90, ha="center", va="bottom", fontsize=7, color="grey")
        if systems:
            ax.legend(handles=[Patch(color=colours[r.name], label=r.name) for r in systems],
                      fontsize=8, loc="upper right")
        else:
            ax.text(0.5, 0.5, "no system produces these labels", transform=ax.transAxes, ha="center", color="grey")
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels([lab.replace("_", "_\n") if len(lab) > 12 else lab for lab in labels], fontsize=8)
        ax.set_xlim(-0.5, len(labels) - 0.5)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("F1 (seqeval strict)")
        ax.set_title(title)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_confusion(cm: ConfusionMatrix, path: Path, title: str) -> Path:
    """Gold label (rows) against predicted label (columns), counts written in the cells."""
    plt = _pyplot()
    from matplotlib.colors import LogNorm

    import numpy as np

    data = np.array(cm.counts, dtype=float)
    size = len(cm.labels)
    fig, ax = plt.subplots(figsize=(0.45 * size + 3, 0.45 * size + 2))
    # Log colour scale: the diagonal of frequent labels would otherwise wash out every error.
    shown = np.ma.masked_where(data == 0, data)
    im = ax.imshow(shown, cmap="Blues", norm=LogNorm(vmin=1, vmax=max(1.0, data.max())))
    for i in range(size):
        for j in range(size):
            if data[i, j]:
                ax.text(j, i, str(int(data[i, j])), ha="center", va="center", fontsize=6,
                        color="white" if data[i, j] > max(1.0, data.max()) ** 0.6 else "black")
    ax.set_xticks(range(size))
    ax.set_yticks(range(size))
    ax.set_xticklabels(cm.labels, rotation=90, fontsize=7)
    ax.set_yticklabels(cm.labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.04)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_learning_curve(epochs: Sequence[EpochLog], path: Path) -> Path:
    """Training loss (left axis) and dev F1s (right axis) per epoch."""
    if not epochs:
        raise ValueError("the training log has no epochs to plot")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    xs = [e.epoch for e in epochs]
    handles = []
    loss = [(e.epoch, e.train_loss) for e in epochs if e.train_loss is not None]
    if loss:
        handles += ax.plot(*zip(*loss), "k-o", markersize=3, label="train loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("train loss")
    ax2 = ax.twinx()
    for k, (attr, label) in enumerate((("dev_entity_f1", "dev entity F1"), ("dev_trigger_f1", "dev trigger F1"),
                                       ("dev_relation_f1", "dev relation F1"))):
        pts = [(e.epoch, getattr(e, attr)) for e in epochs if getattr(e, attr) is not None]
        if pts:
            handles += ax2.plot(*zip(*pts), "-s", color=f"C{k}", markersize=3, label=label)
    ax2.set_ylim(0, 1.0)
    ax2.set_ylabel("dev F1")
    ax.set_xticks(xs if len(xs) <= 20 else xs[:: max(1, len(xs) // 20)])
    ax.grid(alpha=0.3)
    if handles:
        # Below the axes: inside, it would hide the curves wherever it sits.
        ax.legend(handles=handles, labels=[h.get_label() for h in handles], fontsize=8, loc="upper center",
                  bbox_to_anchor=(0.5, -0.13), ncol=len(handles), frameon=False)
    ax.set_title("learning curve")
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def write_plots(report: EvalReport, out_dir: Path) -> dict[str, Path]:
    """All plots of the report into ``out_dir``; returns name -> path."""
    out_dir = Path(out_dir)
    plots = {"per_label_f1": plot_per_label_f1(report, out_dir / "per_label_f1.png")}
    for r in report.predictors:
        plots[f"confusion_{r.name}"] = plot_confusion(
            r.confusion, out_dir / f"confusion_{_safe(r.name)}.png", f"span labels, {r.name} (gold vs predicted)")
    if report.training_log:
        plots["learning_curve"] = plot_learning_curve(report.training_log, out_dir / "learning_curve.png")
    return plots
