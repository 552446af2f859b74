"""conflict-ie: conflict news to structured event records.

``import conflict_ie`` stays light (no torch); ``ConflictExtractor`` is imported
on first use.
"""

from conflict_ie.schema import SCHEMA_VERSION

__version__ = "0.1.0"
__all__ = ["ConflictExtractor", "SCHEMA_VERSION", "__version__"]


def __getattr__(name: str):
    if name == "ConflictExtractor":
        from conflict_ie.extract.extractor import ConflictExtractor

        return ConflictExtractor
    raise AttributeError(f"module 'conflict_ie' has no attribute {name!r}")
