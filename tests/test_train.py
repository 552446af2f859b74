"""Training from configs: validation, runs, resume after SIGKILL, DDP on CPU, errors before training."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_ie.cli import main
from conflict_ie.train.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]
SMOKE = REPO / "configs" / "smoke.yaml"


def smoke_args(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [str(SMOKE), "--set", f"data.corpus=[{corpus}]", "--set", f"output.dir={out}",
            "--set", "data.max_train_articles=null", *extra]


def test_shipped_configs_validate():
    for name in ("default", "gpu", "smoke"):
        cfg = load_config(REPO / "configs" / f"{name}.yaml")
        assert cfg.output.dir


def test_unknown_key_is_named_with_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("training:\n  epochs: 2\n  epoch: 3\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:3: unknown config key 'training.epoch'"):
        load_config(bad)
    with pytest.raises(ConfigError, match="unknown config key 'heads.colour'"):
        load_config(None, ["heads.colour=red"])
    with pytest.raises(ConfigError, match="stride"):
        load_config(None, ["windows.max_length=16", "windows.stride=20"])


def test_set_overrides_are_typed():
    cfg = load_config(SMOKE, ["training.epochs=5", "optimizer.encoder_lr=3e-5", "data.corpus=[a, b]"])
    assert cfg.training.epochs == 5 and cfg.optimizer.encoder_lr == 3e-5 and cfg.data.corpus == ["a", "b"]


def test_train_writes_a_complete_run_folder(tiny_corpus, tmp_path):
    out = tmp_path / "run"
    assert main(["train", *smoke_args(tiny_corpus, out)]) == 0
    epochs = [json.loads(line) for line in (out / "epochs.jsonl").read_text().splitlines()]
    assert [e["epoch"] for e in epochs] == [1, 2]
    assert {"train_loss", "dev_entity_f1", "dev_trigger_f1", "dev_relation_f1", "seconds"} <= set(epochs[0])
    assert (out / "config.yaml").is_file() and (out / "train.log").is_file()
    assert (out / "best" / "model.safetensors").is_file() and (out / "best" / "README.md").is_file()
    assert (out / "checkpoints" / "epoch-2" / "optimizer.safetensors").is_file()
    scores = json.loads((out / "best" / "scores.json").read_text())
    from conflict_ie.train.calibrate import GRID

    assert scores["relation_threshold"] in GRID  # tuned on dev
    saved = json.loads((out / "best" / "config.json").read_text())
    assert saved["relation_threshold"] == scores["relation_threshold"]
    assert not list(out.rglob("*.bin")) and not list(out.rglob("*.pt"))
    # A second fresh run into the same folder is refused rather than mixing runs.
    assert main(["train", *smoke_args(tiny_corpus, out)]) == 2


def test_training_is_deterministic_under_a_seed(tiny_corpus, tmp_path):
    for name in ("a", "b"):
        assert main(["train", *smoke_args(tiny_corpus, tmp_path / name)]) == 0
    a = (tmp_path / "a" / "epochs.jsonl").read_text().splitlines()
    b = (tmp_path / "b" / "epochs.jsonl").read_text().splitlines()
    strip = lambda rows: [{k: v for k, v in json.loads(r).items() if "seconds" not in k and k != "peak_rss_mb"} for r in rows]
    assert strip(a) == strip(b)


def _cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conflict_ie.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=REPO, timeout=300)


def test_sigkill_mid_epoch_then_resume_matches_uninterrupted_run(tiny_corpus, tmp_path):
    # Name swapping on: a resumed run must draw the same augmented copies as the uninterrupted one.
    extra = ("--set", "training.epochs=3", "--set", "training.batch_size=1", "--set", "data.name_swap=0.5")
    ref = _cli("train", *smoke_args(tiny_corpus, tmp_path / "ref", *extra))
    assert ref.returncode == 0, ref.stderr
    # 4 train articles, batch 1: step 6 is in the middle of epoch 2.
    crashed = _cli("train", *smoke_args(tiny_corpus, tmp_path / "crash", *extra), env={"CONFLICT_IE_KILL_AT_STEP": "6"})
    assert crashed.returncode == -9  # SIGKILL
    assert (tmp_path / "crash" / "checkpoints" / "epoch-1").is_dir()
    assert not (tmp_path / "crash" / "checkpoints" / "epoch-2").exists()
    resumed = _cli("train", *smoke_args(tiny_corpus, tmp_path / "crash", *extra), "--resume")
    assert resumed.returncode == 0, resumed.stderr
    ref_rows = [json.loads(x) for x in (tmp_path / "ref" / "epochs.jsonl").read_text().splitlines()]
    res_rows = [json.loads(x) for x in (tmp_path / "crash" / "epochs.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in res_rows] == [1, 2, 3]
    for a, b in zip(ref_rows, res_rows):
        assert a["dev_score"] == pytest.approx(b["dev_score"], abs=1e-6)
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=1e-5)


def test_errors_before_training(tiny_corpus, tmp_path, capsys):
    # An encoder that cannot be found: one sentence, exit 2, quickly.
    rc = main(["train", *smoke_args(tiny_corpus, tmp_path / "x"), "--set", "encoder.name=roberta-base",
               "--set", "encoder.tiny=null"])
    assert rc == 2 and "roberta-base" in capsys.readouterr().err
    # An empty split.
    rc = main(["train", *smoke_args(tiny_corpus, tmp_path / "y"), "--set", "data.dev_split=test"])
    assert rc == 2 and "split 'test' is empty" in capsys.readouterr().err
    # Labels the schema lacks.
    bad = tmp_path / "bad"
    bad.mkdir()
    src = next(tiny_corpus.glob("*.cie")).read_text().replace("{GPE ", "{TOWN ", 1)
    (bad / "x.cie").write_text(src)
    rc = main(["train", *smoke_args(bad, tmp_path / "z")])
    err = capsys.readouterr().err
    assert rc == 2 and "labels the schema lacks" in err and "TOWN" in err
    # Unreadable data.
    rc = main(["train", *smoke_args(tmp_path / "nowhere", tmp_path / "w")])
    assert rc == 2 and "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_ddp_two_processes_gloo_on_cpu(tiny_corpus, tmp_path):
    """The multi-GPU path (DDP via accelerate) proven on CPU with two gloo processes."""
    out = tmp_path / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29533",
           "-m", "conflict_ie.cli", "train", *smoke_args(tiny_corpus, out), "--set", "training.device=cpu"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = (out / "train.log").read_text()
    assert "2 process(es)" in log
    assert len((out / "epochs.jsonl").read_text().splitlines()) == 2
    assert (out / "best" / "model.safetensors").is_file()
