"""Converters: exact round trips on a tricky in-code article and on the real corpus, and the convert command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conflict_ie import schema
from conflict_ie.annotations import cie_format
from conflict_ie.annotations.checks import check_article
from conflict_ie.annotations.convert import brat, conll, hf_datasets, labelstudio
from conflict_ie.annotations.convert import cie as cie_conv
from conflict_ie.annotations.convert import jsonl as jsonl_conv
from conflict_ie.annotations.convert.base import ConversionError
from conflict_ie.annotations.corpus import read_file
from conflict_ie.annotations.document import Article, Relation
from conflict_ie.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "annotations" / "corpus"

TRICKY_CIE = """id: tricky-001
title: Kyiv: Émeute à Zürich — “quotes” [brackets] \\ backslash
published: 2023-01-31
source_style: translated_wire
countries: Ukraine; Switzerland
conflict: Russia-Ukraine war
split: train
annotator: a1
notes: fixture with every hard character
=== text
[KYIV]{GPE s1}, [Jan. 31]{DATE s2} ([Ukrinform]{ORG s3}) – [Russian]{GPE s4}[-led]{ARMED s5} forces \\[sic\\] [shelled]{REMOTE_VIOLENCE s6} [Kharkiv]{GPE s7} 🇺🇦 on [Tuesday]{DATE s8} [night]{DATE s9}, officials in [Zürich]{GPE s10} said.

A path C:\\\\data\\\\x and a tab\there; [Ελλάδα]{GPE s11}, [الفاشر]{GPE s12} and [北京]{GPE s13}.
[Three]{NUM s14} [people]{CIV s15} were [killed]{DEATH s16}; a [\\[bracketed\\]]{ORG s17} group [condemned]{DIPLOMACY s18} the [attack]{REMOTE_VIOLENCE s19}.
=== relations
s5 AFFILIATION s4
s6 ACTOR s4
s6 TARGET s7
s6 PLACE s7
s6 TIME s8
s6 SOURCE s3
s16 COUNT s14
s16 VICTIM s15
s16 CAUSE s19
s18 ACTOR s17
s18 TARGET s4
s19 COREF s6
"""

PLAIN_CIE = """id: plain-002
title: Nothing annotated
published: 2024-02-29
source_style: wire
countries: Kosovo
conflict: Kosovo conflict
split: test
annotator: a2
=== text
No annotations here.

Just text, ending with a line break.

=== relations
"""


def parse(source: str) -> Article:
    parsed = cie_format.parse(source)
    assert not parsed.diagnostics, parsed.diagnostics
    assert not check_article(parsed.article, parsed.source_map)
    return parsed.article


@pytest.fixture
def tricky() -> list[Article]:
    return [parse(TRICKY_CIE), parse(PLAIN_CIE)]


def dicts(articles: list[Article]) -> list[dict]:
    return [a.to_dict() for a in articles]


def by_id(articles: list[Article]) -> list[dict]:
    """For formats with a file per article: they come back in file name order."""
    return sorted(dicts(articles), key=lambda d: d["id"])


def spans_only(articles: list[Article]) -> list[dict]:
    out = []
    for a in articles:
        d = a.to_dict()
        d["relations"] = []
        d["spans"] = [s.to_dict() for s in a.sorted_spans()]
        out.append(d)
    return out


FULL = {"jsonl": (jsonl_conv, "x.jsonl"), "cie": (cie_conv, "cie"), "brat": (brat, "brat"),
        "labelstudio": (labelstudio, "ls"), "hf": (hf_datasets, "hf")}


def test_fixture_is_tricky(tricky):
    text = tricky[0].text
    for piece in ("[sic]", "C:\\data\\x", "\t", "\n\n", "🇺🇦", "الفاشر", "[bracketed]"):
        assert piece in text
    s = tricky[0].span_by_id()
    assert s["s4"].end == s["s5"].start  # adjacent spans, no character between
    assert s["s8"].label == s["s9"].label  # consecutive tokens, same label: B- then B-
    assert tricky[1].text.endswith("\n") and not tricky[1].spans


@pytest.mark.parametrize("name", list(FULL))
def test_round_trip_tricky(tmp_path, tricky, name):
    module, out = FULL[name]
    result = module.export(tricky, tmp_path / out)
    assert result.articles == 2 and not result.warnings
    back = module.import_(tmp_path / out)
    assert (by_id(back) == by_id(tricky)) if name in ("cie", "brat") else (dicts(back) == dicts(tricky))


@pytest.mark.parametrize("name", ["jsonl", "brat", "labelstudio", "hf"])
def test_round_trip_keeps_span_and_relation_order(tmp_path, tricky, name):
    # JSONL may list spans in any order; formats with a list of their own keep it.
    art = tricky[0]
    art.spans = art.spans[::-1]
    art.relations = art.relations[::-1]
    module, out = FULL[name]
    module.export(tricky, tmp_path / out)
    assert by_id(module.import_(tmp_path / out)) == by_id(tricky)


def test_hf_round_trip_from_parquet_and_dataset_features(tmp_path, tricky):
    import datasets

    hf_datasets.export(tricky, tmp_path / "hf")
    for split in schema.SPLITS:
        assert (tmp_path / "hf" / "parquet" / f"{split}.parquet").is_file()
    assert dicts(hf_datasets.import_(tmp_path / "hf" / "parquet")) == dicts(tricky)
    assert dicts(hf_datasets.import_(tmp_path / "hf" / "parquet" / "train.parquet")) == dicts(tricky[:1])
    dd = datasets.load_from_disk(str(tmp_path / "hf"))
    assert list(dd) == ["train", "dev", "test"] and [len(dd[s]) for s in dd] == [1, 0, 1]
    names = dd["train"].features["ner_tags"].feature.names
    assert names[:3] == ["O", "B-PER", "I-PER"] and len(names) == 1 + 2 * len(schema.SPAN_LABELS)
    row = dd["train"][0]
    tags = [names[i] for i in row["ner_tags"]]
    assert row["tokens"][:4] == ["KYIV", ",", "Jan", "."]
    assert tags[:6] == ["B-GPE", "O", "B-DATE", "I-DATE", "I-DATE", "O"]
    at = row["tokens"].index("Tuesday")
    assert tags[at:at + 2] == ["B-DATE", "B-DATE"]  # two DATE spans side by side stay two
    assert row["relations"][0] == {"head": "s5", "label": "AFFILIATION", "tail": "s4"}


def test_conll_round_trip_keeps_spans_and_drops_relations_with_a_warning(tmp_path, tricky):
    result = conll.export(tricky, tmp_path / "x.conll")
    n = len(tricky[0].relations)
    assert result.warnings == [f"CoNLL BIO holds spans only: {n} relation(s) in 1 article(s) were dropped"]
    back = conll.import_(tmp_path / "x.conll")
    assert all(not a.relations for a in back)
    assert dicts(back) == spans_only(tricky)
    lines = (tmp_path / "x.conll").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART-" and lines[1].startswith("# meta = ") and lines[2].startswith("# text = ")
    led = tricky[0].span_by_id()["s5"]
    assert "KYIV\t0\t4\tB-GPE" in lines and f"-\t{led.start}\t{led.start + 1}\tB-ARMED" in lines
    assert f"led\t{led.start + 1}\t{led.end}\tI-ARMED" in lines


def test_conll_spans_come_back_in_reading_order(tmp_path, tricky):
    tricky[0].spans = tricky[0].spans[::-1]
    conll.export(tricky, tmp_path / "x.conll")
    assert dicts(conll.import_(tmp_path / "x.conll")) == spans_only(tricky)


def test_cie_bytes_to_jsonl_to_cie_identical_via_cli(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    for text in (TRICKY_CIE, PLAIN_CIE):
        (src / f"{parse(text).id}.cie").write_bytes(text.encode("utf-8"))
    assert main(["convert", str(src), "--to", "jsonl", "--out", str(tmp_path / "all.jsonl")]) == 0
    assert main(["convert", str(tmp_path / "all.jsonl"), "--to", "cie", "--out", str(tmp_path / "back")]) == 0
    for f in src.iterdir():
        assert (tmp_path / "back" / f.name).read_bytes() == f.read_bytes()
    capsys.readouterr()


# ---- the real corpus -------------------------------------------------------

def _corpus() -> list[tuple[Path, Article]]:
    """The corpus files that are valid right now (others are being written), one per id and text."""
    out, ids, texts = [], set(), set()
    for f in sorted(CORPUS.glob("*.cie")):
        items, diags = read_file(f)
        if diags or not items or items[0][0].id in ids or items[0][0].text in texts:
            continue
        ids.add(items[0][0].id)
        texts.add(items[0][0].text)
        out.append((f, items[0][0]))
    return out


@pytest.fixture(scope="module")
def corpus() -> list[tuple[Path, Article]]:
    got = _corpus()
    if not got:
        pytest.skip("no valid article in annotations/corpus yet")
    return got


@pytest.mark.parametrize("name", list(FULL) + ["conll"])
def test_corpus_jsonl_to_format_to_jsonl_identical(tmp_path, corpus, name):
    articles = [a for _, a in corpus]
    jsonl_conv.export(articles, tmp_path / "in.jsonl")
    original = jsonl_conv.import_(tmp_path / "in.jsonl")
    module, out = FULL.get(name, (conll, "x.conll"))
    module.export(original, tmp_path / out)
    back = module.import_(tmp_path / out)
    jsonl_conv.export(back, tmp_path / "back.jsonl")
    if name == "conll":
        assert dicts(jsonl_conv.import_(tmp_path / "back.jsonl")) == spans_only(original)
        return
    if name in ("brat", "hf", "cie"):  # a folder of files, or one dataset per split: no order across files
        back.sort(key=lambda a: a.id)
        original.sort(key=lambda a: a.id)
        jsonl_conv.export(back, tmp_path / "back.jsonl")
        jsonl_conv.export(original, tmp_path / "in.jsonl")
    assert (tmp_path / "back.jsonl").read_bytes() == (tmp_path / "in.jsonl").read_bytes()


def test_corpus_cie_bytes_to_jsonl_to_cie_identical(tmp_path, corpus):
    canonical = [(f, a) for f, a in corpus if cie_format.render(a) == f.read_text(encoding="utf-8")]
    assert canonical, "no corpus file is in canonical form (run conflict-ie fmt)"
    jsonl_conv.export([a for _, a in canonical], tmp_path / "c.jsonl")
    cie_conv.export(jsonl_conv.import_(tmp_path / "c.jsonl"), tmp_path / "cie")
    for f, a in canonical:
        assert (tmp_path / "cie" / f"{a.id}.cie").read_bytes() == f.read_bytes(), f


# ---- generated configs ------------------------------------------------------

def test_brat_annotation_conf_follows_the_schema(tmp_path, tricky):
    brat.export(tricky, tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    section = lambda name: conf.split(f"[{name}]")[1].split("\n[")[0]  # noqa: E731
    entities = [l.strip() for l in section("entities").splitlines() if l.strip() and not l.startswith(("!", "#"))]
    assert entities == list(schema.SPAN_LABELS)
    relations = {l.split("\t")[0]: l.split("\t")[1] for l in section("relations").splitlines() if "\t" in l}
    assert list(relations) == list(schema.RELATION_LABELS)
    args = dict(a.split(":") for a in relations["VICTIM"].split(", "))
    assert set(args["Arg1"].split("|")) == {"DEATH", "INJURY", "DISPLACEMENT"}
    assert set(args["Arg2"].split("|")) == {"ARMED", "CIV", "PER"}


def test_labelstudio_config_is_xml_with_every_label(tmp_path, tricky):
    labelstudio.export(tricky, tmp_path)
    root = ET.fromstring((tmp_path / "labeling_config.xml").read_text(encoding="utf-8"))
    assert [e.get("value") for e in root.iter("Label")] == list(schema.SPAN_LABELS)
    assert [e.get("value") for e in root.iter("Relation")] == list(schema.RELATION_LABELS)
    labels = next(root.iter("Labels"))
    text = next(root.iter("Text"))
    assert labels.get("toName") == text.get("name") and text.get("value") == "$text"
    task = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))[0]
    results = task["annotations"][0]["result"]
    assert all(r["from_name"] == labels.get("name") for r in results if r["type"] == "labels")
    assert results[0]["value"] == {"start": 0, "end": 4, "text": "KYIV", "labels": ["GPE"]}
    assert {"from_id": "s5", "to_id": "s4", "type": "relation", "direction": "right",
            "labels": ["AFFILIATION"]} in results
    assert task["data"]["title"].startswith("Kyiv: ") and task["data"]["countries"] == ["Ukraine", "Switzerland"]


# ---- imports of files made elsewhere, and bad ones ----------------------------

def test_labelstudio_import_of_an_app_export(tmp_path):
    text = "Gunmen abducted 12 villagers."
    task = {"id": 7, "data": {"text": text, "id": "ls-1"}, "predictions": [],
            "annotations": [
                {"id": 1, "was_cancelled": True, "result": []},
                {"id": 2, "completed_by": 3, "result": [
                    {"id": "0aB", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": 0, "end": 6, "text": "Gunmen", "labels": ["ARMED"]}},
                    {"id": "Xy_9", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": 7, "end": 15, "text": "abducted", "labels": ["VIOLENCE_AGAINST_CIVILIANS"]}},
                    {"from_id": "0aB", "to_id": "Xy_9", "type": "relation", "direction": "left", "labels": ["ACTOR"]},
                ]}]}
    (tmp_path / "export.json").write_text(json.dumps([task]), encoding="utf-8")
    [art] = labelstudio.import_(tmp_path / "export.json")
    assert art.id == "ls-1" and art.title == ""
    assert [(s.id, s.label, s.text) for s in art.spans] == [("s1", "ARMED", "Gunmen"),
                                                          ("Xy_9", "VIOLENCE_AGAINST_CIVILIANS", "abducted")]
    assert art.relations == [Relation("Xy_9", "ACTOR", "s1")]


@pytest.mark.parametrize("module, files, line, code", [
    (brat, {"a.txt": "Baku said", "a.ann": "T1\tGPE 0 4\tBaku\nT2\tORG 0 x\tBaku\n"}, 2, "bad-brat-line"),
    (brat, {"a.txt": "Baku said", "a.ann": "T1\tGPE 0 4\tBaku\nE1\tBATTLE:T1\n"}, 2, "unsupported-annotation"),
    (brat, {"a.txt": "Baku said", "a.ann": "T1\tGPE 0 4\tBaka\n"}, 1, "text-mismatch"),
    (conll, {"x.conll": '-DOCSTART-\n# text = "Baku said"\n\nBaku\t0\t4\tO\nsaid\t5\t9\tI-DIPLOMACY\n'}, 5, "bad-tag"),
    (conll, {"x.conll": '-DOCSTART-\n# text = "Baku said\n'}, 2, "bad-json"),
    (conll, {"x.conll": '-DOCSTART-\nBaku\t0\t4\tB-GPE\n'}, 1, "missing-text"),
    (labelstudio, {"t.json": json.dumps([{"data": {"text": "x"}, "annotations": [{"result": []}, {"result": []}]}])},
     1, "several-annotations"),
    (labelstudio, {"t.json": "[{"}, 1, "bad-json"),
])
def test_bad_imports_name_file_line_and_code(tmp_path, module, files, line, code):
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    target = tmp_path / next(iter(files)) if module is not brat else tmp_path
    with pytest.raises(ConversionError) as info:
        module.import_(target)
    [d] = info.value.diagnostics
    assert (d.line, d.code) == (line, code) and Path(d.path).parent == tmp_path


def test_conll_export_refuses_spans_bio_cannot_hold(tmp_path, tricky):
    art = tricky[0]
    s1 = art.spans[0]
    art.spans.append(type(s1)("s99", "ORG", s1.start, s1.end + 2, art.text[s1.start:s1.end + 2]))  # overlaps s1
    with pytest.raises(ValueError, match="s99"):
        conll.export(tricky, tmp_path / "x.conll")
    assert not (tmp_path / "x.conll").exists()


# ---- the command ------------------------------------------------------------

def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["convert", *argv])
    c = capsys.readouterr()
    assert "Traceback" not in c.out + c.err
    return rc, c.out, c.err


@pytest.fixture
def src(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    (d / "tricky-001.cie").write_text(TRICKY_CIE, encoding="utf-8")
    (d / "plain-002.cie").write_text(PLAIN_CIE, encoding="utf-8")
    return d


def test_cli_converts_every_way_with_auto_detection(tmp_path, capsys, src):
    outs = {"jsonl": "a.jsonl", "cie": "cie", "brat": "brat", "labelstudio": "ls", "conll": "a.conll", "hf": "hf"}
    reference = dicts(sorted(cie_conv.import_(src), key=lambda a: a.id))
    for fmt, out in outs.items():
        rc, stdout, err = _cli(capsys, str(src), "--to", fmt, "--out", str(tmp_path / out))
        assert rc == 0, err
        assert f"wrote 2 article(s) as {fmt}" in stdout
        assert ("relation(s)" in err and "dropped" in err) == (fmt == "conll")
        back = tmp_path / f"back-{fmt}.jsonl"
        rc, _, err = _cli(capsys, str(tmp_path / out), "--to", "jsonl", "--out", str(back))
        assert rc == 0, err
        got = dicts(sorted(jsonl_conv.import_(back), key=lambda a: a.id))
        assert got == (spans_only([Article.from_dict(d) for d in reference]) if fmt == "conll" else reference)
    rc, _, err = _cli(capsys, str(tmp_path / "hf" / "parquet"), "--from", "hf", "--to", "jsonl", "--out", str(tmp_path / "p.jsonl"))
    assert rc == 0, err


def test_cli_invalid_input_writes_nothing(tmp_path, capsys, src):
    (src / "tricky-001.cie").write_text(TRICKY_CIE.replace("{GPE s7}", "{TOWN s7}"), encoding="utf-8")
    rc, _, err = _cli(capsys, str(src), "--to", "brat", "--out", str(tmp_path / "out"))
    assert rc == 1
    assert f"{src / 'tricky-001.cie'}:11:" in err and "unknown-label" in err and "nothing written" in err
    assert not (tmp_path / "out").exists()


def test_cli_validates_imported_formats(tmp_path, capsys):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "doc1.txt").write_text("Baku said", encoding="utf-8")
    (tmp_path / "b" / "doc1.ann").write_text("T1\tGPE 0 4\tBaku\nR1\tVICTIM Arg1:T1 Arg2:T1\n", encoding="utf-8")
    rc, _, err = _cli(capsys, str(tmp_path / "b"), "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"))
    assert rc == 1
    assert f"{tmp_path / 'b' / 'doc1.ann'}:1:1: missing-metadata" in err
    assert f"{tmp_path / 'b' / 'doc1.ann'}:2:1: self-relation" in err
    assert not (tmp_path / "x.jsonl").exists()


def test_cli_bad_import_is_an_error_not_a_traceback(tmp_path, capsys):
    (tmp_path / "x.conll").write_bytes(b"-DOCSTART-\n\xff\xfe\n")
    rc, _, err = _cli(capsys, str(tmp_path / "x.conll"), "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"))
    assert rc == 1 and "not-utf8" in err


def test_cli_refuses_ambiguous_or_unknown_input(tmp_path, capsys, src):
    brat.export(cie_conv.import_(src), src)  # .cie and .ann side by side
    rc, _, err = _cli(capsys, str(src), "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"))
    assert rc == 1 and "--from" in err and "brat" in err
    rc, _, err = _cli(capsys, str(src), "--from", "brat", "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"))
    assert rc == 0, err
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    rc, _, err = _cli(capsys, str(tmp_path / "notes.txt"), "--to", "jsonl", "--out", str(tmp_path / "y.jsonl"))
    assert rc == 1 and "cannot tell its format" in err
    rc, _, err = _cli(capsys, str(tmp_path / "missing"), "--to", "jsonl", "--out", str(tmp_path / "z.jsonl"))
    assert rc == 1 and f"{tmp_path / 'missing'}:1:1: no-such-file" in err


def test_cli_never_writes_over_its_input_or_an_existing_out(tmp_path, capsys, src):
    before = {f: f.read_bytes() for f in src.iterdir()}
    rc, _, err = _cli(capsys, str(src), "--to", "cie", "--out", str(src))
    assert rc == 1 and "overlaps the input" in err
    rc, _, err = _cli(capsys, str(src), "--to", "cie", "--out", str(src / "inner"))
    assert rc == 1 and "overlaps the input" in err
    assert {f: f.read_bytes() for f in src.iterdir()} == before
    (tmp_path / "x.jsonl").write_text("keep me", encoding="utf-8")
    rc, _, err = _cli(capsys, str(src), "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"))
    assert rc == 1 and "--force" in err and (tmp_path / "x.jsonl").read_text(encoding="utf-8") == "keep me"
    rc, _, err = _cli(capsys, str(src), "--to", "jsonl", "--out", str(tmp_path / "x.jsonl"), "--force")
    assert rc == 0 and len(jsonl_conv.import_(tmp_path / "x.jsonl")) == 2
