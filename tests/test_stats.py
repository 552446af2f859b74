"""Corpus statistics and the corpus targets, on hand-made articles with known counts."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conflict_ie import schema
from conflict_ie.annotations import cie_format
from conflict_ie.annotations.document import Article, Relation, Span
from conflict_ie.annotations.stats import TARGETS, CorpusTargets, check_minimums, compute
from conflict_ie.cli import main


def art(id: str, words: int, conflict: str, countries: list[str], split: str = "train",
        labels: tuple[str, ...] = (), relations: tuple[str, ...] = ()) -> Article:
    """An article of exactly ``words`` words; the first words carry ``labels``, the first span heads ``relations``."""
    tokens = [f"{id}w{i}" for i in range(words)]
    text = " ".join(tokens)
    spans, pos = [], 0
    for i, tok in enumerate(tokens):
        if i < len(labels):
            spans.append(Span(f"s{i + 1}", labels[i], pos, pos + len(tok), tok))
        pos += len(tok) + 1
    rels = [Relation("s1", label, f"s{i + 2}") for i, label in enumerate(relations)]
    return Article(id=id, title=id, published="2023-01-01", source_style="wire", countries=countries,
                   conflict=conflict, split=split, annotator="a1", text=text, spans=spans, relations=rels)


@pytest.fixture
def corpus() -> list[Article]:
    return [
        art("a1", 100, "War X", ["Alpha", "Beta"], labels=("BATTLE", "GPE", "GPE"), relations=("PLACE",)),
        art("a2", 200, "War X", ["Alpha"], split="dev", labels=("RIOT",)),
        art("a3", 600, "War Y", ["Gamma"], split="test", labels=("DEATH", "NUM"), relations=("COUNT",)),
        art("a4", 300, "War Z", ["Beta"], labels=("GPE",)),
    ]


def test_counts_lengths_and_groups(corpus):
    s = compute(corpus)
    assert (s.articles, s.words) == (4, 1200)
    assert dataclasses.astuple(s.lengths) == (100, 300.0, 250.0, 600)
    assert s.span_labels["GPE"] == 3 and s.span_labels["BATTLE"] == 1 and s.span_labels["WEAPON"] == 0
    assert list(s.span_labels)[:len(schema.SPAN_LABELS)] == list(schema.SPAN_LABELS)
    assert s.relation_labels["PLACE"] == 1 and s.relation_labels["COUNT"] == 1 and s.relation_labels["COREF"] == 0
    assert {k: (v.articles, v.words, v.spans, v.relations) for k, v in s.splits.items()} == {
        "train": (2, 400, 4, 1), "dev": (1, 200, 1, 0), "test": (1, 600, 2, 1)}
    # An article about two countries counts for both.
    assert {k: (v.articles, v.words) for k, v in s.countries.items()} == {
        "Alpha": (2, 300), "Beta": (2, 400), "Gamma": (1, 600)}
    assert {k: (v.articles, v.words) for k, v in s.conflicts.items()} == {
        "War X": (2, 300), "War Y": (1, 600), "War Z": (1, 300)}
    assert (s.largest_conflict, s.largest_conflict_share) == ("War X", 0.5)
    assert s.test_conflicts_in_train_dev == ()
    assert s.article_words == {"a1": 100, "a2": 200, "a3": 600, "a4": 300}


def test_word_count_is_whitespace_words():
    a = art("x", 3, "W", ["C"])
    a.text = "One, two\n\nthree-four  five"
    assert compute([a]).words == 4


def test_empty_corpus():
    s = compute([])
    assert (s.articles, s.words, s.lengths, s.largest_conflict, s.largest_conflict_share) == (0, 0, None, None, 0.0)


def test_targets_live_in_one_typed_place():
    assert isinstance(TARGETS, CorpusTargets)
    assert (TARGETS.min_articles, TARGETS.min_words, TARGETS.min_countries, TARGETS.min_conflicts) == (400, 150_000, 35, 25)
    assert (TARGETS.min_article_words, TARGETS.max_article_words, TARGETS.max_conflict_share) == (120, 1_200, 0.08)
    assert (TARGETS.min_test_articles, TARGETS.min_dev_articles, TARGETS.min_relation_mentions) == (60, 40, 150)
    assert {label: TARGETS.min_mentions(label) for label in ("RIOT", "TERRITORY_CHANGE", "DISPLACEMENT", "BATTLE", "DEATH", "PER")} == {
        "RIOT": 150, "TERRITORY_CHANGE": 150, "DISPLACEMENT": 150, "BATTLE": 200, "DEATH": 200, "PER": 300}
    with pytest.raises(dataclasses.FrozenInstanceError):
        TARGETS.min_articles = 1  # type: ignore[misc]


def test_small_corpus_misses_each_target(corpus):
    corpus.append(art("a5", 40, "War Y", ["Gamma"], labels=("GPE",)))  # too short; leaks War Y into train
    corpus.append(art("a6", 1300, "War Z", ["Beta"]))                   # too long
    unmet = {(u.target, u.required): u.actual for u in check_minimums(compute(corpus))}
    assert unmet[("articles", ">= 400")] == "6"
    assert unmet[("words", ">= 150,000")] == "2,540"
    assert unmet[("article length", ">= 120 words each")] == "2 shorter: a1, a5"
    assert unmet[("article length", "<= 1,200 words each")] == "1 longer: a6"
    assert unmet[("countries", ">= 35")] == "3" and unmet[("conflicts", ">= 25")] == "3"
    assert unmet[("largest conflict", "<= 8% of articles")] == "War X in 33.3%"
    assert unmet[("trigger RIOT", ">= 150 mentions")] == "1"
    assert unmet[("trigger BATTLE", ">= 200 mentions")] == "1"
    assert unmet[("entity GPE", ">= 300 mentions")] == "4"
    assert unmet[("relation AFFILIATION", ">= 150")] == "0"
    assert unmet[("test split", ">= 60 articles")] == "1"
    assert unmet[("test split", "conflicts absent from train and dev")] == "also in train/dev: War Y"
    assert unmet[("dev split", ">= 40 articles")] == "1"
    # 7 corpus-wide targets, every label below its minimum, 3 split targets.
    assert len(unmet) == 7 + len(schema.SPAN_LABELS) + len(schema.RELATION_LABELS) + 3


def test_mention_thresholds_per_label(corpus):
    s = compute(corpus)
    counts = {label: 10_000 for label in s.span_labels}
    counts |= {"RIOT": 150, "DISPLACEMENT": 149, "BATTLE": 199, "DEATH": 200, "PER": 299}
    s = dataclasses.replace(s, span_labels=counts)
    missed = {u.target for u in check_minimums(s) if u.target.startswith(("trigger", "entity"))}
    assert missed == {"trigger DISPLACEMENT", "trigger BATTLE", "entity PER"}


def test_a_corpus_meeting_lowered_targets_passes(corpus):
    low = CorpusTargets(min_articles=4, min_words=1200, min_article_words=100, max_article_words=600,
                        min_countries=3, min_conflicts=3, max_conflict_share=0.5, min_trigger_mentions=0,
                        trigger_mention_exceptions={}, min_entity_mentions=0, min_relation_mentions=0,
                        min_test_articles=1, min_dev_articles=1)
    assert check_minimums(compute(corpus), low) == []
    assert [u.target for u in check_minimums(compute(corpus), dataclasses.replace(low, max_conflict_share=0.49))] == ["largest conflict"]


def _write(tmp_path, articles):
    for a in articles:
        (tmp_path / f"{a.id}.cie").write_text(cie_format.render(a), encoding="utf-8")


def test_cli_tables_json_markdown_and_minimums(tmp_path, capsys, corpus):
    _write(tmp_path, corpus)
    assert main(["stats", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "articles" in out and "War X" in out and "largest conflict: War X (50.0% of articles)" in out
    assert main(["stats", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stats"]["words"] == 1200 and data["stats"]["conflicts"]["War X"] == {"articles": 2, "words": 300}
    assert "unmet_targets" not in data
    assert main(["stats", str(tmp_path), "--markdown"]) == 0
    assert "| split | articles | words | spans | relations | conflicts |" in capsys.readouterr().out
    assert main(["stats", str(tmp_path), "--check-minimums"]) == 1
    c = capsys.readouterr()
    assert "Corpus targets" in c.out and ">= 400" in c.out and "entity WEAPON" in c.out
    assert "corpus target(s) not met" in c.err
    assert main(["stats", str(tmp_path), "--json", "--check-minimums"]) == 1
    unmet = json.loads(capsys.readouterr().out)["unmet_targets"]
    assert {"target": "articles", "required": ">= 400", "actual": "4"} in unmet


def test_cli_refuses_invalid_input(tmp_path, capsys, corpus):
    corpus[0].spans[0] = dataclasses.replace(corpus[0].spans[0], label="BOGUS")
    _write(tmp_path, corpus)
    assert main(["stats", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unknown-label" in err and "a1.cie" in err
