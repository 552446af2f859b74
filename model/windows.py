"""Overlapping encoder windows over whole articles, and the way back to document tokens.

No article is ever truncated: a document of any length is cut into windows of
``max_length`` tokens (specials included) that overlap by ``stride`` tokens.
Each document token takes its hidden state from the window in which it sits
furthest from an edge, so every token sees context on both sides where the
document has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from conflict_ie.model.surface import PAD_SHAPE, sentence_ids, token_shapes


@dataclass
class TokenizedDoc:
    """Subword tokens of one document (no specials), with document char offsets."""

    input_ids: list[int]
    offsets: list[tuple[int, int]]
    shapes: list[int] = field(default_factory=list)  # casing class per token (model/surface.py)
    sentences: list[int] = field(default_factory=list)  # sentence index per token

    def __post_init__(self) -> None:
        # Documents built by hand (tests) carry no surface features: neutral ones keep every model usable.
        if not self.shapes:
            self.shapes = [PAD_SHAPE] * len(self.input_ids)
        if not self.sentences:
            self.sentences = [0] * len(self.input_ids)

    def __len__(self) -> int:
        return len(self.input_ids)


def tokenize_document(tokenizer, text: str) -> TokenizedDoc:
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    ids, offs = [], []
    for tid, (a, b) in zip(enc["input_ids"], enc["offset_mapping"]):
        if b <= a:  # zero-width tokens carry no text to label
            continue
        # Byte-level tokenizers may include a leading space in the offsets.
        while a < b and text[a].isspace():
            a += 1
        ids.append(tid)
        offs.append((a, b))
    return TokenizedDoc(ids, offs, token_shapes(text, offs), sentence_ids(text, offs))


def plan_windows(n_tokens: int, max_length: int, stride: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Token ranges [start, end) of the windows, and for each token the window that owns it."""
    body = max_length - 2
    if body <= 0:
        raise ValueError(f"max_length {max_length} leaves no room for tokens")
    if not 0 <= stride < body:
        raise ValueError(f"stride {stride} must be >= 0 and < max_length - 2 ({body})")
    if n_tokens == 0:
        return [], []
    step = body - stride
    windows = []
    start = 0
    while True:
        end = min(start + body, n_tokens)
        windows.append((start, end))
        if end >= n_tokens:
            break
        start += step
    # Ownership changes hands at the middle of each overlap.
    bounds = [0] + [nxt[0] + (cur[1] - nxt[0]) // 2 for cur, nxt in zip(windows, windows[1:])] + [n_tokens]
    owner = [0] * n_tokens
    for w in range(len(windows)):
        for t in range(bounds[w], bounds[w + 1]):
            owner[t] = w
    return windows, owner


@dataclass
class WindowBatch:
    """Encoder inputs for several documents' windows, and the map back to document tokens."""

    input_ids: torch.Tensor  # [n_windows, L]
    attention_mask: torch.Tensor  # [n_windows, L]
    shape_ids: torch.Tensor  # [n_windows, L]: casing class per position (PAD_SHAPE on specials)
    gather_window: torch.Tensor  # [total_doc_tokens]: window row of each document token
    gather_position: torch.Tensor  # [total_doc_tokens]: position in that row
    doc_lengths: list[int]


def build_window_batch(docs: list[TokenizedDoc], max_length: int, stride: int,
                       cls_id: int, sep_id: int, pad_id: int) -> WindowBatch:
    rows: list[list[int]] = []
    shape_rows: list[list[int]] = []
    g_win: list[int] = []
    g_pos: list[int] = []
    for doc in docs:
        windows, owner = plan_windows(len(doc), max_length, stride)
        base = len(rows)
        for s, e in windows:
            rows.append([cls_id] + doc.input_ids[s:e] + [sep_id])
            shape_rows.append([PAD_SHAPE] + doc.shapes[s:e] + [PAD_SHAPE])
        for t, w in enumerate(owner):
            g_win.append(base + w)
            g_pos.append(t - windows[w][0] + 1)  # +1 for the leading special token
    width = max((len(r) for r in rows), default=2)
    ids = torch.full((max(len(rows), 1), width), pad_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    shapes = torch.full_like(ids, PAD_SHAPE)
    for i, (r, sr) in enumerate(zip(rows, shape_rows)):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
        shapes[i, : len(sr)] = torch.tensor(sr)
    return WindowBatch(ids, mask, shapes, torch.tensor(g_win, dtype=torch.long), torch.tensor(g_pos, dtype=torch.long),
                       [len(d) for d in docs])


def char_span_to_tokens(offsets: list[tuple[int, int]], start: int, end: int,
                        ends: list[int] | None = None) -> tuple[int, int] | None:
    """Inclusive range of the tokens that overlap chars [start, end), or None.

    Pass ``ends`` (the token end offsets) when calling many times on one document.
    """
    import bisect

    if ends is None:
        ends = [b for _, b in offsets]
    i = bisect.bisect_right(ends, start)
    j = i
    while j < len(offsets) and offsets[j][0] < end:
        j += 1
    return (i, j - 1) if j > i else None
