"""The joint model: windows, decoding, save/load in Hub layout, offline Hub cache."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from conflict_ie.annotations.document import Span
from conflict_ie.model.decode import snap_to_words, tags_to_spans, viterbi
from conflict_ie.model.labels import LabelSpace
from conflict_ie.model.windows import char_span_to_tokens, plan_windows, tokenize_document
from conflict_ie.train.features import collate, featurize


@pytest.mark.parametrize("n", [0, 1, 30, 31, 100, 1000])
def test_windows_cover_every_token_once(n):
    windows, owner = plan_windows(n, max_length=32, stride=8)
    assert len(owner) == n
    covered = set()
    for s, e in windows:
        assert e - s <= 30
        covered.update(range(s, e))
    assert covered == set(range(n))
    for t, w in enumerate(owner):
        assert windows[w][0] <= t < windows[w][1]
    # Owners never go backwards, and owned tokens sit away from the edges of overlapped windows.
    assert owner == sorted(owner)


def test_bad_window_settings_are_refused():
    with pytest.raises(ValueError):
        plan_windows(10, max_length=10, stride=8)


def test_viterbi_never_emits_i_after_o():
    labels = LabelSpace.from_schema()
    tags = labels.tags
    k = len(tags)
    logp = np.full((3, k), -10.0)
    # Greedy argmax would give O, I-GPE, I-GPE: invalid under IOB2.
    logp[0, tags.index("O")] = 0.0
    logp[1, tags.index("I-GPE")] = 0.0
    logp[1, tags.index("B-GPE")] = -1.0
    logp[2, tags.index("I-GPE")] = 0.0
    path = [tags[i] for i in viterbi(logp, labels.transition_mask().numpy(), labels.start_mask().numpy())]
    assert path == ["O", "B-GPE", "I-GPE"]


def test_snap_to_words_never_cuts_a_word():
    text = "Azerbaijani soldiers"
    assert snap_to_words(text, 2, 8) == (0, 11)
    assert snap_to_words(text, 11, 20) == (12, 20)


def test_tags_to_spans_gives_document_offsets(tokenizer):
    text = "Fighting in Goris killed 49 soldiers."
    doc = tokenize_document(tokenizer, text)
    labels = LabelSpace.from_schema()
    tag_ids = [labels.tag2id["O"]] * len(doc)
    rng = char_span_to_tokens(doc.offsets, 12, 17)
    tag_ids[rng[0]] = labels.tag2id["B-GPE"]
    probs = np.full((len(doc), len(labels.tags)), 0.01)
    spans = tags_to_spans(text, np.array(tag_ids), probs, labels.tags, doc.offsets)
    assert [(text[s.start:s.end], s.label) for s in spans] == [("Goris", "GPE")]


def test_features_align_gold_spans_with_tokens(tokenizer, fixture_articles, tiny_model):
    art = fixture_articles[0]
    f = featurize(art, tokenizer, tiny_model.config.labels, 160, tiny_model.pair_mask)
    tags = [tiny_model.tags[i] for i in f.tag_ids.tolist()]
    assert sum(t.startswith("B-") for t in tags) == len(art.spans)
    # Every gold relation is a candidate pair with its label set.
    assert int(f.pair_targets.sum()) == len(art.relations)
    assert f.unreachable_relations == 0


def test_forward_backward_and_predict_offsets(tokenizer, fixture_articles, tiny_model):
    feats = [featurize(a, tokenizer, tiny_model.config.labels, 160, tiny_model.pair_mask) for a in fixture_articles]
    out = tiny_model(**collate(feats, tiny_model))
    out["loss"].backward()
    assert torch.isfinite(out["loss"])
    assert tiny_model.tagger.weight.grad is not None
    tiny_model.eval()
    texts = [a.text for a in fixture_articles]
    preds = tiny_model.predict(texts, [tokenize_document(tokenizer, t) for t in texts])
    for text, pred in zip(texts, preds):
        ends = -1
        for s in pred.spans:
            assert 0 <= s.start < s.end <= len(text) and s.start >= ends  # flat, in order, inside the text
            ends = s.end
            assert text[s.start:s.end] == text[s.start:s.end].strip()
        for r in pred.relations:
            assert LabelSpace.from_schema().allowed(r.label, pred.spans[r.head].label, pred.spans[r.tail].label)


def test_save_load_round_trip_gives_identical_predictions(tmp_path, tokenizer, fixture_articles, tiny_model):
    tiny_model.eval()
    text = fixture_articles[0].text
    doc = tokenize_document(tokenizer, text)
    before = tiny_model.predict([text], [doc])[0]
    tiny_model.save_pretrained(tmp_path / "m", card="# card\n", scores={"entity_f1": 0.5})
    files = {p.name for p in (tmp_path / "m").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md", "scores.json"} <= files
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in files)
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    assert cfg["labels"]["span_labels"][:3] == ["PER", "ORG", "ARMED"] and cfg["schema_version"] == 1

    from conflict_ie.model.joint import ConflictJointModel

    loaded = ConflictJointModel.from_pretrained(str(tmp_path / "m"))
    after = loaded.predict([text], [doc])[0]
    assert after.spans == before.spans
    assert [(r.head, r.tail, r.label) for r in after.relations] == [(r.head, r.tail, r.label) for r in before.relations]


def test_pickle_only_folder_is_refused(tmp_path, tiny_model):
    from conflict_ie.model.hub import ModelLoadError
    from conflict_ie.model.joint import ConflictJointModel

    tiny_model.save_pretrained(tmp_path / "m")
    (tmp_path / "m" / "model.safetensors").unlink()
    (tmp_path / "m" / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelLoadError, match="pickle files are never loaded"):
        ConflictJointModel.from_pretrained(str(tmp_path / "m"))


def test_from_pretrained_hub_id_from_offline_cache(tmp_path, monkeypatch, tiny_model):
    """A Hub id resolves through a pre-filled HF cache with HF_HUB_OFFLINE=1, as after a real download."""
    import shutil

    tiny_model.save_pretrained(tmp_path / "m")
    cache = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = cache / "models--conflict-ie--tiny-test"
    snap = repo / "snapshots" / commit
    shutil.copytree(tmp_path / "m", snap)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from conflict_ie.model.joint import ConflictJointModel

    model = ConflictJointModel.from_pretrained("conflict-ie/tiny-test", cache_dir=str(cache))
    assert model.config.max_length == tiny_model.config.max_length
    from conflict_ie.model.hub import ModelLoadError

    with pytest.raises(ModelLoadError, match="not in the local Hugging Face cache"):
        ConflictJointModel.from_pretrained("conflict-ie/absent", cache_dir=str(cache))


def test_push_to_hub_uploads_hub_layout(monkeypatch, tiny_model):
    """push_to_hub goes through huggingface_hub's HfApi; the network call itself is replaced."""
    calls = {}

    class FakeApi:
        def __init__(self, token=None):
            pass

        def create_repo(self, repo_id, **kw):
            calls["repo"] = repo_id

        def upload_folder(self, repo_id, folder_path, **kw):
            from pathlib import Path

            calls["files"] = sorted(p.name for p in Path(folder_path).iterdir())
            readme = (Path(folder_path) / "README.md").read_text()
            calls["card"] = readme
            return "https://hub.example/commit/1"

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    url = tiny_model.push_to_hub("me/conflict-ie-test", scores={"entity_f1": 0.61, "trigger_f1": 0.52})
    assert url.endswith("/1") and calls["repo"] == "me/conflict-ie-test"
    assert "model.safetensors" in calls["files"] and "config.json" in calls["files"]
    assert "model-index" in calls["card"] and "0.61" in calls["card"]


def test_encoder_hub_name_fails_fast_offline(monkeypatch):
    import time

    from conflict_ie.model.encoder import EncoderNotFoundError, resolve_encoder

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t = time.time()
    with pytest.raises(EncoderNotFoundError, match="cannot be reached"):
        resolve_encoder("roberta-base")
    assert time.time() - t < 10


def test_relation_decoding_caps_tails_and_orients_coref(tokenizer, tiny_model, monkeypatch):
    """Even a head that fires on every pair yields at most 8 tails per (head, label) and one COREF antecedent."""
    from collections import Counter

    from conflict_ie.model.decode import DecodedSpan
    from conflict_ie.model.joint import MAX_TAILS_PER_HEAD

    def always(hidden, ranges, labels, pairs, pair_mask, sentences=None):
        return torch.where(pair_mask[labels[pairs[:, 0]], labels[pairs[:, 1]]], 10.0, -10.0)

    monkeypatch.setattr(tiny_model.relation, "forward", always)
    spans = [DecodedSpan(i * 10, i * 10 + 5, lab, 0.9, i * 2, i * 2 + 1)
             for i, lab in enumerate(["BATTLE"] * 4 + ["GPE"] * 12)]
    hidden = torch.zeros(40, tiny_model.encoder.config.hidden_size)
    rels = tiny_model._predict_relations(hidden, spans, [0] * 40)
    per_head = Counter((r.head, r.label) for r in rels)
    assert max(per_head.values()) == MAX_TAILS_PER_HEAD
    corefs = [r for r in rels if r.label == "COREF"]
    assert corefs and all(spans[r.head].start > spans[r.tail].start for r in corefs)
    assert Counter(r.head for r in corefs).most_common(1)[0][1] == 1


def test_per_label_cut_offs_and_caps_steer_decoding(tokenizer, tiny_model, monkeypatch):
    """Calibrated per-label choices override the shared threshold and the default cap."""
    from collections import Counter

    from conflict_ie.model.decode import DecodedSpan

    def always(hidden, ranges, labels, pairs, pair_mask, sentences=None):
        return torch.where(pair_mask[labels[pairs[:, 0]], labels[pairs[:, 1]]], 2.0, -10.0)  # p = 0.88

    monkeypatch.setattr(tiny_model.relation, "forward", always)
    spans = [DecodedSpan(i * 10, i * 10 + 5, lab, 0.9, i * 2, i * 2 + 1)
             for i, lab in enumerate(["BATTLE", "GPE", "GPE", "GPE", "ARMED", "ARMED"])]
    hidden = torch.zeros(20, tiny_model.encoder.config.hidden_size)
    tiny_model.config.relation_threshold = 0.5
    base = Counter(r.label for r in tiny_model._predict_relations(hidden, spans, [0] * 20))
    assert base["PLACE"] == 3 and base["ACTOR"] == 5
    tiny_model.config.relation_max_tails = {"PLACE": 1}
    tiny_model.config.relation_thresholds = {"ACTOR": 0.9}
    tuned = Counter(r.label for r in tiny_model._predict_relations(hidden, spans, [0] * 20))
    assert tuned["PLACE"] == 1 and tuned["ACTOR"] == 0 and tuned["TARGET"] == base["TARGET"]


def test_decoding_calibration_never_loses_to_the_shared_cut_off(tokenizer, fixture_articles, tiny_model):
    from conflict_ie.train.calibrate import CAPS, GRID, tune_relation_decoding

    choice = tune_relation_decoding(tiny_model, fixture_articles)
    assert choice.threshold in GRID and tiny_model.config.relation_threshold == choice.threshold
    assert set(choice.thresholds.values()) <= set(GRID) and set(choice.max_tails.values()) <= set(CAPS)
    assert choice.f1 >= choice.f1_by_threshold[choice.threshold]
    assert tiny_model.config.relation_thresholds == choice.thresholds


def test_trigger_loss_weight_weighs_trigger_tags_only(tokenizer, fixture_articles):
    from conflict_ie import schema
    from conftest import make_tiny_model

    plain = make_tiny_model(tokenizer)
    heavy = make_tiny_model(tokenizer, trigger_loss_weight=3.0)
    assert plain.tag_weights is None
    for tag, w in zip(heavy.tags, heavy.tag_weights.tolist()):
        assert w == (3.0 if tag[2:] in schema.TRIGGER_LABELS else 1.0)
    feats = [featurize(a, tokenizer, plain.config.labels, 160, plain.pair_mask) for a in fixture_articles]
    plain.eval(), heavy.eval()  # same weights (same seed), no dropout: only the loss weighting differs
    a, b = plain(**collate(feats, plain)), heavy(**collate(feats, heavy))
    assert torch.equal(a["relation_loss"], b["relation_loss"])
    assert not torch.isclose(a["tag_loss"], b["tag_loss"])


def test_span_floor_drops_relations_of_doubtful_spans(tokenizer, tiny_model, monkeypatch):
    from conflict_ie.model.decode import DecodedSpan

    def always(hidden, ranges, labels, pairs, pair_mask, sentences=None):
        return torch.where(pair_mask[labels[pairs[:, 0]], labels[pairs[:, 1]]], 2.0, -10.0)  # p = 0.88

    monkeypatch.setattr(tiny_model.relation, "forward", always)
    spans = [DecodedSpan(i * 10, i * 10 + 5, lab, score, i * 2, i * 2 + 1)
             for i, (lab, score) in enumerate([("BATTLE", 0.9), ("GPE", 0.9), ("GPE", 0.3)])]
    hidden = torch.zeros(20, tiny_model.encoder.config.hidden_size)
    tiny_model.config.relation_threshold = 0.5
    places = lambda: {r.tail for r in tiny_model._predict_relations(hidden, spans, [0] * 20) if r.label == "PLACE"}
    assert places() == {1, 2}
    tiny_model.config.relation_span_floor = 0.5  # 0.88 x 0.9 passes, 0.88 x 0.3 does not
    assert places() == {1}


def test_calibration_picks_the_span_floor_that_removes_relations_of_bad_spans(fixture_articles, tiny_model, monkeypatch):
    """Synthetic dev predictions: every gold relation (score 0.9, sure spans) plus a decoy per gold relation
    that scores higher (0.95) but hangs on a doubtful span (0.2). Only the span floor can tell them apart."""
    from conflict_ie.annotations.document import Relation
    from conflict_ie.train import calibrate

    art = fixture_articles[0]
    decoy = Span("x1", "GPE", 0, 5, art.text[:5])
    # COREF keeps one antecedent whatever happens, so it gets no decoy to outrank it.
    ranked = [(r, 0.9, 1 if r.label == "COREF" else 2, 0.9) for r in art.relations]
    ranked += [(Relation(r.head, r.label, "x1"), 0.95, 1, 0.2) for r in art.relations if r.label != "COREF"]
    monkeypatch.setattr(calibrate, "_dev_candidates", lambda model, dev, bs: [(art, [*art.spans, decoy], ranked)])
    choice = calibrate.tune_relation_decoding(tiny_model, [art])
    assert choice.f1_by_span_floor[0.0] < 0.7
    assert choice.span_floor == 0.2 and choice.f1 == pytest.approx(1.0)
    assert tiny_model.config.relation_span_floor == 0.2


def test_calibration_finds_per_label_cut_offs_and_caps(fixture_articles, tiny_model, monkeypatch):
    """Synthetic dev predictions that no shared cut-off can clean: PLACE decoys score 0.92 (above every
    cut-off on the grid) but rank second, so only a cap of one removes them; true ACTORs score 0.6 and
    their decoys 0.45, so ACTOR needs a cut-off in between."""
    from conflict_ie.annotations.document import Relation
    from conflict_ie.train import calibrate

    art = fixture_articles[0]
    decoy = Span("x1", "GPE", 0, 5, art.text[:5])
    ranked = [(r, 0.6 if r.label == "ACTOR" else 0.95, 1, 0.9) for r in art.relations]
    ranked += [(Relation(r.head, r.label, "x1"), 0.92, 2, 0.9) for r in art.relations if r.label == "PLACE"]
    ranked += [(Relation(r.head, r.label, "x1"), 0.45, 2, 0.9) for r in art.relations if r.label == "ACTOR"]
    monkeypatch.setattr(calibrate, "_dev_candidates", lambda model, dev, bs: [(art, [*art.spans, decoy], ranked)])
    choice = calibrate.tune_relation_decoding(tiny_model, [art])
    assert choice.max_tails["PLACE"] == 1
    assert 0.45 < choice.thresholds["ACTOR"] <= 0.6
    assert choice.f1 == pytest.approx(1.0) and choice.f1 > choice.f1_by_threshold[choice.threshold]
