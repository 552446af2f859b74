"""The lexicon and spaCy baselines, and the span clean-up they share."""

from __future__ import annotations

import pytest

from conflict_ie import schema
from conflict_ie.annotations.document import Article, Span
from conflict_ie.eval.baselines import make_baselines
from conflict_ie.eval.baselines.lexicon import LexiconBaseline
from conflict_ie.eval.baselines.spans import build_spans
from conflict_ie.eval.predictor import Predictor


def article(text: str, spans=()) -> Article:
    return Article(id="a1", title="t", published="2022-09-13", source_style="wire", countries=["Armenia"],
                   conflict="Armenia-Azerbaijan", split="test", annotator="t", text=text, spans=list(spans))


def found(pred: Article) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in pred.spans]


def test_lexicon_on_a_sentence():
    text = ("Azerbaijani forces shelled Armenian positions and an air strike KILLED three civilians; "
            "protesters were arrested after they clashed with police.")
    pred = LexiconBaseline().predict([article(text)])[0]
    # Longest match first ("air strike", "clashed with police"), whole words only
    # ("protesters" is not "protest"), case-insensitive ("KILLED").
    assert found(pred) == [("shelled", "REMOTE_VIOLENCE"), ("air strike", "REMOTE_VIOLENCE"), ("KILLED", "DEATH"),
                           ("arrested", "ARREST"), ("clashed with police", "RIOT")]
    for s in pred.spans:
        assert text[s.start:s.end] == s.text
    assert pred.relations == [] and pred.id == "a1" and pred.text == text


def test_lexicon_labels_and_consistency():
    lex = LexiconBaseline()
    assert set(lex.labels) == set(schema.TRIGGER_LABELS)
    assert lex.relation_labels == ()
    assert isinstance(lex, Predictor)
    with pytest.raises(ValueError, match="both BATTLE and RIOT"):
        LexiconBaseline({"BATTLE": ("clashes",), "RIOT": ("Clashes",)})
    with pytest.raises(ValueError, match="not a trigger label"):
        LexiconBaseline({"ARMED": ("soldiers",)})


def test_predictions_do_not_carry_the_input_annotations():
    gold = article("Troops clashed.", [Span("s1", "ARMED", 0, 6, "Troops")])
    pred = LexiconBaseline().predict([gold])[0]
    assert found(pred) == [("clashed", "BATTLE")]
    assert gold.spans[0].label == "ARMED"  # the input is left alone


def test_build_spans_snaps_to_words_and_keeps_the_layer_flat():
    a = article("Azerbaijan's Defence Ministry said\nBaku was hit.")
    spans = build_spans(a, [(2, 10, "GPE"),  # inside a word: widened to "Azerbaijan", then loses to the ORG
                            (5, 29, "ORG"),  # widened to "Azerbaijan's Defence Ministry": same start, longer
                            (30, 39, "ORG"),  # crosses the line break: dropped
                            (35, 39, "GPE")])
    assert [(s.id, s.text, s.label) for s in spans] == [("p1", "Azerbaijan's Defence Ministry", "ORG"),
                                                        ("p2", "Baku", "GPE")]


def test_make_baselines():
    assert make_baselines("none") == [] and make_baselines("") == []
    assert [b.name for b in make_baselines("lexicon, lexicon")] == ["lexicon"]
    with pytest.raises(ValueError, match="unknown baseline"):
        make_baselines("spacy,bert")


def test_spacy_baseline_on_a_short_text():
    text = "Prime Minister Nikol Pashinian said 49 soldiers died in Armenia on Tuesday, according to the United Nations."
    (spacy,) = make_baselines("spacy")
    assert spacy.labels == ("PER", "ORG", "GPE", "LOC", "DATE", "NUM")
    pred = spacy.predict([article(text)])[0]
    # "the" is stripped from "the United Nations"; PERSON -> PER, CARDINAL -> NUM.
    assert found(pred) == [("Nikol Pashinian", "PER"), ("49", "NUM"), ("Armenia", "GPE"), ("Tuesday", "DATE"),
                           ("United Nations", "ORG")]
    assert all(s.label in spacy.labels for s in pred.spans)
