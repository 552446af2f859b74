"""Span and relation metrics on hand-made cases with hand-computed answers."""

from __future__ import annotations

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from conflict_ie import schema
from conflict_ie.annotations import cie_format
from conflict_ie.annotations.tokenize import spans_to_bio, tokenize
from conflict_ie.eval.metrics import (exact_span_scores, relation_scores, seqeval_span_scores,
                                      seqeval_tag_scores)


def art(body: str, relations: str = "", id: str = "a1"):
    """An article from .cie markup, so cases read like the corpus."""
    src = (f"id: {id}\ntitle: t\npublished: 2022-09-13\nsource_style: wire\ncountries: Armenia\n"
           f"conflict: Armenia-Azerbaijan\nsplit: test\nannotator: t\n=== text\n{body}\n=== relations\n{relations}")
    parsed = cie_format.parse(src)
    assert not parsed.diagnostics, parsed.diagnostics
    return parsed.article


ENT = schema.ENTITY_LABELS
TRG = schema.TRIGGER_LABELS

GOLD = art("[Azerbaijani forces]{ARMED s1} [shelled]{REMOTE_VIOLENCE s2} [Kalbajar]{GPE s3} "
           "on [Tuesday]{DATE s4}, [killing]{DEATH s5} [two]{NUM s6} [civilians]{CIV s7}.",
           "s2 ACTOR s1\ns2 PLACE s3\ns2 TIME s4\ns5 CAUSE s2\ns5 COUNT s6\ns5 VICTIM s7")


def approx(prf, p, r, f, gold, predicted, correct):
    assert (prf.gold, prf.predicted, prf.correct) == (gold, predicted, correct)
    assert prf.precision == pytest.approx(p)
    assert prf.recall == pytest.approx(r)
    assert prf.f1 == pytest.approx(f)


def test_perfect_predictions_score_one_everywhere():
    pred = art("[Azerbaijani forces]{ARMED p1} [shelled]{REMOTE_VIOLENCE p2} [Kalbajar]{GPE p3} "
               "on [Tuesday]{DATE p4}, [killing]{DEATH p5} [two]{NUM p6} [civilians]{CIV p7}.",
               "p2 ACTOR p1\np2 PLACE p3\np2 TIME p4\np5 CAUSE p2\np5 COUNT p6\np5 VICTIM p7")
    ent = seqeval_span_scores([GOLD], [pred], ENT)
    approx(ent.micro, 1, 1, 1, 5, 5, 5)
    approx(ent.macro, 1, 1, 1, 5, 5, 5)
    approx(seqeval_span_scores([GOLD], [pred], TRG).micro, 1, 1, 1, 2, 2, 2)
    approx(exact_span_scores([GOLD], [pred], ENT).micro, 1, 1, 1, 5, 5, 5)
    # Span ids differ (s1 vs p1): relations are compared by offsets and labels.
    approx(relation_scores([GOLD], [pred], "strict").micro, 1, 1, 1, 6, 6, 6)
    approx(relation_scores([GOLD], [pred], "boundaries").micro, 1, 1, 1, 6, 6, 6)


def test_no_predictions_give_zero_precision_recall_f1():
    empty = GOLD.with_annotations([], [])
    for scores in (seqeval_span_scores([GOLD], [empty], ENT), exact_span_scores([GOLD], [empty], ENT)):
        approx(scores.micro, 0, 0, 0, 5, 0, 0)
        approx(scores.per_label["ARMED"], 0, 0, 0, 1, 0, 0)
    approx(relation_scores([GOLD], [empty]).micro, 0, 0, 0, 6, 0, 0)


def test_no_gold_and_no_predictions_is_f1_zero_by_convention():
    blank = art("Nothing happened here.")
    for scores in (seqeval_span_scores([blank], [blank], ENT), exact_span_scores([blank], [blank], TRG),
                   relation_scores([blank], [blank])):
        approx(scores.micro, 0, 0, 0, 0, 0, 0)
        approx(scores.macro, 0, 0, 0, 0, 0, 0)
        assert all(p.f1 == 0.0 for p in scores.per_label.values())


def test_wrong_label_counts_as_one_miss_and_one_false_alarm():
    gold = art("[Armenia]{GPE s1} and [Baku]{GPE s2} traded blame.")
    pred = art("[Armenia]{GPE p1} and [Baku]{ORG p2} traded blame.")
    s = seqeval_span_scores([gold], [pred], ENT)
    approx(s.micro, 0.5, 0.5, 0.5, 2, 2, 1)
    approx(s.per_label["GPE"], 1.0, 0.5, 2 / 3, 2, 1, 1)
    approx(s.per_label["ORG"], 0.0, 0.0, 0.0, 0, 1, 0)
    approx(s.per_label["PER"], 0.0, 0.0, 0.0, 0, 0, 0)
    # macro: mean over the labels present (GPE, ORG), not over all nine.
    assert s.macro.precision == pytest.approx(0.5)
    assert s.macro.recall == pytest.approx(0.25)
    assert s.macro.f1 == pytest.approx(1 / 3)
    assert set(s.per_label) == set(ENT)


def test_boundary_error_is_wrong_in_both_views():
    gold = art("[Azerbaijan's Defence Ministry]{ORG s1} said.")
    pred = art("Azerbaijan's [Defence Ministry]{ORG p1} said.")
    approx(seqeval_span_scores([gold], [pred], ENT).micro, 0, 0, 0, 1, 1, 0)
    approx(exact_span_scores([gold], [pred], ENT).micro, 0, 0, 0, 1, 1, 0)


def test_labels_outside_the_requested_set_are_ignored():
    pred = art("[Azerbaijani forces]{ARMED p1} [shelled]{BATTLE p2} Kalbajar on Tuesday, killing two civilians.")
    # Triggers are scored separately: the BATTLE/REMOTE_VIOLENCE mix-up does not touch entity scores.
    approx(seqeval_span_scores([GOLD], [pred], ENT).micro, 1.0, 0.2, 1 / 3, 5, 1, 1)
    approx(seqeval_span_scores([GOLD], [pred], TRG).micro, 0, 0, 0, 2, 1, 0)


def test_broken_bio_is_read_as_seqeval_strict_does():
    gold = [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "B-LOC", "B-ORG"]]
    pred = [["I-PER", "I-PER", "O", "B-ORG", "I-ORG", "B-LOC", "I-ORG"]]
    s = seqeval_tag_scores(gold, pred)
    # The I-PER run without B-PER is no span; "B-LOC I-ORG" is a LOC and no ORG.
    approx(s.per_label["PER"], 0, 0, 0, 1, 0, 0)
    approx(s.per_label["ORG"], 1.0, 0.5, 2 / 3, 2, 1, 1)
    approx(s.per_label["LOC"], 1, 1, 1, 1, 1, 1)
    approx(s.micro, 1.0, 0.5, 2 / 3, 4, 2, 2)
    report = classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    for lab in ("PER", "ORG", "LOC"):
        assert s.per_label[lab].f1 == pytest.approx(report[lab]["f1-score"])
        assert s.per_label[lab].gold == report[lab]["support"]
    assert s.micro.f1 == pytest.approx(report["micro avg"]["f1-score"])
    assert s.macro.f1 == pytest.approx(report["macro avg"]["f1-score"])
    with pytest.raises(ValueError, match="tag sequence 0"):
        seqeval_tag_scores([["O"]], [["O", "O"]])


def test_article_scores_agree_with_seqeval_classification_report():
    gold = [GOLD, art("[Armenia]{GPE s1} and [Baku]{GPE s2} [clashed]{BATTLE s3} near the [border]{LOC s4}.", id="a2")]
    pred = [art("Azerbaijani [forces]{ARMED p1} shelled [Kalbajar]{GPE p2} on [Tuesday]{DATE p3}, "
                "killing [two]{NUM p4} civilians.", id="a1"),
            art("[Armenia]{GPE p1} and [Baku]{ORG p2} clashed near the [border]{LOC p3}.", id="a2")]
    ours = seqeval_span_scores(gold, pred, ENT)
    y_true, y_pred = [], []
    for g, p in zip(gold, pred):
        toks = tokenize(g.text)
        y_true.append(spans_to_bio(toks, [(s.start, s.end, s.label) for s in g.spans if s.label in ENT]))
        y_pred.append(spans_to_bio(toks, [(s.start, s.end, s.label) for s in p.spans if s.label in ENT]))
    report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    assert ours.micro.f1 == pytest.approx(report["micro avg"]["f1-score"])
    assert ours.macro.f1 == pytest.approx(report["macro avg"]["f1-score"])
    for lab in ("ARMED", "GPE", "DATE", "NUM", "CIV", "LOC", "ORG"):
        assert ours.per_label[lab].f1 == pytest.approx(report[lab]["f1-score"]), lab
    approx(ours.micro, 5 / 7, 5 / 8, 2 / 3, 8, 7, 5)


def test_relation_strict_vs_boundaries():
    # Right offsets everywhere, but "Azerbaijani forces" called ORG: the ACTOR
    # relation fails strict (a span label is wrong) and passes boundaries.
    pred = art("[Azerbaijani forces]{ORG p1} [shelled]{REMOTE_VIOLENCE p2} [Kalbajar]{GPE p3} "
               "on [Tuesday]{DATE p4}, killing two civilians.",
               "p2 ACTOR p1\np2 PLACE p3\np2 TIME p4")
    strict = relation_scores([GOLD], [pred], "strict")
    bounds = relation_scores([GOLD], [pred], "boundaries")
    approx(strict.micro, 2 / 3, 2 / 6, 4 / 9, 6, 3, 2)
    approx(bounds.micro, 1.0, 3 / 6, 2 / 3, 6, 3, 3)
    approx(strict.per_label["ACTOR"], 0, 0, 0, 1, 1, 0)
    approx(bounds.per_label["ACTOR"], 1, 1, 1, 1, 1, 1)
    approx(strict.per_label["PLACE"], 1, 1, 1, 1, 1, 1)
    assert set(strict.per_label) == set(schema.RELATION_LABELS)
    # A wrong relation label is wrong in both modes.
    wrong = art("[Azerbaijani forces]{ARMED p1} [shelled]{REMOTE_VIOLENCE p2} Kalbajar on "
                "Tuesday, killing two civilians.", "p2 TARGET p1")
    assert relation_scores([GOLD], [wrong], "strict").micro.correct == 0
    assert relation_scores([GOLD], [wrong], "boundaries").micro.correct == 0


def test_relations_on_mispredicted_spans_are_wrong_even_in_boundaries_mode():
    # "forces" instead of "Azerbaijani forces": the relation's tail offsets differ.
    pred = art("Azerbaijani [forces]{ARMED p1} [shelled]{REMOTE_VIOLENCE p2} [Kalbajar]{GPE p3} "
               "on Tuesday, killing two civilians.", "p2 ACTOR p1\np2 PLACE p3")
    approx(relation_scores([GOLD], [pred], "strict").micro, 0.5, 1 / 6, 0.25, 6, 2, 1)
    approx(relation_scores([GOLD], [pred], "boundaries").micro, 0.5, 1 / 6, 0.25, 6, 2, 1)


def test_relation_label_subset():
    s = relation_scores([GOLD], [GOLD], labels=["PLACE", "TIME"])
    approx(s.micro, 1, 1, 1, 2, 2, 2)
    assert list(s.per_label) == ["PLACE", "TIME"]


def test_pairing_errors_are_clear():
    other = art("[Armenia]{GPE s1} said.", id="zzz")
    with pytest.raises(ValueError, match="no prediction for 1 gold article.*a1"):
        seqeval_span_scores([GOLD], [other], ENT)
    changed = art("Something else entirely.", id="a1")
    with pytest.raises(ValueError, match="text differs"):
        exact_span_scores([GOLD], [changed], ENT)
    with pytest.raises(ValueError, match="more than once"):
        relation_scores([GOLD, GOLD], [GOLD])


def test_relation_with_unknown_span_id_is_an_error():
    bad = GOLD.with_annotations(GOLD.spans, [type(GOLD.relations[0])("s2", "ACTOR", "nope")])
    with pytest.raises(ValueError, match="nope"):
        relation_scores([GOLD], [bad])
