"""The evaluation report as JSON (for machines) and Markdown (for people), and writing both with the plots."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

from conflict_ie import schema
from conflict_ie.eval.metrics import PRF, Scores
from conflict_ie.eval.runner import EvalReport, PredictorResult

NA = "n/a"


# ---------------------------------------------------------------- JSON

def to_dict(report: EvalReport) -> dict:
    return dataclasses.asdict(report)


def to_json(report: EvalReport) -> str:
    # allow_nan=False: a NaN in the report is a bug, and JSON has no NaN.
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ---------------------------------------------------------------- Markdown helpers

def _f(x: float) -> str:
    return f"{x:.3f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _with_ci(r: PredictorResult, prf: PRF, key: str) -> str:
    ci = r.intervals.get(key)
    return _f(prf.f1) + (f" [{_f(ci.low)}, {_f(ci.high)}]" if ci else "")


def _prf_cells(scores: Scores | None, r: PredictorResult | None = None, key: str = "") -> list[str]:
    if scores is None:
        return [NA, NA, NA]
    m = scores.micro
    return [_f(m.precision), _f(m.recall), _with_ci(r, m, key) if r is not None else _f(m.f1)]


def _label_cell(scores: Scores | None, label: str) -> str:
    if scores is None or label not in scores.per_label:
        return NA
    return _f(scores.per_label[label].f1)


# ---------------------------------------------------------------- sections

def headline_table(report: EvalReport) -> str:
    """One row per predictor: the numbers to quote, with confidence intervals where computed."""
    header = ["system", "entity P", "entity R", "entity F1", "trigger P", "trigger R", "trigger F1",
              "relation strict F1", "relation boundaries F1", "record detection F1"]
    rows = []
    for r in report.predictors:
        rel = _with_ci(r, r.relation_strict.micro, "relation_strict_f1") if r.relation_strict else NA
        bnd = _f(r.relation_boundaries.micro.f1) if r.relation_boundaries else NA
        rec = _f(r.records.detection.micro.f1) if r.records else NA
        rows.append([r.name, *_prf_cells(r.entity, r, "entity_f1"), *_prf_cells(r.trigger, r, "trigger_f1"),
                     rel, bnd, rec])
    return _table(header, rows)


def _coverage_notes(report: EvalReport) -> list[str]:
    """For each partial predictor: what it is scored on, and the first predictor on the same labels."""
    lines = []
    full = report.predictors[0]
    for r in report.predictors:
        parts = []
        for kind, labels, all_labels in (("entity", r.entity_labels, schema.ENTITY_LABELS),
                                         ("trigger", r.trigger_labels, schema.TRIGGER_LABELS)):
            if not labels or set(labels) == set(all_labels):
                continue
            text = f"{kind} scores over {', '.join(labels)} only"
            ref = full.entity if kind == "entity" else full.trigger
            if r is not full and ref is not None:
                text += f" ({full.name} on the same labels: F1 {_f(ref.micro_over(labels).f1)})"
            parts.append(text)
        if parts:
            lines.append(f"- **{r.name}** is scored only on the labels it can produce: " + "; ".join(parts) + ".")
    return lines


def _per_label_section(report: EvalReport, title: str, attr: str, labels: tuple[str, ...]) -> str:
    header = ["label", "gold"] + [r.name for r in report.predictors]
    rows = [[lab, str(report.data.span_labels.get(lab, 0))] + [_label_cell(getattr(r, attr), lab) for r in report.predictors]
            for lab in labels]
    rows.append(["**micro**", ""] + [_f(getattr(r, attr).micro.f1) if getattr(r, attr) else NA
                                     for r in report.predictors])
    rows.append(["**macro**", ""] + [_f(getattr(r, attr).macro.f1) if getattr(r, attr) else NA
                                     for r in report.predictors])
    return f"## {title}\n\nF1 per label; n/a: the system cannot produce the label.\n\n" + _table(header, rows)


def _exact_section(report: EvalReport) -> str:
    header = ["system", "entity P", "entity R", "entity F1", "trigger P", "trigger R", "trigger F1"]
    rows = [[r.name, *_prf_cells(r.entity_exact), *_prf_cells(r.trigger_exact)] for r in report.predictors]
    return ("## Exact character offsets\n\nA span counts only if its start, end and label equal a gold "
            "span's (micro P/R/F1).\n\n" + _table(header, rows))


def _relation_section(report: EvalReport) -> str:
    with_rel = [r for r in report.predictors if r.relation_strict is not None]
    out = ["## Relations (end to end)",
           "Relations are scored on the system's own spans. strict: head and tail offsets and labels and the "
           "relation label must match; boundaries: offsets and relation label only (Taillé et al. 2020)."]
    without = [r.name for r in report.predictors if r.relation_strict is None]
    if without:
        out.append(f"No relations from: {', '.join(without)} (n/a).")
    for r in with_rel:
        header = ["relation", "gold", "predicted", "strict P", "strict R", "strict F1", "boundaries F1"]
        rows = []
        for lab, s in r.relation_strict.per_label.items():
            b = r.relation_boundaries.per_label[lab]
            rows.append([lab, str(s.gold), str(s.predicted), _f(s.precision), _f(s.recall), _f(s.f1), _f(b.f1)])
        m, bm = r.relation_strict.micro, r.relation_boundaries.micro
        rows.append(["**micro**", str(m.gold), str(m.predicted), _f(m.precision), _f(m.recall),
                     _with_ci(r, m, "relation_strict_f1"), _f(bm.f1)])
        rows.append(["**macro**", "", "", _f(r.relation_strict.macro.precision),
                     _f(r.relation_strict.macro.recall), _f(r.relation_strict.macro.f1),
                     _f(r.relation_boundaries.macro.f1)])
        out.append(f"### {r.name}\n\n" + _table(header, rows))
    return "\n\n".join(out)


def _records_section(report: EvalReport) -> str:
    out = ["## Event records",
           "Predicted records are matched one to one with gold records of the same event type whose triggers "
           "overlap (greedy by overlap). Arguments are compared by exact offsets, the date by its ISO value; "
           "fatalities exact: min and max equal; within range: one side's count inside the other's range."]
    scored = [r for r in report.predictors if r.records is not None]
    if not scored:
        out.append("Not scored (no system with relations, or no record builder).")
    for r in scored:
        rec = r.records
        rows = [["detection (event type)", str(rec.detection.micro.gold), str(rec.detection.micro.predicted),
                 str(rec.detection.micro.correct), _f(rec.detection.micro.precision),
                 _f(rec.detection.micro.recall), _f(rec.detection.micro.f1)]]
        for name, p in rec.fields.items():
            rows.append([name, str(p.gold), str(p.predicted), str(p.correct), _f(p.precision), _f(p.recall), _f(p.f1)])
        out.append(f"### {r.name}\n\n" + _table(["field", "gold", "predicted", "correct", "P", "R", "F1"], rows))
        det = [[t, str(p.gold), str(p.predicted), str(p.correct), _f(p.f1)]
               for t, p in rec.detection.per_label.items() if p.gold or p.predicted]
        if det:
            out.append(_table(["event type", "gold", "predicted", "correct", "F1"], det))
    return "\n\n".join(out)


def _errors_section(report: EvalReport, plots: dict[str, str]) -> str:
    out = ["## Error analysis"]
    for r in report.predictors:
        out.append(f"### {r.name}")
        key = f"confusion_{r.name}"
        if key in plots:
            out.append(f"![span-label confusion, {r.name}]({plots[key]})")
        if r.worst_articles:
            rows = [[w.article_id, _f(w.f1), str(w.gold), str(w.predicted), str(w.correct)] for w in r.worst_articles]
            out.append("Worst articles (span F1 over the labels it produces):\n\n"
                       + _table(["article", "F1", "gold", "predicted", "correct"], rows))
        if r.common_errors:
            rows = []
            for e in r.common_errors:
                ex = e.examples[0] if e.examples else None
                shown = ""
                if ex is not None:
                    shown = f"gold {ex.gold_text!r} / predicted {ex.pred_text!r}: “{ex.snippet}”"
                rows.append([e.gold_label, e.pred_label, e.kind, str(e.count), _md_escape(shown)])
            out.append("Most common span errors (O: nothing there):\n\n"
                       + _table(["gold", "predicted", "kind", "count", "example"], rows))
    return "\n\n".join(out)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def _training_section(report: EvalReport, plots: dict[str, str]) -> str:
    if not report.training_log:
        return ""
    out = ["## Training"]
    if "learning_curve" in plots:
        out.append(f"![learning curve]({plots['learning_curve']})")

    def cell(x):
        return NA if x is None else _f(x)

    rows = [[str(e.epoch), cell(e.train_loss), cell(e.dev_entity_f1), cell(e.dev_trigger_f1),
             cell(e.dev_relation_f1), NA if e.seconds is None else f"{e.seconds:.1f}"] for e in report.training_log]
    out.append(_table(["epoch", "train loss", "dev entity F1", "dev trigger F1", "dev relation F1", "seconds"], rows))
    return "\n\n".join(out)


def to_markdown(report: EvalReport, plots: dict[str, str] | None = None) -> str:
    """The whole report; ``plots`` maps plot names to paths relative to the Markdown file."""
    plots = plots or {}
    d = report.data
    splits = ", ".join(f"{k or '?'}: {v}" for k, v in d.splits.items())
    head = [f"# conflict-ie evaluation (schema v{report.schema_version})",
            f"Data: {d.source or 'given articles'}: {d.articles} article(s) ({splits}), {d.spans} gold spans, "
            f"{d.relations} gold relations."]
    if report.bootstrap:
        b = report.bootstrap
        head.append(f"Confidence intervals: {round(b.level * 100)}% percentile bootstrap over documents, "
                    f"{b.resamples} resamples, seed {b.seed}, shown as F1 [low, high].")
    head.append("Spans: seqeval strict IOB2 over word tokens; F1 is 0.0 where there is nothing to score.")
    sections = ["\n\n".join(head), "## Headline\n\n" + headline_table(report)]
    coverage = _coverage_notes(report)
    if coverage:
        sections.append("\n".join(coverage))
    if "per_label_f1" in plots:
        sections.append(f"![per-label F1]({plots['per_label_f1']})")
    sections.append(_per_label_section(report, "Entities (seqeval strict)", "entity", schema.ENTITY_LABELS))
    sections.append(_per_label_section(report, "Triggers (seqeval strict)", "trigger", schema.TRIGGER_LABELS))
    sections.append(_exact_section(report))
    sections.append(_relation_section(report))
    sections.append(_records_section(report))
    sections.append(_errors_section(report, plots))
    training = _training_section(report, plots)
    if training:
        sections.append(training)
    if report.notes:
        sections.append("## Notes\n\n" + "\n".join(f"- {n}" for n in report.notes))
    return "\n\n".join(sections) + "\n"


# ---------------------------------------------------------------- files

@dataclass
class WrittenReport:
    json_path: Path
    markdown_path: Path
    plots: dict[str, Path]


def write_report(report: EvalReport, out_dir: str | os.PathLike) -> WrittenReport:
    """Write report.json, the PNG plots and report.md (which links them) into ``out_dir``."""
    from conflict_ie.eval.plots import write_plots

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots = write_plots(report, out)
    json_path, md_path = out / "report.json", out / "report.md"
    json_path.write_text(to_json(report), encoding="utf-8")
    md_path.write_text(to_markdown(report, {k: p.name for k, p in plots.items()}), encoding="utf-8")
    return WrittenReport(json_path, md_path, plots)
