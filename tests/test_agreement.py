"""Inter-annotator agreement: hand-made cases whose answers are worked out by hand."""

from __future__ import annotations

import json

import pytest

from conflict_ie.annotations import agreement
from conflict_ie.annotations.cie_format import parse
from conflict_ie.annotations.document import Article
from conflict_ie.cli import main

META = """id: {id}
title: t
published: 2022-09-14
source_style: wire
countries: Armenia; Azerbaijan
conflict: Armenia-Azerbaijan
split: train
annotator: {annotator}"""

# Five tokens: Baku / said / Armenia / shelled / Lachin
A_BODY = "[Baku]{GPE s1} said [Armenia]{GPE s2} [shelled]{REMOTE_VIOLENCE s3} [Lachin]{GPE s4}"
A_RELS = ["s3 ACTOR s2", "s3 PLACE s4", "s3 SOURCE s1"]


def cie(body: str, rels: list[str], id: str = "d1", annotator: str = "a1") -> str:
    return "\n".join([META.format(id=id, annotator=annotator), "=== text", body, "=== relations", *rels]) + "\n"


def doc(body: str, rels: list[str] = (), id: str = "d1") -> Article:
    parsed = parse(cie(body, list(rels), id))
    assert not parsed.diagnostics, parsed.diagnostics
    return parsed.article


def test_identical_annotations_agree_fully():
    r = agreement.compare([doc(A_BODY, A_RELS)], [doc(A_BODY, A_RELS)])
    for score in (r.spans_strict, r.spans_overlap, r.entities_strict, r.triggers_strict, r.relations):
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert r.kappa.kappa == 1.0 and r.kappa.tokens == 5
    assert not r.span_disagreements and not r.relation_disagreements
    assert r.articles == 1 and r.only_in_a == [] and r.only_in_b == []


def test_one_label_swap():
    b_body = A_BODY.replace("{GPE s4}", "{LOC s4}")
    r = agreement.compare([doc(A_BODY, A_RELS)], [doc(b_body, A_RELS)])
    # 3 of 4 spans match on each side.
    assert (r.spans_strict.matched, r.spans_strict.f1) == (3, 0.75)
    assert r.spans_overlap.f1 == 0.75  # overlapping, but the label differs
    assert r.entities_strict.f1 == pytest.approx(2 / 3) and r.triggers_strict.f1 == 1.0
    assert (r.span_labels["GPE"]["strict"].a, r.span_labels["GPE"]["strict"].b, r.span_labels["GPE"]["strict"].f1) == (3, 2, 0.8)
    loc = r.span_labels["LOC"]["strict"]
    assert (loc.a, loc.b, loc.precision, loc.recall, loc.f1) == (0, 1, 0.0, None, 0.0)
    # Tokens A: GPE O GPE RV GPE; B: GPE O GPE RV LOC.
    # observed 4/5; expected (3*2 + 1*1 + 1*1) / 25 = 8/25; kappa = (20/25 - 8/25) / (17/25) = 12/17.
    assert r.kappa.observed == pytest.approx(0.8) and r.kappa.expected == pytest.approx(0.32)
    assert r.kappa.kappa == pytest.approx(12 / 17)
    [d] = r.span_disagreements
    assert (d.article, d.start, d.end, d.kind, d.a_labels, d.b_labels) == ("d1", 26, 32, "label", "Lachin [GPE]", "Lachin [LOC]")
    assert "[[Lachin]]" in d.snippet
    # The PLACE relation points at a span B labels otherwise: 2 of 3 relations match.
    assert (r.relations.matched, r.relations.f1) == (2, pytest.approx(2 / 3))
    assert r.relation_labels["PLACE"].f1 == 0.0 and r.relation_labels["ACTOR"].f1 == 1.0
    kinds = sorted((x.kind, x.a_label, x.b_label, x.tail.label, x.note) for x in r.relation_disagreements)
    assert kinds == [("only-a", "PLACE", None, "GPE", "B has no such tail span"),
                     ("only-b", None, "PLACE", "LOC", "A has no such tail span")]


def test_relation_label_disagreement_on_the_same_spans():
    b_rels = ["s3 TARGET s2", "s3 PLACE s4", "s3 SOURCE s1"]
    r = agreement.compare([doc(A_BODY, A_RELS)], [doc(A_BODY, b_rels)])
    assert r.spans_strict.f1 == 1.0
    assert (r.relations.a, r.relations.b, r.relations.matched) == (3, 3, 2)
    [d] = r.relation_disagreements
    assert (d.kind, d.head.text, d.a_label, d.b_label, d.tail.text) == ("label", "shelled", "ACTOR", "TARGET", "Armenia")
    assert r.relation_labels["ACTOR"].f1 == 0.0 and r.relation_labels["TARGET"].f1 == 0.0


def test_no_spans_on_one_side():
    plain = "Baku said Armenia shelled Lachin"
    r = agreement.compare([doc(A_BODY, A_RELS)], [doc(plain)])
    s = r.spans_strict
    assert (s.a, s.b, s.matched, s.precision, s.recall, s.f1) == (4, 0, 0, None, 0.0, 0.0)
    assert r.relations.f1 == 0.0
    # B is all O: observed 1/5, expected (1*5)/25 = 1/5, kappa 0.
    assert r.kappa.kappa == pytest.approx(0.0)
    assert [d.kind for d in r.span_disagreements] == ["only-a"] * 4
    assert all(d.kind == "only-a" and d.note == "B has no such head and tail span" for d in r.relation_disagreements)


def test_no_spans_on_either_side():
    plain = "Baku said Armenia shelled Lachin"
    r = agreement.compare([doc(plain)], [doc(plain)])
    assert r.spans_strict.f1 is None and r.relations.f1 is None  # nothing to agree on
    assert r.kappa.kappa == 1.0  # every token O on both sides


def test_disjoint_labels():
    a = doc("[Baku]{GPE s1} said [Armenia]{GPE s2} shelled Lachin")
    b = doc("[Baku]{ORG s1} said [Armenia]{ORG s2} shelled Lachin")
    r = agreement.compare([a], [b])
    assert r.spans_strict.f1 == 0.0 and r.spans_overlap.f1 == 0.0
    # A: GPE O GPE O O; B: ORG O ORG O O. observed 3/5, expected 9/25: kappa (15-9)/(25-9) = 3/8.
    assert r.kappa.kappa == pytest.approx(0.375)
    assert [d.kind for d in r.span_disagreements] == ["label", "label"]


def test_overlap_counts_boundary_differences_once_per_span():
    a = doc("[Caspian Wire Service]{ORG s1} reported it")
    b = doc("[Caspian]{ORG s1} [Wire Service]{ORG s2} reported it")
    r = agreement.compare([a], [b])
    assert r.spans_strict.matched == 0
    # One A span overlaps two B spans: it matches one of them, never both.
    assert (r.spans_overlap.matched, r.spans_overlap.f1) == (1, pytest.approx(2 / 3))
    [d] = r.span_disagreements
    assert d.kind == "mixed" and (d.start, d.end) == (0, 20) and d.b_labels == "Caspian [ORG] + Wire Service [ORG]"
    boundary = agreement.compare([a], [doc("[Caspian Wire]{ORG s1} Service reported it")])
    assert boundary.spans_overlap.f1 == 1.0 and boundary.span_disagreements[0].kind == "boundary"


def test_symmetric():
    a, b = doc(A_BODY, A_RELS), doc(A_BODY.replace("{GPE s4}", "{LOC s4}").replace("[Baku]{GPE s1}", "Baku"), A_RELS[:2])
    ab, ba = agreement.compare([a], [b]), agreement.compare([b], [a])
    assert ab.spans_strict.f1 == ba.spans_strict.f1
    assert (ab.spans_strict.precision, ab.spans_strict.recall) == (ba.spans_strict.recall, ba.spans_strict.precision)
    assert ab.relations.f1 == ba.relations.f1 and ab.kappa.kappa == pytest.approx(ba.kappa.kappa)
    assert sorted((d.start, d.a_labels, d.b_labels) for d in ab.span_disagreements) == \
        sorted((d.start, d.b_labels, d.a_labels) for d in ba.span_disagreements)


def test_pairs_by_id_lists_one_sided_ids_and_rejects_changed_text():
    r = agreement.compare([doc(A_BODY, id="d1"), doc(A_BODY, id="only-a")], [doc(A_BODY, id="d1"), doc(A_BODY, id="only-b")])
    assert (r.articles, r.only_in_a, r.only_in_b) == (1, ["only-a"], ["only-b"])
    with pytest.raises(agreement.TextMismatch, match="d1"):
        agreement.compare([doc(A_BODY)], [doc(A_BODY.replace("said", "says"))])


def test_cli_prints_a_table_and_writes_json_and_markdown(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "d1.cie").write_text(cie(A_BODY, A_RELS), encoding="utf-8")
    (tmp_path / "a" / "d2.cie").write_text(cie("[Kalbajar]{GPE s1} was quiet", [], id="d2"), encoding="utf-8")
    (tmp_path / "b" / "d1.cie").write_text(cie(A_BODY.replace("{GPE s4}", "{LOC s4}"), A_RELS, annotator="a2"), encoding="utf-8")
    rc = main(["agreement", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert "spans strict" in out.out and "0.75" in out.out and "only in A (1): d2" in out.out
    data = json.loads((tmp_path / "out" / "agreement.json").read_text(encoding="utf-8"))
    assert data["spans_strict"]["f1"] == 0.75 and data["kappa"]["kappa"] == pytest.approx(12 / 17)
    assert data["span_disagreements"][0]["a"][0]["label"] == "GPE"
    md = (tmp_path / "out" / "agreement.md").read_text(encoding="utf-8")
    assert "## Span disagreements" in md and "| d1 | 26-32 | label | Lachin [GPE] | Lachin [LOC] |" in md
    assert "## Relation disagreements" in md


def test_cli_text_mismatch_and_nothing_shared_are_errors(tmp_path, capsys):
    for side, body, id in (("a", A_BODY, "d1"), ("b", A_BODY.replace("said", "says"), "d1"), ("c", A_BODY, "zz")):
        (tmp_path / side).mkdir()
        (tmp_path / side / f"{id}.cie").write_text(cie(body, [], id=id), encoding="utf-8")
    assert main(["agreement", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    assert "d1" in capsys.readouterr().err
    assert main(["agreement", str(tmp_path / "a"), str(tmp_path / "c")]) == 1
    assert "share no article" in capsys.readouterr().err
