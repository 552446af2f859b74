#!/usr/bin/env bash
# Regenerate the default model's eval report in eval/reports/default (trains the model first if
# runs/default/best does not exist yet). Scores are on the test split: conflicts unseen in training.
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
if [ ! -f runs/default/best/model.safetensors ]; then
  conflict-ie train configs/default.yaml --set output.overwrite=true
fi
conflict-ie eval --model runs/default/best --data test --baselines spacy,lexicon \
  --training-log runs/default/epochs.jsonl --out eval/reports/default
