"""Time and memory of training a config on the full corpus (default: configs/default.yaml).

    python benchmarks/train_cpu.py [--config configs/default.yaml] [--set key=value ...]

Runs `conflict-ie train` in a child process and records wall time, the child's
peak resident memory, epochs run and the dev scores of every epoch.
Targets for configs/default.yaml on the 2-core CPU: <= 20 minutes, <= 6 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_result  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="configs/default.yaml")
    ap.add_argument("--out", default="runs/bench_train")
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--name", default="train_default_cpu")
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "conflict_ie.cli", "train", args.config, "--set", f"output.dir={args.out}",
           "--set", "output.overwrite=true"] + [x for o in args.overrides for x in ("--set", o)]
    t = time.time()
    proc = subprocess.run(cmd)
    wall = time.time() - t
    if proc.returncode != 0:
        sys.exit(f"training failed with exit code {proc.returncode}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = Path(args.out)
    epochs = [json.loads(x) for x in (out / "epochs.jsonl").read_text().splitlines()]
    res = json.loads((out / "result.json").read_text())
    result = {
        "config": args.config, "overrides": args.overrides, "wall_seconds": round(wall, 1),
        "wall_minutes": round(wall / 60, 2), "peak_rss_mb": round(peak_mb, 1), "epochs_run": len(epochs),
        "best_epoch": res["best_epoch"], "best_dev_score": res["best_score"], "epochs": epochs,
        "targets": {"wall_minutes": 20, "peak_rss_mb": 6144},
    }
    print(json.dumps({k: v for k, v in result.items() if k != "epochs"}, indent=2))
    write_result(args.name, result)


if __name__ == "__main__":
    main()
