"""Packaging: one import namespace, one console command."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_only_the_conflict_ie_namespace(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path), str(REPO)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("conflict_ie-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"conflict_ie"}
    for sub in ("model", "train", "eval", "annotations", "extract"):
        assert f"conflict_ie/{sub}/__init__.py" in names, sub
    assert "conflict_ie/eval/baselines/lexicon.py" in names
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "conflict-ie = conflict_ie.cli:main" in entry


def test_cli_lists_every_command(capsys):
    from conflict_ie.cli import COMMANDS, build_parser

    help_text = build_parser().format_help()
    for name in COMMANDS:
        assert name in help_text


def test_import_is_light():
    """`import conflict_ie` (and validate) must not pull torch in."""
    code = "import sys, conflict_ie, conflict_ie.annotations; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO).stdout.strip()
    assert out == "False"
