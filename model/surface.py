"""Surface features the encoder may not see: word casing and sentence membership.

The default encoder (MiniLM) is uncased, so "Bangui" and "bangui", "ARMY" and
"army" reach it as the same ids; capitalisation is one of the strongest cues
for names (PER, ORG, GPE) and their boundaries. Each subword token gets the
casing class of the word it belongs to, with a separate set of ids for the
first word of a sentence, where a capital says little.

Relations mostly hold inside a sentence, and the relation head's token distance
cannot tell "three tokens away, across a full stop" from "three tokens away in
the same clause": each token also gets the index of its sentence.
"""

from __future__ import annotations

PAD_SHAPE = 0
LOWER, TITLE, UPPER, MIXED, DIGIT, OTHER = 1, 2, 3, 4, 5, 6
_N_BASE = 6
N_SHAPES = 1 + 2 * _N_BASE  # pad, six classes, six classes at sentence start

_SENTENCE_END = ".!?"
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
# Words whose full stop rarely ends a sentence before a capitalised word.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt cpl pte adm brig st rev sen rep gov pres prof no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u".split())


def _word_bounds(text: str, a: int, b: int) -> tuple[int, int]:
    while a > 0 and text[a - 1].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum():
        b += 1
    return a, b


def _shape_of_word(word: str) -> int:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return DIGIT if any(c.isdigit() for c in word) else OTHER
    if all(c.isupper() for c in letters):
        return UPPER if len(letters) > 1 else TITLE
    if all(c.islower() for c in letters):
        return LOWER
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return TITLE
    return MIXED


def _abbreviation_stop(text: str, j: int) -> bool:
    """Whether the full stop at ``j`` closes an abbreviation or an initial ("Mr.", "Sept.", "U.S.")."""
    k = j
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:j]
    return word.lower() in _ABBREVIATIONS or len(word) == 1


def _starts_sentence(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    if i < 0:
        return True
    if text[i] == ".":
        return not _abbreviation_stop(text, i)
    return text[i] in _SENTENCE_END + ":"


def token_shapes(text: str, offsets: list[tuple[int, int]]) -> list[int]:
    """Casing class (1..N_SHAPES-1) of the word each token belongs to."""
    out = []
    for a, b in offsets:
        piece = text[a:b]
        if not any(c.isalnum() for c in piece):
            out.append(OTHER)
            continue
        wa, wb = _word_bounds(text, a, b)
        shape = _shape_of_word(text[wa:wb])
        out.append(shape + _N_BASE if _starts_sentence(text, wa) else shape)
    return out


def _ends_sentence(text: str, prev_end: int, next_start: int) -> bool:
    gap = text[prev_end:next_start]
    if "\n" in gap:
        return True
    if not gap or not gap.isspace():
        return False
    j = prev_end - 1
    while j >= 0 and text[j] in _CLOSERS:
        j -= 1
    if j < 0 or text[j] not in _SENTENCE_END:
        return False
    if text[j] == "." and _abbreviation_stop(text, j):
        return False
    nxt = text[next_start] if next_start < len(text) else ""
    return not nxt.islower()


def sentence_ids(text: str, offsets: list[tuple[int, int]]) -> list[int]:
    """Index of the sentence (or paragraph line) each token sits in, counting from 0."""
    out, current = [], 0
    for i, (a, _) in enumerate(offsets):
        if i and _ends_sentence(text, offsets[i - 1][1], a):
            current += 1
        out.append(current)
    return out
