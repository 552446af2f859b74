"""A training run killed with SIGKILL in mid-epoch and resumed, against an uninterrupted run.

    python benchmarks/resume_after_kill.py [--config configs/default.yaml] [--set training.epochs=4]

The kill comes from outside (the parent process), half-way through the second
epoch, as a power cut or the OOM killer would. Target: the resumed run's best
dev score within 0.5 F1 points of the uninterrupted run's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_result  # noqa: E402


def train_cmd(config: str, out: str, overrides: list[str], resume: bool = False) -> list[str]:
    cmd = [sys.executable, "-m", "conflict_ie.cli", "train", config, "--set", f"output.dir={out}"]
    cmd += [x for o in overrides for x in ("--set", o)]
    return cmd + (["--resume"] if resume else ["--set", "output.overwrite=true"])


def rows(out: str) -> list[dict]:
    p = Path(out) / "epochs.jsonl"
    return [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="configs/default.yaml")
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--out", default="runs/bench_resume")
    args = ap.parse_args()
    ref_dir, crash_dir = f"{args.out}/uninterrupted", f"{args.out}/killed"

    subprocess.run(train_cmd(args.config, ref_dir, args.overrides), check=True)
    child = subprocess.Popen(train_cmd(args.config, crash_dir, args.overrides))
    while len(rows(crash_dir)) < 1:
        if child.poll() is not None:
            sys.exit("the run ended before its first epoch")
        time.sleep(0.5)
    time.sleep(rows(crash_dir)[0]["train_seconds"] / 2)  # half-way through epoch 2
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    killed_after = len(rows(crash_dir))
    subprocess.run(train_cmd(args.config, crash_dir, args.overrides, resume=True), check=True)

    ref, res = rows(ref_dir), rows(crash_dir)
    best_ref = max(r["dev_score"] for r in ref)
    best_res = max(r["dev_score"] for r in res)
    result = {
        "config": args.config, "overrides": args.overrides, "killed_with": "SIGKILL", "exit_code": child.returncode,
        "epochs_complete_when_killed": killed_after,
        "uninterrupted_best_dev_score": best_ref, "resumed_best_dev_score": best_res,
        "difference_f1_points": round(abs(best_ref - best_res) * 100, 4), "target_f1_points": 0.5,
        "uninterrupted": ref, "resumed": res,
    }
    print(json.dumps({k: v for k, v in result.items() if k not in ("uninterrupted", "resumed")}, indent=2))
    write_result("resume_after_kill", result)


if __name__ == "__main__":
    main()
