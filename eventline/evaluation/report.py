"""Reading the scoreboard: the console table, docs/accuracy.md, and the floors gate.

Floors (eval-floors.json) pin every figure of the CI subset run. `check_floors` lists each
figure below its floor; `raise_floors` only ever moves floors up. Figures where lower is
better (crash counts) are pinned as ceilings and only ever move down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventline.evaluation.scoreboard import Scoreboard

# Hand-written notes on the figures (why a target is missed, how a set is read), placed
# under the headline table of the generated report.
NOTES_FILE = Path("docs") / "accuracy-notes.md"  # read from the repository root, as eval runs


@dataclass(frozen=True)
class Headline:
    label: str
    keys: tuple[str, ...]  # figure keys, first found wins (other modules name their own)
    target: float | None
    anchor: str
    lower_is_better: bool = False


HEADLINES = (
    Headline(
        "PLOVER event type macro-F1 (pipeline)",
        ("plover_gsr.event_type_macro_f1",),
        0.80,
        "GDELT event codes right ~81% in a hand check",
    ),
    Headline(
        "PLOVER event type macro-F1 (event model, 5-fold by document)",
        ("classifier.plover_gsr_event_type_macro_f1",),
        0.80,
        "",
    ),
    Headline("PLOVER country-triple F1", ("plover_gsr.triple_f1",), 0.70, ""),
    Headline("PLOVER source text overlap", ("plover_gsr.source_text_overlap",), 0.85, ""),
    Headline("PLOVER target text overlap", ("plover_gsr.target_text_overlap",), 0.70, ""),
    Headline(
        "ConfliBERT source span F1 (tagger, 5-fold)",
        ("conflibert_spans.tagger_source_f1",),
        0.75,
        "",
    ),
    Headline(
        "ConfliBERT target span F1 (tagger, 5-fold)",
        ("conflibert_spans.tagger_target_f1",),
        0.75,
        "",
    ),
    Headline(
        "CASE 2021 30-label weighted F1 (pipeline)",
        ("case2021.subtype_weighted_f1",),
        0.80,
        "best CASE 2021 system 0.771",
    ),
    Headline(
        "CASE 2021 30-label weighted F1 (event model, 5-fold)",
        ("classifier.case2021_subtype_weighted_f1",),
        0.80,
        "best CASE 2021 system 0.771",
    ),
    Headline("CASE 2021 6-type accuracy (pipeline)", ("case2021.event_type_accuracy",), 0.92, ""),
    Headline(
        "CASE 2021 6-type accuracy (event model, 5-fold)",
        ("classifier.case2021_event_type_accuracy",),
        0.92,
        "",
    ),
    Headline("QuadClass accuracy (pipeline)", ("conflibert_quad.quad_accuracy",), 0.85, ""),
    Headline(
        "QuadClass accuracy (event model, 5-fold)",
        ("classifier.conflibert_quad_quad_accuracy",),
        0.85,
        "",
    ),
    Headline(
        "Sentences with a gold event given none (PLOVER GSR, pipeline)",
        ("plover_gsr.no_event_share",),
        0.05,
        "",
        True,
    ),
    Headline(
        "Sentences with a gold event given none (CASE 2021, pipeline)",
        ("case2021.no_event_share",),
        0.05,
        "",
        True,
    ),
    Headline(
        "Silver VOA type macro-F1 (event model, held out by document)",
        ("classifier.ngec_voa_multilabel_type_macro_f1",),
        0.75,
        "",
    ),
    Headline(
        "Silver VOA type macro-F1 (pipeline, held out by document)",
        ("ngec_voa.multilabel_type_macro_f1",),
        0.75,
        "",
    ),
    Headline(
        "Silver VOA quotes given no event (pipeline)",
        ("ngec_voa.no_event_share",),
        0.05,
        "",
        True,
    ),
    Headline(
        "ConfliBERT sentences with no event given one (pipeline)",
        ("conflibert_quad.false_event_share",),
        None,
        "",
        True,
    ),
    Headline(
        "PETRARCH relaxed triple F1", ("petrarch.relaxed_f1",), 0.70, "PETRARCH2 0.55 (strict 0.41)"
    ),
    Headline("PETRARCH strict triple F1", ("petrarch.strict_f1",), None, "PETRARCH2 0.41"),
    Headline(
        "PETRARCH crashes", ("petrarch.crashes",), 0.0, "PETRARCH2 crashes on 25 of 280", True
    ),
    Headline(
        "TimeBank value accuracy",
        ("timebank.value_accuracy", "timebank.accuracy", "timebank.day_accuracy"),
        0.85,
        "best TempEval-3 ~0.78",
    ),
    Headline("MUC-4 role F1 (mean of 3 roles)", ("muc4.role_f1",), 0.50, ""),
    Headline(
        "LGL Acc@161",
        ("lgl.acc_at_161", "lgl.acc@161", "lgl.acc161", "lgl.accuracy_161"),
        0.85,
        "Mordecai3 0.827",
    ),
    Headline(
        "TR-News Acc@161",
        ("trnews.acc_at_161", "trnews.acc@161", "trnews.acc161", "trnews.accuracy_161"),
        0.90,
        "Mordecai3 0.873",
    ),
    Headline(
        "Event places right (PLOVER GSR, place name agrees)",
        ("plover_gsr.location_accuracy",),
        None,
        "GDELT places ~75%",
    ),
    Headline(
        "Dedupe merge precision (unseen corpus)", ("dedupe.unseen_precision",), 0.95, ""
    ),
    Headline("Dedupe merge recall (unseen corpus)", ("dedupe.unseen_recall",), 0.90, ""),
    Headline(
        "Dedupe merge precision, extracted reports (unseen)",
        ("dedupe.unseen_e2e_precision",),
        0.95,
        "",
    ),
    Headline(
        "Dedupe merge recall, extracted reports (unseen)",
        ("dedupe.unseen_e2e_recall",),
        0.90,
        "",
    ),
)


def headline_value(board: Scoreboard, headline: Headline) -> float | None:
    figures = board.figures()
    return next((figures[key] for key in headline.keys if key in figures), None)


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return str(int(value)) if value == int(value) and value > 1 else f"{value:.3f}"


def _gap(value: float | None, headline: Headline) -> str:
    if value is None or headline.target is None:
        return ""
    if headline.lower_is_better:
        return "met" if value <= headline.target else f"over by {value - headline.target:g}"
    return "met" if value >= headline.target else f"short by {headline.target - value:.3f}"


def format_table(board: Scoreboard) -> str:
    """A plain-text scoreboard for the terminal."""
    lines = [f"eventline eval  {board.created}  commit {board.commit}  limit {board.limit}"]
    width = max(len(h.label) for h in HEADLINES)
    for headline in HEADLINES:
        value = headline_value(board, headline)
        target = "" if headline.target is None else f"target {_fmt(headline.target)}"
        lines.append(
            f"  {headline.label:<{width}}  {_fmt(value):>6}  {target:<13} {_gap(value, headline)}"
        )
    for name, reason in board.unavailable.items():
        lines.append(f"  [{name}] {reason}")
    return "\n".join(lines)


def write_accuracy_md(board: Scoreboard, path: Path) -> None:
    """docs/accuracy.md: headline figures beside targets and anchors, all figures, confusions."""
    out = [
        "# Accuracy",
        "",
        f"Generated by `eventline eval --write` on {board.created} at commit `{board.commit}`"
        + (f", first {board.limit} items per set." if board.limit else ", full sets."),
        "Figures for the event model, and for the pipeline on the sets the model was trained",
        "on (PLOVER GSR, CASE 2021, ConfliBERT QuadClass, PETRARCH), are 5-fold out-of-fold,",
        "held out by document: no text is scored by a model that saw its document. Gold data",
        "is read from `../shared/eval/dev` and never copied here.",
        "",
        "## Headline figures",
        "",
        "| Figure | eventline | Target | Gap | Published anchor |",
        "|---|---|---|---|---|",
    ]
    for headline in HEADLINES:
        value = headline_value(board, headline)
        target = "" if headline.target is None else _fmt(headline.target)
        if headline.lower_is_better and headline.target is not None:
            target = f"<= {target}"
        elif headline.target is not None:
            target = f">= {target}"
        out.append(
            f"| {headline.label} | {_fmt(value)} | {target} | {_gap(value, headline)} | {headline.anchor} |"
        )
    notes = NOTES_FILE.read_text(encoding="utf-8").strip() if NOTES_FILE.is_file() else ""
    if notes:
        # hand-written: why each gap is where it is and what was done about it
        out += ["", notes]
    if board.unavailable:
        out += ["", "## Not scored in this run", ""]
        out += [f"- **{name}**: {reason}" for name, reason in board.unavailable.items()]
    out += ["", "## All figures", ""]
    for name, values in board.sets.items():
        seconds = board.seconds.get(name)
        out.append(f"### {name}" + (f" ({seconds} s)" if seconds is not None else ""))
        out.append("")
        numbers = {
            k: v
            for k, v in values.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)
        }
        out += [f"- {key}: {value}" for key, value in numbers.items()]
        confusion_keys = [k for k, v in values.items() if k.endswith("confusions") and v]
        for key in confusion_keys:
            out += [
                "",
                f"Top confusions ({key.removesuffix('confusions').rstrip('_') or name}):",
                "",
            ]
            out += [
                f'- gold {c["gold"]} -> predicted {c["predicted"]} ({c["count"]}x): "{_snippet(c["example"])}"'
                for c in values[key]
            ]
        out.append("")
    text = "\n".join(out).rstrip() + "\n"
    # the report is committed: name the data folder, never this machine's path to it
    for folder in {str(Path(board.data_dir).resolve()), board.data_dir}:
        if Path(folder).is_absolute():
            text = text.replace(folder, "<data>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _snippet(text: str, words: int = 12) -> str:
    """A few words of a gold sentence, enough to recognise the case."""
    parts = str(text).split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


# figures where lower is better: pinned as ceilings that only move down
CEILING_SUFFIXES = ("crashes", "median_km", "no_event_share", "false_event_share")


def _is_ceiling(key: str) -> bool:
    return key.endswith(CEILING_SUFFIXES)


def _is_count(key: str) -> bool:
    """Sizes of a run (documents, gold items, predictions), not figures of quality."""
    name = key.split(".", 1)[-1]
    return (
        name.endswith(("_n", "gold_pairs", "unlabelled", "_n_quotes", "documents", "articles"))
        or name.startswith("n_")
    )


def _pinnable(board: Scoreboard) -> dict[str, float]:
    return {
        key: value
        for key, value in board.figures().items()
        if not _is_count(key) and key != "classifier.folds"
    }


def read_floors(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"sets": None, "limit": None, "floors": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def check_floors(board: Scoreboard, floors_path: Path) -> list[str]:
    """One message per pinned figure that is below its floor (or above its ceiling), or missing.

    A set named in the file's `tolerances` may fall short of its floors by that much: its
    models are trained during the run, and another processor's arithmetic can move their
    last digits even with every package at its locked version."""
    pinned = read_floors(floors_path)
    floors = pinned.get("floors", {})
    tolerances: dict[str, float] = pinned.get("tolerances", {})
    figures = board.figures()
    failures = []
    for key, floor in sorted(floors.items()):
        set_name = key.split(".", 1)[0]
        if key not in figures:
            reason = board.unavailable.get(set_name, "figure not produced")
            failures.append(f"{key}: pinned at {floor}, missing ({reason})")
            continue
        value = figures[key]
        slack = tolerances.get(set_name, 0.0) + 1e-9
        if _is_ceiling(key) and value > floor + slack:
            failures.append(f"{key}: {value} above ceiling {floor}")
        elif not _is_ceiling(key) and value < floor - slack:
            failures.append(f"{key}: {value} below floor {floor} (by {floor - value:.4f})")
    return failures


def raise_floors(board: Scoreboard, floors_path: Path) -> dict[str, float]:
    """Pin current figures: floors move up only, ceilings down only, new figures are added."""
    data = read_floors(floors_path)
    floors: dict[str, float] = dict(data.get("floors", {}))
    for key, value in _pinnable(board).items():
        if key not in floors:
            floors[key] = value
        elif _is_ceiling(key):
            floors[key] = min(floors[key], value)
        else:
            floors[key] = max(floors[key], value)
    data["floors"] = dict(sorted(floors.items()))
    # the run the floors belong to (the CI subset), kept once pinned
    if not data.get("sets"):
        data["sets"] = sorted(board.sets)
    if data.get("limit") is None:
        data["limit"] = board.limit
    floors_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data["floors"]
