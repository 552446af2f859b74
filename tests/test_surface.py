"""Casing classes and sentence indices, and the model features built on them."""

from __future__ import annotations

import pytest
import torch

from conflict_ie.model import surface
from conflict_ie.model.windows import TokenizedDoc, tokenize_document


def shapes_by_word(tokenizer, text):
    doc = tokenize_document(tokenizer, text)
    return {text[a:b]: (sh, se) for (a, b), sh, se in zip(doc.offsets, doc.shapes, doc.sentences)}


def test_casing_classes_follow_the_whole_word(tokenizer):
    got = shapes_by_word(tokenizer, "Troops entered Bangui and NATO, iPhone 19 ; x")
    start = surface.LOWER + 6  # offset of the sentence-initial classes
    assert got["Troops"][0] == surface.TITLE + 6
    assert got["entered"][0] == surface.LOWER
    assert got["NATO"][0] == surface.UPPER
    assert got["iPhone"][0] == surface.MIXED
    assert got["19"][0] == surface.DIGIT
    assert got[";"][0] == got[","][0] == surface.OTHER
    assert start == 7
    # subword pieces of a capitalised word all carry the word's class, not their own lower case
    doc = tokenize_document(tokenizer, "Pashinian spoke")
    pieces = [sh for (a, b), sh in zip(doc.offsets, doc.shapes) if b <= len("Pashinian")]
    assert len(pieces) > 1 and set(pieces) == {surface.TITLE + 6}


def test_sentences_split_on_stops_and_lines_not_on_abbreviations(tokenizer):
    text = 'Mr. Aliyev met the U.S. envoy on Sept. 13. "It ended." Then talks\nresumed in Baku'
    got = shapes_by_word(tokenizer, text)
    assert got["envoy"][1] == got["Mr"][1] == 0
    assert got["Ali"][0] == surface.TITLE  # after "Mr." a capital is a name, not a sentence start
    assert got["It"][1] == 1 and got["Then"][1] == 2 and got["resumed"][1] == 3
    assert got["resumed"][0] == surface.LOWER + 6


def test_hand_built_documents_get_neutral_features():
    doc = TokenizedDoc([5, 6, 7], [(0, 1), (2, 3), (4, 5)])
    assert doc.shapes == [surface.PAD_SHAPE] * 3 and doc.sentences == [0, 0, 0]


def test_casing_reaches_the_encoder_only_when_switched_on(tokenizer):
    from tests.conftest import make_tiny_model

    def hidden(model, text):
        doc = tokenize_document(tokenizer, text)
        wb = model.window_batch([doc])
        model.eval()
        with torch.no_grad():
            return model.encode(wb.input_ids, wb.attention_mask, wb.gather_window, wb.gather_position, wb.shape_ids)

    plain = make_tiny_model(tokenizer)
    # The tokenizer is uncased: without the casing embedding the two texts are indistinguishable.
    assert torch.equal(hidden(plain, "Fighting in Bangui"), hidden(plain, "fighting in bangui"))
    cased = make_tiny_model(tokenizer, casing_features=True)
    assert torch.equal(hidden(cased, "Fighting in Bangui"), hidden(cased, "fighting in bangui"))  # starts at zero
    with torch.no_grad():
        cased.casing.weight.normal_()
    assert not torch.allclose(hidden(cased, "Fighting in Bangui"), hidden(cased, "fighting in bangui"))


def test_sentence_distance_changes_relation_scores_and_is_required(tokenizer):
    from tests.conftest import make_tiny_model

    model = make_tiny_model(tokenizer, sentence_dim=4)
    model.eval()
    with torch.no_grad():
        model.relation.sent_emb.weight.normal_()
    hidden = torch.randn(10, model.encoder.config.hidden_size)
    ranges = torch.tensor([[0, 0], [5, 5]])
    labels = torch.tensor([model.config.labels.label2id["BATTLE"], model.config.labels.label2id["GPE"]])
    pairs = torch.tensor([[0, 1]])
    same = model.relation(hidden, ranges, labels, pairs, model.pair_mask, torch.tensor([0, 0]))
    other = model.relation(hidden, ranges, labels, pairs, model.pair_mask, torch.tensor([0, 2]))
    assert not torch.allclose(same, other)
    with pytest.raises(ValueError, match="sentence"):
        model.relation(hidden, ranges, labels, pairs, model.pair_mask)


def test_folders_saved_without_surface_features_load_unchanged(tmp_path, tokenizer):
    """A config.json from before the features existed has none of their keys: they stay off."""
    import json

    from conflict_ie.model.joint import ConflictJointModel
    from tests.conftest import make_tiny_model

    old = make_tiny_model(tokenizer)
    old.save_pretrained(tmp_path / "m")
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    for key in ("casing_features", "sentence_dim", "pair_product"):
        cfg.pop(key)
    (tmp_path / "m" / "config.json").write_text(json.dumps(cfg))
    loaded = ConflictJointModel.from_pretrained(str(tmp_path / "m"))
    assert loaded.casing is None and loaded.relation.sent_emb is None and loaded.relation.product is None
