"""One very long article (default 5 MB) through the extractor: time, memory, offsets.

    python benchmarks/long_article.py --model runs/default/best [--megabytes 5]

The text is the corpus's test articles repeated up to the size; the check is
that nothing is truncated (spans reach the end) and every offset is exact.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import write_result  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="runs/default/best")
    ap.add_argument("--data", default="annotations/corpus")
    ap.add_argument("--megabytes", type=float, default=5.0)
    args = ap.parse_args()

    from conflict_ie import ConflictExtractor
    from conflict_ie.annotations import load_articles

    pieces = [a.text for a in load_articles(args.data) if a.split == "test"]
    size = int(args.megabytes * 1_000_000)
    text, i = [], 0
    while sum(map(len, text)) < size:
        text.append(pieces[i % len(pieces)] + "\n\n")
        i += 1
    text = "".join(text)[:size]
    ex = ConflictExtractor.from_pretrained(args.model)
    t = time.perf_counter()
    doc = ex.extract(text, published="2024-01-15")
    seconds = time.perf_counter() - t
    exact = all(text[s.start:s.end] == s.text for s in doc.spans)
    last_end = max((s.end for s in doc.spans), default=0)
    result = {
        "model": args.model, "chars": len(text), "seconds": round(seconds, 1),
        "chars_per_second": round(len(text) / seconds), "spans": len(doc.spans), "relations": len(doc.relations),
        "events": len(doc.events), "offsets_exact": exact, "last_span_end": last_end,
        "covers_to_the_end": len(text) - last_end < 2_000, "error": doc.error,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    for k, v in result.items():
        print(f"{k:20} {v}")
    write_result("long_article_cpu", result)


if __name__ == "__main__":
    main()
