"""Where each part of an article stands in the file it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceMap:
    """Maps metadata keys, spans and relations (by index) to (line, column) in a file.

    Formats that cannot place an item more precisely (JSONL: one article per
    line) fall back to ``line`` and column 1.
    """

    path: str
    line: int = 1
    meta: dict[str, int] = field(default_factory=dict)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    relations: dict[int, tuple[int, int]] = field(default_factory=dict)

    def meta_pos(self, key: str) -> tuple[int, int]:
        return (self.meta.get(key, self.line), 1)

    def span_pos(self, index: int) -> tuple[int, int]:
        return self.spans.get(index, (self.line, 1))

    def relation_pos(self, index: int) -> tuple[int, int]:
        return self.relations.get(index, (self.line, 1))
