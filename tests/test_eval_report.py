"""A tiny end-to-end run: runner, report (JSON, Markdown, PNG), training log, Python API and CLI."""

from __future__ import annotations

import json
import sys
import types

import pytest

from conflict_ie import schema
from conflict_ie.annotations import cie_format
from conflict_ie.annotations.document import Span
from conflict_ie.cli import main
from conflict_ie.eval import evaluate, evaluate_model
from conflict_ie.eval.baselines.lexicon import LexiconBaseline
from conflict_ie.eval.data import load_data
from conflict_ie.eval.report import to_markdown, write_report
from conflict_ie.eval.runner import EvalSettings
from conflict_ie.eval.training_log import read_epochs
from conflict_ie.extract.types import EventRecord, Mention

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def art(body: str, relations: str = "", id: str = "a1", split: str = "test"):
    src = (f"id: {id}\ntitle: t\npublished: 2022-09-13\nsource_style: wire\ncountries: Armenia\n"
           f"conflict: Armenia-Azerbaijan\nsplit: {split}\nannotator: t\n=== text\n{body}\n=== relations\n{relations}")
    parsed = cie_format.parse(src)
    assert not parsed.diagnostics, parsed.diagnostics
    return parsed.article


GOLD = [
    art("[Azerbaijani forces]{ARMED s1} [shelled]{REMOTE_VIOLENCE s2} [Kalbajar]{GPE s3} on [Tuesday]{DATE s4}, "
        "[killing]{DEATH s5} [two]{NUM s6} [civilians]{CIV s7}.",
        "s2 ACTOR s1\ns2 PLACE s3\ns2 TIME s4\ns5 CAUSE s2\ns5 COUNT s6\ns5 VICTIM s7", id="a1"),
    art("[Armenia]{GPE s1} and [Baku]{GPE s2} [clashed]{BATTLE s3} near the [border]{LOC s4}.",
        "s3 ACTOR s1\ns3 TARGET s2\ns3 PLACE s4", id="a2"),
    art("[Protesters]{CIV s1} [marched]{PROTEST s2} in [Yerevan]{GPE s3}.", "s2 PARTICIPANT s1\ns2 PLACE s3",
        id="a3", split="train"),
]


class FakeExtractor:
    """Stands in for ConflictExtractor: gold annotations by id, with Baku mislabelled ORG."""

    def __init__(self, gold):
        self.gold = {a.id: a for a in gold}

    def predict_articles(self, articles):
        out = []
        for a in articles:
            g = self.gold[a.id]
            spans = [Span(s.id, "ORG", s.start, s.end, s.text) if s.text == "Baku" else s for s in g.spans]
            out.append(a.with_annotations(spans, g.relations))
        return out


class EchoPredictor:
    """A perfect predictor with relations, to check what perfection scores."""

    name = "echo"
    labels = schema.SPAN_LABELS
    relation_labels = schema.RELATION_LABELS

    def __init__(self, gold):
        self.gold = {a.id: a for a in gold}

    def predict(self, articles):
        return [a.with_annotations(self.gold[a.id].spans, self.gold[a.id].relations) for a in articles]


def fake_build_records(article):
    """One record per record-forming trigger: enough to exercise the runner's record path."""
    return [EventRecord(event_id=s.id, event_type=s.label, acled_event_type=None, acled_sub_event_type=None,
                        triggers=[Mention(text=s.text, label=s.label, start=s.start, end=s.end)])
            for s in article.spans if s.label in schema.RECORD_LABELS]


@pytest.fixture
def fake_records(monkeypatch):
    module = types.ModuleType("conflict_ie.extract.records")
    module.build_records = fake_build_records
    monkeypatch.setitem(sys.modules, "conflict_ie.extract.records", module)


@pytest.fixture
def epochs_file(tmp_path):
    path = tmp_path / "epochs.jsonl"
    rows = [{"epoch": 1, "train_loss": 0.93, "dev_entity_f1": 0.51, "dev_trigger_f1": 0.40, "dev_relation_f1": 0.12,
             "seconds": 61.2},
            {"epoch": 2, "train_loss": 0.61, "dev_entity_f1": 0.63, "dev_trigger_f1": 0.52, "dev_relation_f1": 0.25,
             "seconds": 60.4, "lr": 3e-5}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    return path


def test_tiny_run_writes_json_markdown_and_pngs(tmp_path, fake_records, epochs_file):
    out = tmp_path / "report"
    report = evaluate_model(FakeExtractor(GOLD), GOLD, baselines="lexicon", out=out, n_bootstrap=50,
                            training_log=epochs_file)
    model, lexicon = report.predictors
    assert (model.name, lexicon.name) == ("model", "lexicon")
    # Baku as ORG: 10 gold entities, 10 predicted, 9 right.
    assert (model.entity.micro.gold, model.entity.micro.predicted, model.entity.micro.correct) == (10, 10, 9)
    assert model.trigger.micro.f1 == 1.0
    # The TARGET relation to Baku fails strict (span label) but passes boundaries.
    assert model.relation_strict.micro.gold == 11
    assert model.relation_strict.micro.correct == 10 and model.relation_boundaries.micro.correct == 11
    assert model.records is not None and model.records.detection.micro.f1 == 1.0
    assert set(model.intervals) == {"entity_f1", "trigger_f1", "relation_strict_f1"}
    ci = model.intervals["entity_f1"]
    assert ci.low <= ci.estimate <= ci.high and ci.resamples == 50
    assert lexicon.entity is None and lexicon.relation_strict is None and lexicon.records is None
    assert model.confusion.get("GPE", "ORG") == 1
    assert [e.epoch for e in report.training_log] == [1, 2] and report.training_log[1].extra == {"lr": 3e-5}

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in data["predictors"]] == ["model", "lexicon"]
    assert data["predictors"][0]["entity"]["micro"]["correct"] == 9
    assert data["predictors"][1]["entity"] is None
    assert data["data"]["articles"] == 3 and data["data"]["span_labels"]["GPE"] == 4

    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| model | 0.900 | 0.900 | 0.900 [" in md  # with its confidence interval
    assert "| lexicon | n/a | n/a | n/a |" in md  # no entities from the lexicon
    assert "![per-label F1](per_label_f1.png)" in md and "learning_curve.png" in md

    import matplotlib.image as mpimg

    for name in ("per_label_f1.png", "confusion_model.png", "confusion_lexicon.png", "learning_curve.png"):
        raw = (out / name).read_bytes()
        assert raw.startswith(PNG_MAGIC), name
        assert mpimg.imread(out / name).ndim == 3


def test_perfect_predictor_with_the_real_record_builder():
    report = evaluate([EchoPredictor(GOLD)], GOLD, EvalSettings(n_bootstrap=0))
    (echo,) = report.predictors
    assert echo.entity.micro.f1 == echo.trigger.micro.f1 == echo.relation_strict.micro.f1 == 1.0
    assert echo.intervals == {} and report.bootstrap is None
    assert echo.records.detection.micro.f1 == 1.0
    assert all(p.f1 in (0.0, 1.0) and p.correct == p.gold == p.predicted for p in echo.records.fields.values())
    assert echo.worst_articles[0].f1 == 1.0 and echo.common_errors == []


def test_missing_record_builder_is_a_note_not_a_crash(monkeypatch):
    monkeypatch.setitem(sys.modules, "conflict_ie.extract.records", None)
    report = evaluate([EchoPredictor(GOLD)], GOLD, EvalSettings(n_bootstrap=0))
    assert report.predictors[0].records is None
    assert any("build_records" in n for n in report.notes)
    assert "Not scored" in to_markdown(report)


def test_runner_refuses_bad_input():
    class Lossy(EchoPredictor):
        name = "lossy"

        def predict(self, articles):
            return super().predict(articles)[:-1]

    with pytest.raises(ValueError, match="lossy.*no prediction for 1 gold article"):
        evaluate([Lossy(GOLD)], GOLD, EvalSettings(n_bootstrap=0))
    with pytest.raises(ValueError, match="no gold articles"):
        evaluate([LexiconBaseline()], [])
    with pytest.raises(ValueError, match="unique"):
        evaluate([LexiconBaseline(), LexiconBaseline()], GOLD)


def test_report_without_training_log_has_no_learning_curve(tmp_path):
    report = evaluate([LexiconBaseline()], GOLD, EvalSettings(n_bootstrap=20))
    written = write_report(report, tmp_path)
    assert set(written.plots) == {"per_label_f1", "confusion_lexicon"}
    assert not (tmp_path / "learning_curve.png").exists()


def test_training_log_errors_name_the_line(tmp_path):
    bad = tmp_path / "epochs.jsonl"
    bad.write_text('{"epoch": 1, "train_loss": 0.5}\n{"train_loss": 0.4}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"epochs.jsonl:2: 'epoch' must be an integer"):
        read_epochs(bad)
    bad.write_text('{"epoch": 1, "train_loss": "high"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r":1: 'train_loss' must be a finite number"):
        read_epochs(bad)
    bad.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        read_epochs(bad)


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for a in GOLD:
        (folder / f"{a.id}.cie").write_text(cie_format.render(a), encoding="utf-8")
    return folder


def test_data_by_path_or_split(corpus_dir):
    arts, source = load_data(corpus_dir)
    assert sorted(a.id for a in arts) == ["a1", "a2", "a3"] and source == str(corpus_dir)
    test, source = load_data("test", corpus_dir=corpus_dir)
    assert sorted(a.id for a in test) == ["a1", "a2"] and "split test" in source
    with pytest.raises(ValueError, match="no articles"):
        load_data("dev", corpus_dir=corpus_dir)
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_data(corpus_dir / "missing")


def test_cli_baselines_only(corpus_dir, tmp_path, capsys, epochs_file):
    out = tmp_path / "cli_out"
    rc = main(["eval", "--model", "none", "--data", str(corpus_dir), "--baselines", "lexicon", "--out", str(out),
               "--bootstrap", "20", "--training-log", str(epochs_file)])
    assert rc == 0
    printed = capsys.readouterr()
    assert "| lexicon | n/a | n/a | n/a |" in printed.out
    assert {p.name for p in out.iterdir()} == {"report.json", "report.md", "per_label_f1.png",
                                               "confusion_lexicon.png", "learning_curve.png"}


def test_cli_errors_are_reported_not_raised(tmp_path, corpus_dir, capsys):
    out = str(tmp_path / "out")
    assert main(["eval", "--model", "none", "--data", str(tmp_path / "nope"), "--out", out]) == 1
    assert "no such file" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["eval", "--model", "none", "--data", str(empty), "--out", out]) == 1
    assert "no articles" in capsys.readouterr().err
    assert main(["eval", "--model", str(tmp_path / "no-model"), "--data", str(corpus_dir), "--out", out]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["eval", "--model", "none", "--data", str(corpus_dir), "--baselines", "none", "--out", out]) == 1
    assert "nothing to evaluate" in capsys.readouterr().err


def test_training_log_is_found_next_to_a_saved_model(tmp_path, epochs_file):
    from conflict_ie.eval.training_log import find_training_log

    run = tmp_path / "run"
    model = run / "best"
    model.mkdir(parents=True)
    assert find_training_log(model) is None and find_training_log(None) is None
    (run / "epochs.jsonl").write_text(epochs_file.read_text())
    assert find_training_log(model) == model / ".." / "epochs.jsonl"
    (model / "training_log").mkdir()
    (model / "training_log" / "epochs.jsonl").write_text(epochs_file.read_text())
    assert find_training_log(model) == model / "training_log" / "epochs.jsonl"
    assert [e.epoch for e in read_epochs(find_training_log(model))] == [1, 2]
