"""The "with_fallback_" figures: the classifier answers only where the pipeline found no event."""

from eventline.evaluation import case2021, conflibert, fallback, plover_gsr
from eventline.model import Document, Event, Result


def _result(*events: Event) -> Result:
    return Result(document=Document(id="d", text="x"), events=list(events))


def _event(event_type: str, **kw) -> Event:
    return Event(
        id="e", doc_id="d", sentence="", char_start=0, char_end=1, event_type=event_type, **kw
    )


def test_case_fallback_answers_only_for_texts_without_an_event():
    records = [
        case2021.CaseRecord("a", "t1", "AIR_STRIKE"),
        case2021.CaseRecord("b", "t2", "ARREST"),
    ]
    results = [_result(_event("ASSAULT", acled_sub_event_type="Armed clash")), _result()]
    answers = [
        {"acled_sub_event": ("Air/drone strike", 0.9)},
        {"acled_sub_event": ("Arrests", 0.4)},
    ]
    figures = fallback.case_fallback(records, results, answers)
    assert figures["no_event_share"] == 0.5
    assert figures["with_fallback_subtype_accuracy"] == 0.5  # the event's own type is kept


def test_plover_and_quad_fallbacks():
    plover = [
        plover_gsr.PloverRecord("a", "t1", "ASSAULT"),
        plover_gsr.PloverRecord("b", "t2", "PROTEST"),
    ]
    results = [_result(_event("ASSAULT", quad_class=4)), _result()]
    figures = fallback.plover_fallback(
        plover, results, [{"plover": ("AID", 0.9)}, {"plover": ("PROTEST", 0.6)}]
    )
    assert figures["with_fallback_event_type_accuracy"] == 1.0
    quads = [conflibert.QuadRecord("a", "t1", 4), conflibert.QuadRecord("b", "t2", 3)]
    figures = fallback.quad_fallback(
        quads, results, [{"quad_class": ("1", 0.9)}, {"quad_class": ("3", 0.5)}]
    )
    assert figures["with_fallback_quad_accuracy"] == 1.0 and figures["no_event_share"] == 0.5
    assert fallback.quad_fallback(quads, results, [{}, {}])["with_fallback_quad_accuracy"] == 0.5
