"""Converters between the native formats (.cie, JSONL) and brat, Label Studio, CoNLL BIO and
Hugging Face datasets. Each module has ``export``, ``read`` and ``import_`` (see ``base``);
``formats.FORMATS`` names them for the ``convert`` command."""
