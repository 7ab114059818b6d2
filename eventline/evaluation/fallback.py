"""Fallback figures of the labelled sets (CASE 2021, PLOVER GSR, ConfliBERT quad classes).

Each of these sets labels a text with one type. The sets' own figures score the type of the
pipeline's most confident event, and a text where it extracted none counts as a miss; the
"with_fallback_" figures score what the system answers for the text as a whole: that type,
or the event model's (out-of-fold) label when the pipeline extracted no event.
"no_event_share" says how often the fallback answered.

Reads: a set's records, the pipeline's results and the event model's answers for the texts.
Writes: the "with_fallback_" figures and "no_event_share". Used by eventline.evaluation.runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventline.evaluation import case2021, conflibert, plover_gsr
from eventline.model import Result


def _fallback_figures(
    no_event: Sequence[bool], figures: dict[str, Any], keys: Sequence[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {f"with_fallback_{key}": figures[key] for key in keys}
    out["no_event_share"] = round(sum(no_event) / len(no_event), 4) if no_event else 0.0
    return out


def case_fallback(
    records: Sequence[case2021.CaseRecord],
    results: Sequence[Result],
    answers: Sequence[dict[str, tuple[str, float]]],
) -> dict[str, Any]:
    from eventline.extraction.labels import AcledLabels

    labels = AcledLabels.load()
    predicted = [case2021.predicted_code(result, labels) for result in results]
    no_event = [code == case2021.NO_EVENT for code in predicted]
    for index, answer in enumerate(answers):
        if no_event[index] and "acled_sub_event" in answer:
            predicted[index] = labels.code_for(answer["acled_sub_event"][0]) or case2021.NO_EVENT
    figures = case2021.score_labels(
        [r.label for r in records], predicted, [r.text for r in records]
    )
    keys = ("subtype_weighted_f1", "subtype_macro_f1", "subtype_accuracy", "event_type_accuracy")
    return _fallback_figures(no_event, figures, keys)


def plover_fallback(
    records: Sequence[plover_gsr.PloverRecord],
    results: Sequence[Result],
    answers: Sequence[dict[str, tuple[str, float]]],
) -> dict[str, Any]:
    from eventline.evaluation import metrics
    from eventline.extraction.labels import current_plover_event

    gold = [r.event for r in records]
    predicted: list[str] = []
    no_event: list[bool] = []
    for result, answer in zip(results, answers, strict=True):
        event = plover_gsr.main_event(result)
        no_event.append(event is None)
        if event is not None:
            predicted.append(current_plover_event(event.event_type))
        else:
            predicted.append(answer.get("plover", (plover_gsr.NO_EVENT, 0.0))[0])
    figures = {
        "event_type_accuracy": round(metrics.accuracy(gold, predicted), 4),
        "event_type_macro_f1": round(metrics.macro_f1(gold, predicted, sorted(set(gold))), 4),
    }
    return _fallback_figures(no_event, figures, tuple(figures))


def quad_fallback(
    records: Sequence[conflibert.QuadRecord],
    results: Sequence[Result],
    answers: Sequence[dict[str, tuple[str, float]]],
) -> dict[str, Any]:
    predicted: list[int] = []
    no_event: list[bool] = []
    for result, answer in zip(results, answers, strict=True):
        typed = any(e.quad_class is not None for e in result.events)
        no_event.append(not typed)
        if typed:
            predicted.append(conflibert.predicted_quad_class(result))
        else:
            predicted.append(int(answer.get("quad_class", ("0", 0.0))[0]))
    figures = conflibert.score_quad_labels(
        [r.quad_class for r in records], predicted, [r.text for r in records]
    )
    return _fallback_figures(no_event, figures, ("quad_accuracy", "quad_macro_f1"))
