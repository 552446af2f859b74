"""Parsing counts of people: "Fifty", "at least a hundred", "between 30 and 40", "dozens".

``best`` follows ACLED's conservative conventions: the lowest figure of a range
or a bound ("at least 50" -> 50), and fixed figures for vague plurals
("dozens" -> 12, "hundreds" -> 100, "thousands" -> 1,000).
"""

from __future__ import annotations

import re

from conflict_ie.extract.types import Count

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
_SPECIAL = {"dozen": 12, "score": 20, "couple": 2, "pair": 2}
# Vague amounts with no number: (min, best). max stays open.
_VAGUE = [
    (re.compile(r"\bhundreds of thousands\b"), 100_000),
    (re.compile(r"\btens of thousands\b"), 10_000),
    (re.compile(r"\bmillions\b"), 1_000_000),
    (re.compile(r"\bthousands\b"), 1_000),
    (re.compile(r"\bhundreds\b"), 100),
    (re.compile(r"\bdozens\b"), 12),
    (re.compile(r"\bscores\b"), 20),
    (re.compile(r"\b(several|many|numerous)\b"), 3),
    (re.compile(r"\b(a few|few|some)\b"), 2),
]
_LOWER = re.compile(r"\b(at least|more than|over|upwards of|in excess of|no fewer than|not less than|>)\s")
_UPPER = re.compile(r"\b(up to|nearly|almost|fewer than|less than|under|as many as|no more than|close to)\s")
_APPROX = re.compile(r"\b(about|around|some|approximately|roughly|an estimated|estimated|circa|perhaps)\s")
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s*(?:and|to|-|–|or)\s*(.+)$")
_NUMERIC = re.compile(r"\d[\d,.\s]*\d|\d")


def words_to_int(s: str) -> int | None:
    """'forty-nine' -> 49, 'two hundred and five' -> 205, '6,500' -> 6500, '1.2 million' -> 1200000."""
    s = s.lower().strip().replace("–", "-")
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(hundred|thousand|million)?", s)
    if m:
        num = float(m.group(1).replace(",", ""))
        return int(round(num * _SCALES.get(m.group(2) or "", 1)))
    total, current, seen = 0, 0, False
    for w in re.split(r"[\s-]+", s):
        if w in ("and", ""):
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SPECIAL:
            current = max(current, 1) * _SPECIAL[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if w != "hundred":
                total, current = total + current, 0
        elif re.fullmatch(r"\d[\d,]*", w):
            current += int(w.replace(",", ""))
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_count(text: str, start: int = 0, end: int | None = None) -> Count:
    """A Count for a NUM span's text; min/max are None where the text leaves them open."""
    end = start + len(text) if end is None else end
    s = " ".join(text.lower().replace("’", "'").split())
    s = re.sub(r"\b(people|persons|of them|soldiers|civilians)\b", "", s).strip()

    def out(lo, hi, exact, best):
        return Count(text=text, start=start, end=end, min=lo, max=hi, exact=exact, best=best)

    bare = words_to_int(s)
    if bare is not None:
        return out(bare, bare, True, bare)
    m = _LOWER.match(s + " ")
    if m:
        n = words_to_int(s[m.end():]) if m.end() <= len(s) else None
        n = n if n is not None else _vague(s[m.end():])
        if n is not None:
            strict = m.group(1) in ("more than", "over", "upwards of", "in excess of", ">")
            return out(n + 1 if strict else n, None, False, n)
    m = _UPPER.match(s + " ")
    if m:
        n = words_to_int(s[m.end():])
        if n is not None:
            strict = m.group(1) in ("nearly", "almost", "fewer than", "less than", "under")
            return out(None, n - 1 if strict else n, False, n - 1 if strict and n > 0 else n)
    m = _APPROX.match(s + " ")
    if m:
        n = words_to_int(s[m.end():])
        if n is not None:
            return out(n, n, False, n)
    m = _RANGE.match(s)
    if m:
        a, b = words_to_int(m.group(1)), words_to_int(m.group(2))
        if a is not None and b is not None and a <= b:
            return out(a, b, False, a)
    v = _vague(s)
    if v is not None:
        return out(v, None, False, v)
    return out(None, None, False, None)


def _vague(s: str) -> int | None:
    for rx, lo in _VAGUE:
        if rx.search(s):
            return lo
    return None
