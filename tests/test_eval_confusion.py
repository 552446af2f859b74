"""Span alignment, the confusion matrix and the error analysis built on it."""

from __future__ import annotations

from conflict_ie.annotations import cie_format
from conflict_ie.eval.confusion import align_spans, confusion_matrix
from conflict_ie.eval.error_analysis import common_errors, snippet, worst_articles


def art(body: str, id: str = "a1"):
    src = (f"id: {id}\ntitle: t\npublished: 2022-09-13\nsource_style: wire\ncountries: Armenia\n"
           f"conflict: Armenia-Azerbaijan\nsplit: test\nannotator: t\n=== text\n{body}\n=== relations\n")
    parsed = cie_format.parse(src)
    assert not parsed.diagnostics, parsed.diagnostics
    return parsed.article


GOLD = art("[Armenia]{GPE s1} said [Baku]{GPE s2} [shelled]{REMOTE_VIOLENCE s3} the [border]{LOC s4} "
           "near [Jermuk]{GPE s5}.")
PRED = art("[Armenia]{GPE p1} [said]{DIPLOMACY p2} [Baku]{ORG p3} [shelled]{REMOTE_VIOLENCE p4} the border "
           "[near Jermuk]{LOC p5}.")


def test_alignment_prefers_equal_offsets_then_overlap():
    pairs = align_spans(GOLD.spans, PRED.spans)
    shown = [(p.gold.text if p.gold else None, p.pred.text if p.pred else None, p.exact) for p in pairs]
    assert shown == [("Armenia", "Armenia", True), (None, "said", False), ("Baku", "Baku", True),
                     ("shelled", "shelled", True), ("border", None, False), ("Jermuk", "near Jermuk", False)]


def test_confusion_matrix_counts():
    cm = confusion_matrix([GOLD], [PRED], ["GPE", "ORG", "LOC", "REMOTE_VIOLENCE", "DIPLOMACY"])
    assert cm.labels[-1] == "O"
    assert cm.get("GPE", "GPE") == 1
    assert cm.get("GPE", "ORG") == 1
    assert cm.get("GPE", "LOC") == 1  # Jermuk vs "near Jermuk": overlapping, other label and boundary
    assert cm.get("LOC", "O") == 1
    assert cm.get("O", "DIPLOMACY") == 1
    assert cm.get("REMOTE_VIOLENCE", "REMOTE_VIOLENCE") == 1
    assert sum(map(sum, cm.counts)) == 6
    # Restricted to entities, the trigger spans vanish from both sides.
    ents = confusion_matrix([GOLD], [PRED], ["GPE", "ORG", "LOC"])
    assert ents.get("O", "O") == 0 and sum(map(sum, ents.counts)) == 4


def test_common_errors_and_worst_articles():
    errors = {(e.gold_label, e.pred_label, e.kind): e for e in common_errors([GOLD], [PRED], ["GPE", "ORG", "LOC",
                                                                                              "DIPLOMACY"])}
    assert set(errors) == {("GPE", "ORG", "label"), ("GPE", "LOC", "label+boundary"), ("LOC", "O", "missed"),
                           ("O", "DIPLOMACY", "spurious")}
    ex = errors[("GPE", "ORG", "label")].examples[0]
    assert (ex.article_id, ex.gold_text, ex.pred_text) == ("a1", "Baku", "Baku")
    assert "Baku" in ex.snippet
    # REMOTE_VIOLENCE is not among the labels: a miss of it would not be listed (it is not missed here anyway).
    good = art("[Armenia]{GPE s1} said.", id="b")
    worst = worst_articles([GOLD, good], [PRED, art("[Armenia]{GPE p1} said.", id="b")], ["GPE", "ORG", "LOC"])
    assert [w.article_id for w in worst] == ["a1", "b"]
    assert (worst[0].gold, worst[0].predicted, worst[0].correct) == (4, 3, 1)
    assert worst[1].f1 == 1.0


def test_snippet_marks_cuts():
    text = "a" * 100 + " Baku " + "b" * 100
    s = snippet(text, 101, 105, context=10)
    assert s.startswith("…") and s.endswith("…") and "Baku" in s
    assert snippet("short text", 0, 5) == "short text"
