"""Extraction: counts, dates, places, event records, and the extractor on hostile input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from conflict_ie.extract.dates import is_historical, resolve_date
from conflict_ie.extract.numbers import parse_count
from conflict_ie.extract.records import build_records

PUB = dt.date(2022, 9, 14)  # a Wednesday


@pytest.mark.parametrize("text,lo,hi,exact,best", [
    ("Fifty", 50, 50, True, 50),
    ("49", 49, 49, True, 49),
    ("two", 2, 2, True, 2),
    ("forty-nine", 49, 49, True, 49),
    ("at least a hundred", 100, None, False, 100),
    ("more than 6,500", 6501, None, False, 6500),
    ("dozens", 12, None, False, 12),
    ("hundreds of thousands", 100_000, None, False, 100_000),
    ("between 30 and 40", 30, 40, False, 30),
    ("nearly 200", None, 199, False, 199),
    ("about 2,000", 2000, 2000, False, 2000),
    ("a dozen", 12, 12, True, 12),
    ("1.2 million", 1_200_000, 1_200_000, True, 1_200_000),
])
def test_parse_count(text, lo, hi, exact, best):
    c = parse_count(text)
    assert (c.min, c.max, c.exact, c.best) == (lo, hi, exact, best)


def test_unparseable_count_is_open():
    c = parse_count("a number of")
    assert c.min is None and c.max is None and c.best is None


@pytest.mark.parametrize("text,iso,precision", [
    ("Tuesday", "2022-09-13", "day"),
    ("Wednesday", "2022-09-14", "day"),
    ("late Tuesday", "2022-09-13", "day"),
    ("last Wednesday", "2022-09-07", "day"),
    ("yesterday", "2022-09-13", "day"),
    ("two days ago", "2022-09-12", "day"),
    ("Sept 14", "2022-09-14", "day"),
    ("14 September 2022", "2022-09-14", "day"),
    ("September 2022", "2022-09", "month"),
    ("March", "2022-03", "month"),
    ("2020", "2020", "year"),
    ("last year", "2021", "year"),
    ("the early 1990s", "1990", "decade"),
    ("last week", "2022-09-05", "week"),
])
def test_resolve_date(text, iso, precision):
    r = resolve_date(text, PUB)
    assert (r.iso, r.precision) == (iso, precision)


def test_dates_without_publication_date():
    assert resolve_date("Tuesday", None) is None
    assert resolve_date("2020", None).iso == "2020"
    assert resolve_date("around then", PUB) is None


def test_historical_is_about_the_whole_period():
    assert is_historical(resolve_date("2020", PUB), PUB)
    assert not is_historical(resolve_date("Tuesday", PUB), PUB)
    assert not is_historical(resolve_date("this year", PUB), PUB)
    assert not is_historical(None, PUB)


def test_geocoding_is_conservative():
    from conflict_ie.extract.geo import country_of_mention, geocode

    assert geocode("Goris").country_code == "AM"
    assert geocode("Armenia").precision == "country"
    assert geocode("Tripoli") is None  # Libya or Lebanon
    assert geocode("Tripoli", frozenset({"LY"})).country_code == "LY"
    assert country_of_mention("Azerbaijani soldiers").country_code == "AZ"
    assert country_of_mention("Russian troops").country_code == "RU"
    assert country_of_mention("gunmen") is None


def test_records_from_gold_keep_claims_apart(fixture_articles):
    recs = build_records(fixture_articles[0])
    battle = next(r for r in recs if r.event_type == "BATTLE" and not r.historical)
    # COREF merged "clashes" and "fighting"; both death claims folded into the battle, side by side.
    assert [t.text for t in battle.triggers] == ["clashes", "fighting"]
    claims = [(c.count.best, [s.text for s in c.sources], [v.text for v in c.victims]) for c in battle.fatalities]
    assert claims == [(50, ["Azerbaijan's Defence Ministry"], ["soldiers"]), (49, ["Armenia"], ["troops"])]
    assert battle.date.iso == "2022-09-13" and battle.date.precision == "day"
    assert battle.locations[0].text == "Goris" and battle.locations[0].country_code == "AM"
    assert battle.actors[0].country_code == "AM"  # "Armenian forces"
    assert battle.acled_event_type == "Battles" and battle.acled_sub_event_type == "Armed clash"
    # No DEATH record stands alone: both have a cause.
    assert not [r for r in recs if r.event_type == "DEATH"]
    war = next(r for r in recs if r.event_type == "BATTLE" and r.historical)
    assert war.date.iso == "2020" and war.fatalities[0].count.min == 6501
    appeal = next(r for r in recs if r.event_type == "DIPLOMACY" and r.triggers[0].text == "called for")
    assert appeal.acled_event_type is None and not appeal.fatalities
    ceasefire = next(r for r in recs if r.event_type == "AGREEMENT")
    assert ceasefire.acled_sub_event_type == "Agreement" and [p.text for p in ceasefire.participants] == ["Russia"]
    text = fixture_articles[0].text
    for r in recs:
        for m in r.triggers:
            assert text[m.start:m.end] == m.text
        for a, b in r.evidence:  # each evidence sentence holds a mention of the event
            assert any(a <= m.start < b for m in r.triggers)
        assert all(any(a <= m.start < b for a, b in r.evidence) for m in r.triggers)


def test_records_protest_arrest_and_subtypes(fixture_articles):
    recs = build_records(fixture_articles[1])
    types = {r.event_type: r for r in recs}
    assert types["PROTEST"].counts[0].best == 1000 and types["PROTEST"].participants[0].text == "protesters"
    assert types["PROTEST"].acled_sub_event_type == "Protest with intervention"  # tear gas, arrests in the sentence
    assert types["ARREST"].counts[0].best == 12 and types["ARREST"].sources[0].text == "witnesses"
    assert types["VIOLENCE_AGAINST_CIVILIANS"].instruments[0].text == "tear gas"
    assert types["PROTEST"].date.iso == "2021-02-28"


def test_standalone_death_without_cause():
    from conflict_ie.annotations.document import Article, Relation, Span

    text = "Two journalists died in Kabul."
    art = Article("x", "t", "2021-08-20", "wire", ["Afghanistan"], "c", "train", "a", text,
                  [Span("s1", "NUM", 0, 3, "Two"), Span("s2", "CIV", 4, 15, "journalists"),
                   Span("s3", "DEATH", 16, 20, "died"), Span("s4", "GPE", 24, 29, "Kabul")],
                  [Relation("s3", "COUNT", "s1"), Relation("s3", "VICTIM", "s2"), Relation("s3", "PLACE", "s4")])
    (rec,) = build_records(art)
    assert rec.event_type == "DEATH" and rec.acled_event_type is None
    assert rec.fatalities[0].count.best == 2 and rec.locations[0].country_code == "AF"


def test_coref_between_differently_dated_mentions_is_not_followed():
    """Predicted COREFs from the 1990s war (and its dead) to the 2020 war (and its dead) would merge two wars."""
    from conflict_ie.annotations.document import Article, Relation, Span

    text = ("They fought a war in 2020 that killed 6,500. An earlier war in the early 1990s left 30,000 dead. "
            "The war in 2020 was short.")
    at = lambda word, nth=0: [i for i in range(len(text)) if text.startswith(word, i)][nth]
    mk = lambda sid, label, word, nth=0: Span(sid, label, at(word, nth), at(word, nth) + len(word), word)
    spans = [mk("s1", "BATTLE", "war"), mk("s2", "DATE", "2020"), mk("s3", "DEATH", "killed"),
             mk("s4", "NUM", "6,500"), mk("s5", "BATTLE", "war", 1), mk("s6", "DATE", "the early 1990s"),
             mk("s7", "NUM", "30,000"), mk("s8", "DEATH", "dead"), mk("s9", "BATTLE", "war", 2),
             mk("s10", "DATE", "2020", 1)]
    rels = [Relation("s1", "TIME", "s2"), Relation("s3", "CAUSE", "s1"), Relation("s3", "COUNT", "s4"),
            Relation("s5", "TIME", "s6"), Relation("s8", "CAUSE", "s5"), Relation("s8", "COUNT", "s7"),
            Relation("s9", "TIME", "s10"), Relation("s5", "COREF", "s1"), Relation("s8", "COREF", "s3"),
            Relation("s9", "COREF", "s1")]
    art = Article("x", "t", "2022-09-14", "wire", ["Armenia"], "c", "train", "a", text, sorted(spans, key=lambda s: s.start), rels)
    recs = build_records(art)
    by_date = {r.date.iso: r for r in recs}
    assert set(by_date) == {"2020", "1990"} and all(r.historical for r in recs)
    assert len(by_date["2020"].triggers) == 2  # the two 2020 mentions stay one event
    assert [c.count.best for c in by_date["2020"].fatalities] == [6500]
    assert [c.count.best for c in by_date["1990"].fatalities] == [30000]


# The extractor on a tiny random model: behaviour on input, not accuracy.

@pytest.fixture
def extractor(tiny_model):
    from conflict_ie import ConflictExtractor

    return ConflictExtractor(tiny_model, device="cpu", batch_size=2)


def test_extract_offsets_always_index_the_input(extractor, fixture_articles):
    text = fixture_articles[0].text
    doc = extractor.extract(text, published="2022-09-14", title="t", id="a1")
    assert doc.text_length == len(text) and doc.id == "a1"
    for s in doc.spans:
        assert text[s.start:s.end] == s.text
    for ev in doc.events:
        for m in ev.triggers:
            assert text[m.start:m.end] == m.text


def test_long_article_is_not_truncated(extractor, tokenizer):
    # ~60,000 chars: many windows and two segments; the last sentence still gets tagged.
    body = "Shelling hit the town of Goris on Tuesday and residents fled. " * 1000
    extractor.max_segment_chars = 30_000
    doc = extractor.extract(body + "Gunmen killed 12 villagers in Kharkiv.", published="2022-09-14")
    assert doc.text_length == len(body) + len("Gunmen killed 12 villagers in Kharkiv.")
    text = body + "Gunmen killed 12 villagers in Kharkiv."
    for s in doc.spans:
        assert text[s.start:s.end] == s.text
    starts = [s.start for s in doc.spans]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_bad_inputs_never_kill_a_batch(extractor):
    inputs = [
        "",
        "   \n\t ",
        b"\x00\x01\x02binary",
        b"\xff\xfe not utf-8",
        "<html><head><script>var x = '<b>';</script></head><body><p>Police arrested 30 protesters.</p></body></html>",
        "Полиция задержала тридцать протестующих в Москве.",
        "Emoji 🚀 and zero\u200bwidth and \u202eRTL marks in a report of clashes.",
        {"text": "ok", "published": "not-a-date"},
        {"title": "no text"},
        12345,
    ]
    out = list(extractor.extract_many(inputs, batch_size=3))
    assert len(out) == len(inputs)
    assert out[0].error is None and "empty text" in out[0].warnings and not out[0].events
    assert out[1].error is None and not out[1].spans
    assert "binary" in out[2].error and "UTF-8" in out[3].error
    assert out[4].error is None and any("HTML" in w for w in out[4].warnings)
    html = inputs[4]
    assert all("<" not in html[s.start:s.end] for s in out[4].spans)
    assert out[5].error is None and any("English" in w for w in out[5].warnings)
    assert out[6].error is None
    assert out[7].error and out[8].error and out[9].error
    with pytest.raises(ValueError):
        extractor.extract(b"\x00\x00")


def test_results_publish_a_json_schema(extractor):
    from conflict_ie.extract.types import DocumentResult

    schema = DocumentResult.model_json_schema()
    assert "EventRecord" in schema["$defs"] and "CasualtyClaim" in schema["$defs"]
    doc = extractor.extract("Clashes erupted in Goris on Tuesday.", published="2022-09-14")
    assert DocumentResult.model_validate_json(doc.model_dump_json()) == doc


def test_extract_cli_formats(tmp_path, tiny_model, capsys):
    from conflict_ie.cli import main

    tiny_model.save_pretrained(tmp_path / "m")
    (tmp_path / "a.txt").write_text("Gunmen killed 12 villagers in Goris on Tuesday, police said.")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": "Protesters marched in Yangon.", "published": "2021-03-01"}) + "\nnot json\n")
    assert main(["extract", str(tmp_path / "a.txt"), "--model", str(tmp_path / "m"), "--published", "2022-09-14"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["id"] == "a" and doc["published"] == "2022-09-14"
    assert main(["extract", str(tmp_path / "b.jsonl"), "--model", str(tmp_path / "m"), "--format", "jsonl",
                 "--no-progress"]) == 0
    cap = capsys.readouterr()
    lines = [json.loads(x) for x in cap.out.splitlines()]
    assert [x["id"] for x in lines][0] == "b1" and lines[1]["error"].endswith("not valid JSON: Expecting value")
    assert "1 article(s) could not be processed" in cap.err
    out_csv = tmp_path / "e.csv"
    assert main(["extract", str(tmp_path / "a.txt"), "--model", str(tmp_path / "m"), "--format", "csv",
                 "--output", str(out_csv)]) == 0
    header = next(csv.reader(io.StringIO(out_csv.read_text())))
    assert header[:6] == ["article_id", "event_id", "event_date", "time_precision", "event_type", "sub_event_type"]
    assert main(["extract", str(tmp_path / "a.txt"), "--model", str(tmp_path / "nope")]) == 2


def test_csv_row_keeps_every_claim(fixture_articles):
    from conflict_ie.extract.csv_rows import event_row
    from conflict_ie.extract.types import DocumentResult

    recs = build_records(fixture_articles[0])
    battle = next(r for r in recs if r.event_type == "BATTLE" and not r.historical)
    row = event_row(DocumentResult(id="a", text_length=1, events=[battle]), battle)
    assert row["fatalities"] == 49  # ACLED's conservative figure
    assert "50 soldiers (Azerbaijan's Defence Ministry)" in row["fatality_claims"]
    assert "49 troops (Armenia)" in row["fatality_claims"]
    assert row["event_date"] == "2022-09-13" and row["iso"] == "AM"


def test_alias_only_city_needs_context():
    from conflict_ie.extract.geo import geocode

    # "Jermuk" (Armenia) is not in the gazetteer, but is an alias of a Turkish town.
    assert geocode("Jermuk") is None
    assert geocode("Jermuk", frozenset({"AM", "AZ"})) is None
