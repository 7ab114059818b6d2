"""`eventline eval`: run the pipeline over the gold sets and collect one scoreboard.

    eventline eval [SET...] [--data DIR] [--limit N] [--json] [--write docs/accuracy.md]
                   [--check] [--raise-floors]

Trained components are scored out-of-fold: texts the event model was trained on are run with
the fold model that never saw their document (eventline/training), everything else with the
shipped model.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventline.errors import ConfigError, Msg
from eventline.evaluation import case2021, conflibert, muc4, ngec_voa, petrarch, plover_gsr
from eventline.evaluation.fallback import case_fallback, plover_fallback, quad_fallback
from eventline.evaluation.report import check_floors, format_table, raise_floors, write_accuracy_md
from eventline.evaluation.scoreboard import Scoreboard
from eventline.model import Document, Result

# `eventline eval` runs in a checkout, from its root: the floors, the notes and the dedupe
# corpora are files of the repository, not data of the installed package. The gold sets lie
# beside it (../shared) unless $EVENTLINE_SHARED says where.
DEFAULT_DATA = Path(os.environ.get("EVENTLINE_SHARED") or Path.cwd().parent / "shared") / "eval" / "dev"
DEFAULT_FLOORS = Path("eval-floors.json")
def run(
    sets: list[str] | None = None,
    data_dir: Path = DEFAULT_DATA,
    limit: int | None = None,
    as_json: bool = False,
) -> Scoreboard:
    """Score the named sets (all by default). Raises ConfigError E404 / E405.

    `as_json` is accepted for the CLI's sake; the scoreboard is the same either way.
    """
    del as_json
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ConfigError(Msg.E404, path=str(data_dir))
    chosen = list(sets or ALL_SETS)
    for name in chosen:
        if name not in ALL_SETS:
            raise ConfigError(Msg.E405, value=name, options=", ".join(ALL_SETS))
    board = Scoreboard(
        created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=_git_commit(),
        data_dir=str(data_dir),
        limit=limit,
    )
    system = (
        _System(data_dir) if any(s in PIPELINE_SETS or s == "classifier" for s in chosen) else None
    )
    # One BLAS thread while models are trained and scored: sums taken in another order by
    # more threads change the last digits of a trained model, and so its figures.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        for name in chosen:
            _score_into(board, name, data_dir, limit, system)
    return board


def _score_into(
    board: Scoreboard, name: str, data_dir: Path, limit: int | None, system: _System | None
) -> None:
    started = time.perf_counter()
    try:
        figures = _score_set(name, data_dir, limit, system)
    except _Unavailable as reason:
        board.unavailable[name] = str(reason)
        return
    except Exception as error:  # one broken set must not hide the others
        board.unavailable[name] = f"failed: {type(error).__name__}: {error}"
        return
    board.sets[name] = figures
    board.seconds[name] = round(time.perf_counter() - started, 1)


class _Unavailable(Exception):
    """A set cannot be scored in this installation (a module or the model is missing)."""


class _System:
    """The pipeline under test, with out-of-fold classifier models swapped in per fold."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._pipelines: dict[tuple[str, ...], Any] = {}
        self._folds: tuple[list, dict[str, int], list] | None = None
        self.crossed: Any = None
        self.crashes = 0

    def folds(self) -> tuple[list, dict[str, int], list]:
        """(training examples, text -> fold, fold models), built once per run: each fold model
        never saw the documents of its fold (eventline.training.event_training)."""
        if self._folds is None:
            from eventline.extraction.event_model import encoder_enabled
            from eventline.training import event_data, event_training

            examples = event_data.training_examples(self.data_dir)
            crossed = event_training.cross_fit(examples)
            if encoder_enabled():  # each fold model's encoder-backed reader, of the same fold
                context = event_training.cross_fit(examples, event_training.CONTEXT_SETTINGS)
                for model, reader in zip(crossed.models, context.models, strict=True):
                    model.context = reader
            assignment: dict[str, int] = {}
            for example, fold in zip(examples, crossed.folds, strict=True):
                assignment.setdefault(example.text, fold)
                assignment.setdefault(_text_key(example.text), fold)
            self.crossed = crossed
            self._folds = (examples, assignment, crossed.models)
        return self._folds

    def pipeline(self, actor_files: Sequence[Path] = (), tagger: bool = True) -> Any:
        """The pipeline; `tagger=False` runs it without the span tagger, for the sets whose
        sentences the tagger was trained on (its own figures there are out of fold)."""
        key = (*(str(p) for p in actor_files), f"tagger={tagger}")
        if key not in self._pipelines:
            try:
                from eventline.pipeline import Pipeline
            except ImportError as error:
                raise _Unavailable(
                    f"not available: the pipeline cannot be imported ({error})"
                ) from error
            self._pipelines[key] = Pipeline(actor_files=list(actor_files))
            if not tagger:
                self._pipelines[key].span_tagger = None
        return self._pipelines[key]

    def process(
        self, documents: Sequence[Document], actor_files: Sequence[Path] = (), tagger: bool = True
    ) -> tuple[list[Result | None], int]:
        """Results aligned with `documents` (None where the pipeline crashed) and the crash count."""
        pipeline = self.pipeline(actor_files, tagger)
        shared = _shared_classifier()
        groups: dict[int, list[int]] = {}
        if shared is not None:
            _, assignment, _ = self.folds()
            for index, document in enumerate(documents):
                fold = assignment.get(document.text, assignment.get(_text_key(document.text), -1))
                groups.setdefault(fold, []).append(index)
        else:
            groups[-1] = list(range(len(documents)))
        results: list[Result | None] = [None] * len(documents)
        crashes = 0
        for fold, indexes in sorted(groups.items()):
            batch = [documents[i] for i in indexes]
            if fold >= 0 and shared is not None:
                with shared.swapped(self.folds()[2][fold]):
                    outcome, failed = _process_all(pipeline, batch)
            else:
                outcome, failed = _process_all(pipeline, batch)
            crashes += failed
            for index, result in zip(indexes, outcome, strict=True):
                results[index] = result
        return results, crashes

    def classify(self, documents: Sequence[Document]) -> list[dict[str, tuple[str, float]]]:
        """The sentence classifier's answers for whole documents, each from the fold model that
        never saw the text (the shipped model for texts outside the training sets)."""
        shared = _shared_classifier()
        if shared is None:
            return [{} for _ in documents]
        _, assignment, models = self.folds()
        groups: dict[int, list[int]] = {}
        for index, document in enumerate(documents):
            fold = assignment.get(document.text, assignment.get(_text_key(document.text), -1))
            groups.setdefault(fold, []).append(index)
        out: list[dict[str, tuple[str, float]]] = [{} for _ in documents]
        for fold, indexes in groups.items():
            model = models[fold] if fold >= 0 else shared
            answers = model.predict([documents[i].text for i in indexes])
            for index, answer in zip(indexes, answers, strict=True):
                out[index] = answer
        return out


def _process_all(pipeline: Any, documents: list[Document]) -> tuple[list[Result | None], int]:
    """Batch first; if the batch raises, go one by one so one crash costs one document."""
    try:
        results: list[Result | None] = list(pipeline.process_many(documents))
        if len(results) == len(documents):
            return results, sum(_crashed(r) for r in results)
    except Exception:  # noqa: BLE001 - counted as crashes below
        pass
    results, crashes = [], 0
    for document in documents:
        try:
            result = pipeline.process(document)
        except Exception:  # noqa: BLE001 - a crash is a figure here, not an error
            results.append(None)
            crashes += 1
            continue
        results.append(result)
        crashes += _crashed(result)
    return results, crashes


def _crashed(result: Result | None) -> bool:
    return result is None or any(p.code == Msg.E201.name for p in result.problems)


def _shared_classifier() -> Any:
    try:
        from eventline.extraction.event_model import EventModel

        return EventModel.load()
    except (ImportError, FileNotFoundError):
        return None


def _text_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _documents(
    records: Sequence[Any], published_of: Callable[[Any], Any] = lambda r: None
) -> list[Document]:
    return [Document(id=r.id, text=r.text, published=published_of(r), origin=r.id) for r in records]


def _with_empty(results: Sequence[Result | None], documents: Sequence[Document]) -> list[Result]:
    return [
        r if r is not None else Result(document=d) for r, d in zip(results, documents, strict=True)
    ]


def _score_set(name: str, data_dir: Path, limit: int | None, system: _System | None) -> dict:
    if name == "classifier":
        return _score_classifier(system)
    if name in PIPELINE_SETS:
        assert system is not None
        return PIPELINE_SETS[name](data_dir, limit, system)
    return _score_external(name, data_dir, limit)


def _score_classifier(system: _System | None) -> dict:
    """k-fold figures of the event model alone (held out by document), one flat block."""
    if _shared_classifier() is None:
        raise _Unavailable("not available: scikit-learn or the event model is missing")
    from eventline.training import event_figures, event_training

    assert system is not None
    examples, _, _ = system.folds()
    threshold = event_training.SETTINGS.type_threshold
    # each type at the threshold its fold model ships with, as the model card reports it
    per_type = system.crossed.type_thresholds()
    figures = event_figures.figures(examples, system.crossed.readings, threshold, per_type)
    flat: dict[str, Any] = {"folds": event_training.FOLDS}
    for set_name, values in figures.items():
        if set_name == "reliability":
            continue
        for key, value in values.items():
            flat[f"{set_name}_{key}"] = value
    for casing, values in system.crossed.casing_figures(examples, threshold).items():
        flat.update({f"{casing}_cased_{key}": value for key, value in values.items()})
    return flat


# how a set is scored: (gold data folder, item limit, the system under test) -> figures
SetScorer = Callable[[Path, int | None, "_System"], dict[str, Any]]


def _labelled_set(
    load: Callable[[Path, int | None], Sequence[Any]],
    score: Callable[[Sequence[Any], Sequence[Result]], dict[str, Any]],
    fallback: Callable[..., dict[str, Any]] | None = None,
    tagger: bool = True,
) -> SetScorer:
    """A set scored the one usual way: load its records, run the pipeline over their texts,
    score the results (a text the pipeline crashed on counts as one with no event), add the
    fallback figures when the set has them, and count the crashes. `tagger=False` for the
    sets whose sentences the span tagger was trained on."""

    def scorer(data_dir: Path, limit: int | None, system: _System) -> dict[str, Any]:
        records = load(data_dir, limit)
        documents = _documents(records)
        results, crashes = system.process(documents, tagger=tagger)
        scored = _with_empty(results, documents)
        figures = dict(score(records, scored))
        if fallback is not None:
            figures.update(fallback(records, scored, system.classify(documents)))
        figures["crashes"] = crashes
        return figures

    return scorer


def _score_petrarch(data_dir: Path, limit: int | None, system: _System) -> dict[str, Any]:
    """PETRARCH's texts carry their own dates; its validation actor, agent and verb
    dictionaries go in as a PETRARCH user would pass them."""
    records = petrarch.load(data_dir, limit)
    documents = _documents(records, lambda r: r.published)
    results, crashes = system.process(documents, actor_files=petrarch.dictionaries(data_dir))
    return petrarch.score(records, results, crashes)


def _score_conflibert_spans(data_dir: Path, limit: int | None, system: _System) -> dict[str, Any]:
    """The pipeline's spans (without the tagger, trained on these sentences) and the
    tagger's own out-of-fold figures."""
    figures = _labelled_set(conflibert.load_spans, conflibert.score_spans, tagger=False)(
        data_dir, limit, system
    )
    return {**figures, **conflibert.tagger_figures(data_dir, limit)}


# The sets the pipeline itself is scored on, in report order.
PIPELINE_SETS: dict[str, SetScorer] = {
    "plover_gsr": _labelled_set(plover_gsr.load, plover_gsr.score, plover_fallback),
    "case2021": _labelled_set(case2021.load, case2021.score, case_fallback),
    "conflibert_quad": _labelled_set(
        conflibert.load_classes, conflibert.score_classes, quad_fallback, tagger=False
    ),
    "conflibert_spans": _score_conflibert_spans,
    "ngec_voa": _labelled_set(ngec_voa.load, ngec_voa.score),
    "petrarch": _score_petrarch,
    "muc4": _labelled_set(muc4.load, muc4.score),
}
# Sets scored by a module of their own (which may be missing from an installation).
EXTERNAL_SETS = {"timebank": "timebank", "lgl": "geo", "trnews": "geo", "dedupe": "dedupe_eval"}
ALL_SETS = ("classifier", *PIPELINE_SETS, *EXTERNAL_SETS)


def _score_external(name: str, data_dir: Path, limit: int | None) -> dict:
    """Sets scored by other modules; a missing module is reported, not fatal."""
    module_name = EXTERNAL_SETS[name]
    try:
        module = __import__(f"eventline.evaluation.{module_name}", fromlist=["_"])
    except ImportError as error:
        raise _Unavailable(
            f"not available: eventline.evaluation.{module_name} ({error})"
        ) from error
    if name == "timebank":
        return dict(module.score_timebank(data_dir / "timebank", limit=limit))
    if name in ("lgl", "trnews"):
        return dict(module.score_geo(data_dir, name, limit=limit))
    return _score_dedupe_corpora(module, data_dir)


# The labelled dedupe corpora written for the project (tests/fixtures): `dev` was used while
# the matching rules were set, `unseen` was written afterwards to score them on new reports.
FIXTURES = Path("tests") / "fixtures"
DEDUPE_CORPORA = {"dev": "dedupe", "unseen": "dedupe_unseen"}


def _score_dedupe_corpora(module: Any, data_dir: Path) -> dict:
    """Pairwise merge figures per corpus: on hand-coded reports (the matcher alone) and on
    the extractor's reports of the same texts (end to end). A `dedupe/` folder in the data
    directory, when present, is scored too, as `data`."""
    corpora = {name: FIXTURES / folder for name, folder in DEDUPE_CORPORA.items()}
    corpora["data"] = data_dir / "dedupe"
    out: dict[str, Any] = {}
    for name, corpus in corpora.items():
        if not (corpus / "expected.json").is_file():
            continue
        hand_made = module.score_dedupe(corpus)
        extracted = module.score_dedupe(corpus, use_extractor=True)
        out.update(
            {
                f"{name}_precision": hand_made["precision"],
                f"{name}_recall": hand_made["recall"],
                f"{name}_f1": hand_made["f1"],
                f"{name}_gold_pairs": hand_made["gold_pairs"],
                f"{name}_incidents": hand_made["incidents"],
                f"{name}_e2e_precision": extracted["precision"],
                f"{name}_e2e_recall": extracted["recall"],
                f"{name}_e2e_f1": extracted["f1"],
                f"{name}_e2e_gold_pairs": extracted["gold_pairs"],
                f"{name}_e2e_unlabelled": extracted["unlabelled"],
            }
        )
    if not out:
        raise _Unavailable("not available: no labelled dedupe corpus (tests/fixtures/dedupe)")
    return out


def _git_commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return completed.stdout.strip() or "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventline eval", description="Score eventline on gold sets."
    )
    parser.add_argument(
        "sets", nargs="*", metavar="SET", help=f"sets to score: {', '.join(ALL_SETS)}"
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder holding the gold sets"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="score only the first N items per set"
    )
    parser.add_argument("--json", action="store_true", help="print the scoreboard as JSON")
    parser.add_argument("--write", type=Path, default=None, help="write a Markdown report here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a figure is below its floor"
    )
    parser.add_argument(
        "--raise-floors", action="store_true", help="move floors up to current figures"
    )
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="the floors file")
    parser.add_argument(
        "--encoder", action="store_true",
        help="the encoder-backed event model re-reads candidate sentences (as extract --encoder)",
    )  # fmt: skip
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command: 0 ok, 1 a figure fell below its floor, 2 bad usage or missing data."""
    args = build_parser().parse_args(argv)
    if args.encoder:
        from eventline.extraction.event_model import enable_encoder

        enable_encoder()
    if args.check and not args.sets:
        # the gate re-runs the subset its floors were pinned on
        pinned = (
            json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.is_file() else {}
        )
        args.sets = pinned.get("sets") or []
        args.limit = args.limit if args.limit is not None else pinned.get("limit")
    try:
        board = run(args.sets or None, args.data, args.limit, args.json)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(board.to_dict(), indent=2) if args.json else format_table(board))
    if args.write:
        write_accuracy_md(board, args.write)
    if args.raise_floors:
        raise_floors(board, args.floors)
    if args.check:
        failures = check_floors(board, args.floors)
        for failure in failures:
            print(f"below floor: {failure}", file=sys.stderr)
        if failures:
            return 1
    return 0
