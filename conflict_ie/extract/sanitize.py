"""Making arbitrary input safe to tag without moving a single character.

Offsets in results index the text the user passed in, so cleaning never
deletes or inserts: markup and control characters are overwritten with spaces
of the same length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[A-Za-z/!][^<>]{0,2000}>", re.S | re.I)
_HTML_HINT = re.compile(r"<(html|body|div|p|span|a|br|script|style|table|!doctype)\b", re.I)


class InputError(ValueError):
    """This one article cannot be processed (the batch goes on)."""


@dataclass
class CleanText:
    text: str  # same length as the input; what the model reads
    warnings: list[str] = field(default_factory=list)


def coerce_text(value) -> str:
    if isinstance(value, bytes):
        if b"\x00" in value[:4096]:
            raise InputError("input is binary data (NUL bytes), not text")
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"input bytes are not UTF-8 (bad byte at {exc.start})") from exc
    if not isinstance(value, str):
        raise InputError(f"text must be str or bytes, not {type(value).__name__}")
    return value


def clean(text: str) -> CleanText:
    warnings = []
    if "\x00" in text or sum(1 for c in text[:10000] if unicodedata.category(c) == "Cc" and c not in "\n\r\t") > 50:
        raise InputError("input looks like binary data (control characters), not text")
    out = text
    if _HTML_HINT.search(text):
        out = _TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), out)
        warnings.append("HTML markup was masked with spaces; offsets still index the original text")
    # Unusual whitespace and format characters confuse tokenizers: same-length spaces.
    out = "".join(" " if (unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp") and c not in "\n\t") else c
                  for c in out) if not out.isascii() or "\r" in out else out
    letters = [c for c in out[:20000] if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) / len(letters) < 0.5:
        warnings.append("the text does not look like English (mostly non-Latin letters); the model was trained on English")
    return CleanText(out, warnings)


def segment_bounds(text: str, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Cut very long texts into overlapping segments, at paragraph or sentence ends where possible."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    bounds, start = [], 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            window = text[start + max_chars // 2:end]
            cut = max(window.rfind("\n\n"), window.rfind(". "), window.rfind("\n"))
            if cut > 0:
                end = start + max_chars // 2 + cut + 1
        bounds.append((start, end))
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return bounds
