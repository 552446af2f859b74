"""Annotation format, validation, conversion, statistics and agreement."""

from conflict_ie.annotations.document import Article, Relation, Span
from conflict_ie.annotations.diagnostics import Diagnostic
from conflict_ie.annotations.corpus import load_articles, load_with_diagnostics

__all__ = ["Article", "Relation", "Span", "Diagnostic", "load_articles", "load_with_diagnostics"]
