"""Errors found in annotation files, each tied to a file, line and character."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one input file.

    ``line`` and ``column`` are 1-based positions in the file as written;
    ``char`` is the 0-based offset into the article text where one applies.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    char: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        at = f" (text char {self.char})" if self.char is not None else ""
        return f"{where}: {self.code}: {self.message}{at}"


class AnnotationError(ValueError):
    """Raised by strict loaders when a file has errors; carries all of them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        shown = "\n".join(str(d) for d in diagnostics[:20])
        more = f"\n... and {len(diagnostics) - 20} more" if len(diagnostics) > 20 else ""
        super().__init__(f"{len(diagnostics)} annotation error(s):\n{shown}{more}")
