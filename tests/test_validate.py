"""conflict-ie validate on corrupted files: each error named with file, line, column and code."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conflict_ie.cli import main

META = """id: t-001
title: Soldiers killed in border fighting
published: 2022-09-14
source_style: wire
countries: Armenia; Azerbaijan
conflict: Armenia-Azerbaijan
split: train
annotator: a1"""
TEXT = ("[Azerbaijan's Defence Ministry]{ORG s1} said [50]{NUM s2} [soldiers]{ARMED s3} were [killed]{DEATH s4} "
        "and [12]{NUM s5} [wounded]{INJURY s6} in [Kalbajar]{GPE s7}.")
RELATIONS = ["s4 SOURCE s1", "s4 COUNT s2", "s4 VICTIM s3", "s4 PLACE s7", "s6 COUNT s5"]
TEXT_LINE = 10          # 8 metadata lines, then "=== text"
FIRST_RELATION_LINE = 12


def cie(meta: str = META, text: str = TEXT, relations: list[str] = RELATIONS) -> str:
    return "\n".join([meta, "=== text", text, "=== relations", *relations]) + "\n"


def jsonl_record(spans: list[tuple[str, str, int, int]], text: str = "Azerbaijani soldiers shelled Lachin",
                 **meta) -> str:
    d = {"id": "j-001", "title": "t", "published": "2022-09-14", "source_style": "wire",
         "countries": ["Azerbaijan"], "conflict": "Armenia-Azerbaijan", "split": "train", "annotator": "a1",
         "notes": "", "text": text,
         "spans": [{"id": i, "label": lab, "start": s, "end": e, "text": text[s:e]} for i, lab, s, e in spans],
         "relations": []}
    d.update(meta)
    return json.dumps(d, ensure_ascii=False)


def validate(capsys, *paths: Path) -> tuple[int, str]:
    rc = main(["validate", *map(str, paths)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Traceback" not in out
    return rc, out


def assert_reported(out: str, path: Path, line: int, col: int, code: str, *words: str) -> None:
    prefix = f"{path}:{line}:{col}: {code}:"
    hits = [l for l in out.splitlines() if l.startswith(prefix)]
    assert hits, f"no {prefix!r} in:\n{out}"
    for w in words:
        assert any(w in h for h in hits), f"{w!r} not in {hits}"


def col_of(needle: str, line: str = TEXT) -> int:
    return line.index(needle) + 1


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_valid_file_passes(tmp_path, capsys):
    p = write(tmp_path, "t-001.cie", cie())
    rc, out = validate(capsys, p)
    assert rc == 0, out
    assert "ok: 1 article(s), 7 spans, 5 relations" in out


def test_unknown_label(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(text=TEXT.replace("{GPE s7}", "{TOWN s7}")))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[Kalbajar"), "unknown-label", "'TOWN'")


@pytest.mark.parametrize("spans, code", [
    ([("a", "ARMED", 0, 20), ("b", "GPE", 12, 28)], "overlapping-spans"),   # "Azerbaijani soldiers" x "soldiers shelled"
    ([("a", "ARMED", 0, 20), ("b", "GPE", 0, 11)], "nested-span"),          # "Azerbaijani" inside "Azerbaijani soldiers"
])
def test_overlapping_and_nested_spans_in_jsonl(tmp_path, capsys, spans, code):
    p = write(tmp_path, "t.jsonl", jsonl_record(spans) + "\n")
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 1, 1, code, "'b'")


def test_nested_span_in_cie(tmp_path, capsys):
    text = TEXT.replace("[Azerbaijan's Defence Ministry]{ORG s1}", "[[Azerbaijan]{GPE s9}'s Defence Ministry]{ORG s1}")
    p = write(tmp_path, "t.cie", cie(text=text))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, 2, "nested-span")


def test_outer_whitespace(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(text=TEXT.replace("[soldiers]", "[soldiers ]")))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[soldiers"), "outer-whitespace", "'s3'")


def test_span_that_cuts_a_word(tmp_path, capsys):
    text = TEXT.replace("[Kalbajar]", "Kal[bajar]")
    p = write(tmp_path, "t.cie", cie(text=text))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[bajar", text), "cuts-word", "'Kalbajar'")


def test_span_that_cuts_a_word_at_an_underscore(tmp_path, capsys):
    # "_" joins words for the tokenizer, so a span ending before it could not be said in BIO.
    p = write(tmp_path, "t.cie", cie(text=TEXT.replace("[Kalbajar]{GPE s7}", "[Kalbajar]{GPE s7}_district")))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[Kalbajar"), "cuts-word")


@pytest.mark.parametrize("relation, words", [
    ("s4 VICTIM s7", ["GPE", "VICTIM"]),        # tail: a place cannot be a victim
    ("s1 COUNT s2", ["ORG", "COUNT"]),          # head: an organisation has no count
])
def test_relation_labels_not_in_its_row(tmp_path, capsys, relation, words):
    p = write(tmp_path, "t.cie", cie(relations=RELATIONS + [relation]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, FIRST_RELATION_LINE + len(RELATIONS), 1, "relation-labels", *words)


def test_coref_across_labels(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(relations=RELATIONS + ["s6 COREF s4"]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, FIRST_RELATION_LINE + len(RELATIONS), 1, "coref-across-labels", "INJURY", "DEATH")


def test_dangling_ids(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(relations=["s4 SOURCE s99", "s42 COUNT s2"]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, FIRST_RELATION_LINE, 1, "dangling-id", "tail 's99'")
    assert_reported(out, p, FIRST_RELATION_LINE + 1, 1, "dangling-id", "head 's42'")


def test_duplicate_span_ids(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(text=TEXT.replace("{GPE s7}", "{GPE s3}"), relations=[]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[Kalbajar"), "duplicate-span-id", "'s3'")


def test_duplicate_article_id_in_two_files(tmp_path, capsys):
    a = write(tmp_path, "a.cie", cie())
    b = write(tmp_path, "b.cie", cie(text=TEXT.replace("Kalbajar", "Lachin")))
    rc, out = validate(capsys, tmp_path)
    assert rc == 1
    assert_reported(out, b, 1, 1, "duplicate-article", "'t-001'", str(a))


def test_duplicate_article_same_text(tmp_path, capsys):
    a = write(tmp_path, "a.cie", cie())
    b = write(tmp_path, "b.cie", cie(meta=META.replace("id: t-001", "id: t-002")))
    rc, out = validate(capsys, a, b)
    assert rc == 1
    assert_reported(out, b, 1, 1, "duplicate-article", "same text", "'t-001'")


def test_missing_metadata(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(meta=META.replace("title: Soldiers killed in border fighting\n", "")))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 1, 1, "missing-metadata", "'title'")


def test_empty_metadata_value(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(meta=META.replace("annotator: a1", "annotator:")))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 8, 1, "missing-metadata", "'annotator'")


@pytest.mark.parametrize("date", ["2022-13-45", "14/09/2022", "2022-9-14"])
def test_bad_date(tmp_path, capsys, date):
    p = write(tmp_path, "t.cie", cie(meta=META.replace("2022-09-14", date)))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 3, 1, "bad-date", repr(date))


def test_unknown_metadata_key(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(meta=META + "\nsource: Reuters"))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 9, 1, "unknown-metadata", "'source'")


def test_binary_file(tmp_path, capsys):
    p = write(tmp_path, "t.cie", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 1, 1, "binary-file")


def test_invalid_utf8(tmp_path, capsys):
    raw = cie().encode("utf-8").replace(b"Kalbajar", b"Kalb\xe4jar")  # Latin-1, not UTF-8
    p = write(tmp_path, "t.cie", raw)
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, 1, "not-utf8")


def test_invalid_json_line(tmp_path, capsys):
    broken = '{"id": "j-002", "title": '
    p = write(tmp_path, "t.jsonl", jsonl_record([]) + "\n" + broken + "\n")
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 2, len(broken) + 1, "bad-json")  # the value that never comes


def test_unclosed_bracket(tmp_path, capsys):
    p = write(tmp_path, "t.cie", cie(text=TEXT.replace("[Kalbajar]{GPE s7}", "[Kalbajar"), relations=RELATIONS[:3]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, TEXT_LINE, col_of("[Kalbajar"), "unclosed-span")


def test_several_errors_in_one_file_are_all_reported(tmp_path, capsys):
    text = TEXT.replace("{GPE s7}", "{TOWN s7}").replace("[soldiers]", "[soldiers ]")
    p = write(tmp_path, "t.cie", cie(meta=META.replace("2022-09-14", "yesterday"), text=text,
                                     relations=RELATIONS + ["s4 SOURCE s99"]))
    rc, out = validate(capsys, p)
    assert rc == 1
    assert_reported(out, p, 3, 1, "bad-date")
    assert_reported(out, p, TEXT_LINE, col_of("[Kalbajar", text), "unknown-label")
    assert_reported(out, p, TEXT_LINE, col_of("[soldiers", text), "outer-whitespace")
    assert_reported(out, p, FIRST_RELATION_LINE + len(RELATIONS), 1, "dangling-id")
    assert "error(s) in 1 file(s)" in out


def test_errors_in_several_files_are_all_reported(tmp_path, capsys):
    good = write(tmp_path, "good.cie", cie())
    bad_json = write(tmp_path, "bad.jsonl", "{oops\n")
    binary = write(tmp_path, "bin.cie", b"\x00\x01")
    rc, out = validate(capsys, tmp_path)
    assert rc == 1
    assert_reported(out, bad_json, 1, 2, "bad-json")
    assert_reported(out, binary, 1, 1, "binary-file")
    assert str(good) not in out


def test_validate_never_modifies_its_input(tmp_path, capsys):
    files = [write(tmp_path, "ok.cie", cie()),
             write(tmp_path, "bad.cie", cie(text=TEXT.replace("[soldiers]", "[soldiers ]"))),
             write(tmp_path, "bad.jsonl", jsonl_record([("a", "ARMED", 0, 20), ("b", "GPE", 12, 28)]) + "\n"),
             write(tmp_path, "crlf.cie", cie().replace("\n", "\r\n").encode("utf-8"))]
    before = {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns) for f in files}
    listing = sorted(tmp_path.iterdir())
    validate(capsys, tmp_path)
    assert {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns) for f in files} == before
    assert sorted(tmp_path.iterdir()) == listing


def test_parallel_annotation_by_another_annotator_is_not_a_duplicate(tmp_path):
    """Double annotation: same id and text, different annotator, is allowed; a changed text is not."""
    from conflict_ie.annotations.corpus import load_with_diagnostics

    src = (
        "id: par-1\ntitle: t\npublished: 2022-09-14\nsource_style: wire\ncountries: Armenia\n"
        "conflict: Armenia-Azerbaijan\nsplit: train\nannotator: a1\n=== text\n"
        "[Shelling]{REMOTE_VIOLENCE s1} hit [Goris]{GPE s2}.\n=== relations\ns1 PLACE s2\n"
    )
    (tmp_path / "a.cie").write_text(src)
    (tmp_path / "b.cie").write_text(src.replace("annotator: a1", "annotator: r1").replace("{GPE s2}", "{LOC s2}"))
    _, diags = load_with_diagnostics([tmp_path])
    assert diags == []
    (tmp_path / "c.cie").write_text(src.replace("annotator: a1", "annotator: r2").replace("hit", "struck"))
    _, diags = load_with_diagnostics([tmp_path])
    assert [d.code for d in diags] == ["parallel-text-differs"]
    (tmp_path / "c.cie").write_text(src)  # same annotator twice: a real duplicate
    _, diags = load_with_diagnostics([tmp_path])
    assert [d.code for d in diags] == ["duplicate-article"]
