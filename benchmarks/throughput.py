"""Extraction throughput against the bare encoder's forward pass on the same texts.

    python benchmarks/throughput.py --model runs/default/best --data annotations/corpus --split test

The encoder baseline times only the encoder's forward pass over exactly the
windows extraction uses (tokenisation done beforehand, untimed); extraction is
timed end to end: sanitising, tokenising, windows, both heads, decoding, record
building. Target: extraction >= 80% of the encoder's articles per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from common import write_result  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="runs/default/best")
    ap.add_argument("--data", default="annotations/corpus")
    ap.add_argument("--split", default="test", help="articles of this split ('all' for every one)")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3, help="timed passes over the texts; the best is kept")
    ap.add_argument("--device", default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--name", default=None, help="result file name (default: throughput_<device>)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    from conflict_ie import ConflictExtractor
    from conflict_ie.annotations import load_articles
    from conflict_ie.model.windows import tokenize_document

    articles = load_articles(args.data)
    if args.split != "all":
        articles = [a for a in articles if a.split == args.split]
    texts = [a.text for a in articles]
    ex = ConflictExtractor.from_pretrained(args.model, device=args.device, batch_size=args.batch_size)
    model, device = ex.model, torch.device(ex.device)
    docs = [tokenize_document(model.tokenizer, t) for t in texts]
    n_tokens = sum(len(d) for d in docs)
    batches = [model.window_batch(docs[i:i + args.batch_size]) for i in range(0, len(docs), args.batch_size)]

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    @torch.no_grad()
    def encoder_pass() -> float:
        t = time.perf_counter()
        for wb in batches:
            for i in range(0, wb.input_ids.size(0), 32):  # the extractor's window chunking
                ids = wb.input_ids[i:i + 32].to(device)
                mask = wb.attention_mask[i:i + 32].to(device)
                width = int(mask.sum(1).max())
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                    model.encoder(input_ids=ids[:, :width], attention_mask=mask[:, :width])
        sync()
        return time.perf_counter() - t

    def extract_pass() -> float:
        t = time.perf_counter()
        n = sum(1 for _ in ex.extract_many(({"text": x, "published": a.published} for x, a in zip(texts, articles)),
                                           batch_size=args.batch_size))
        sync()
        assert n == len(texts)
        return time.perf_counter() - t

    encoder_pass(), extract_pass()  # warm-up: caches, gazetteer, allocator
    enc = min(encoder_pass() for _ in range(args.repeats))
    ext = min(extract_pass() for _ in range(args.repeats))
    result = {
        "model": args.model, "articles": len(texts), "tokens": n_tokens, "batch_size": args.batch_size,
        "device": str(device), "torch_threads": torch.get_num_threads(),
        "encoder_seconds": round(enc, 3), "extraction_seconds": round(ext, 3),
        "encoder_articles_per_s": round(len(texts) / enc, 2), "extraction_articles_per_s": round(len(texts) / ext, 2),
        "encoder_tokens_per_s": round(n_tokens / enc, 1), "extraction_tokens_per_s": round(n_tokens / ext, 1),
        "extraction_vs_encoder": round(enc / ext, 3), "target": 0.8,
    }
    for k, v in result.items():
        print(f"{k:28} {v}")
    write_result(args.name or f"throughput_{device.type}", result)


if __name__ == "__main__":
    main()
