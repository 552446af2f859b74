"""Refresh the measured sections of annotations/README.md (the data card) from the data itself.

    python scripts/data_card.py

Sections between `<!-- NAME:begin -->` and `<!-- NAME:end -->` markers are
rewritten: `stats` from `conflict-ie stats annotations/corpus`, `agreement`
from annotations/double_annotation/round1/agreement.json. Prose stays as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conflict_ie.annotations import load_articles
from conflict_ie.annotations.stats import check_minimums, compute, render

ROOT = Path(__file__).resolve().parents[1]
CARD = ROOT / "annotations" / "README.md"


def stats_section() -> str:
    stats = compute(load_articles(ROOT / "annotations" / "corpus"))
    shortfalls = check_minimums(stats)
    body = render(stats, shortfalls, markdown=True)
    body = re.sub(r"^## ", "### ", body, flags=re.M)
    met = "All corpus targets are met." if not shortfalls else f"{len(shortfalls)} corpus target(s) not met yet (listed below)."
    return f"{met}\n\n{body.strip()}"


def agreement_section() -> str:
    path = ROOT / "annotations" / "double_annotation" / "round1" / "agreement.json"
    d = json.loads(path.read_text())
    rows = ["| layer | first | second | matched | F1 |", "| --- | ---: | ---: | ---: | ---: |"]
    for key, name in [("spans_strict", "spans, strict"), ("spans_overlap", "spans, overlap"),
                      ("entities_strict", "entities, strict"), ("triggers_strict", "triggers, strict"),
                      ("relations", "relations, strict")]:
        s = d[key]
        rows.append(f"| {name} | {s['a']} | {s['b']} | {s['matched']} | {s['f1']:.3f} |")
    k = d["kappa"]
    labels = ["| label | F1 (strict) |", "| --- | ---: |"]
    for lab, s in d["span_labels"].items():
        labels.append(f"| {lab} | {s['strict']['f1']:.3f} |" if "strict" in s else f"| {lab} | {s['f1']:.3f} |")
    rels = ["| relation | F1 |", "| --- | ---: |"] + [f"| {r} | {s['f1']:.3f} |" for r, s in d["relation_labels"].items()]
    return "\n".join([
        f"{d['articles']} articles annotated twice, independently (before adjudication):", "", *rows, "",
        f"Cohen's kappa over {k['tokens']} word tokens: **{k['kappa']:.3f}** (observed {k['observed']:.3f}, "
        f"chance {k['expected']:.3f}).", "", "Per span label:", "", *labels, "", "Per relation label:", "", *rels])


def main() -> None:
    text = CARD.read_text(encoding="utf-8")
    for name, make in (("stats", stats_section), ("agreement", agreement_section)):
        pattern = re.compile(rf"(<!-- {name}:begin -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{CARD}: no <!-- {name}:begin --> ... <!-- {name}:end --> section")
        text = pattern.sub(lambda m: m.group(1) + make() + "\n" + m.group(2), text)
    CARD.write_text(text, encoding="utf-8")
    print(f"refreshed {CARD}")


if __name__ == "__main__":
    main()
