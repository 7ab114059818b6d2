"""The pipeline's figures on held-out silver VOA quotes: sample by article, score known answers."""

import json

from eventline.evaluation import ngec_voa
from eventline.model import Document, Event, Result


def _result(*types: str) -> Result:
    events = [
        Event(id=f"e{n}", doc_id="d", sentence="", char_start=0, char_end=1, event_type=t, confidence=0.9 - n / 10)
        for n, t in enumerate(types)
    ]
    return Result(document=Document(id="d", text="x"), events=events)


def _write(folder, screen, verify) -> None:
    folder.mkdir(parents=True)
    for name, rows in (("screen.jsonl", screen), ("verify.jsonl", verify)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_sample_keeps_whole_articles_and_their_known_answers(tmp_path):
    _write(
        tmp_path / "train" / "ngec_voa",
        [
            {"doc_id": "a1", "candidates": ["PROTEST"], "quotes": {}},
            {"doc_id": "a2", "candidates": ["ACCUSE"], "quotes": {}},
        ],
        [
            {"doc_id": "a1", "event_type": "PROTEST", "label": 1, "quote": "Crowds marched."},
            {"doc_id": "a1", "event_type": "ASSAULT", "label": 0, "quote": ""},
            {"doc_id": "a2", "event_type": "ACCUSE", "label": 1, "quote": "He blamed them."},
        ],
    )
    records = ngec_voa.load(tmp_path / "eval" / "dev")
    by_text = {r.text: r for r in records}
    assert set(by_text) == {"Crowds marched.", "He blamed them."}
    crowds = by_text["Crowds marched."]
    assert crowds.answers["PROTEST"] == 1 and crowds.answers["ASSAULT"] == 0
    assert crowds.answers["ACCUSE"] == 0  # not proposed by the screen: an implied negative
    assert len(ngec_voa.load(tmp_path / "eval" / "dev", limit=1)) == 1
    assert ngec_voa.load(tmp_path / "other" / "eval" / "dev") == []


def test_score_counts_every_event_type_and_quotes_with_none():
    records = [
        ngec_voa.VoaRecord("a#0", "t", "a", {"PROTEST": 1, "ASSAULT": 0}),
        ngec_voa.VoaRecord("b#0", "t", "b", {"ACCUSE": 1, "PROTEST": 0}),
    ]
    figures = ngec_voa.score(records, [_result("PROTEST", "ASSAULT"), _result()])
    assert figures["no_event_share"] == 0.5
    assert figures["event_type_accuracy"] == 0.5  # the main event of the first is right
    # PROTEST: tp 1; ASSAULT: fp 1; ACCUSE: fn 1 -> F1 1, 0, 0
    assert figures["multilabel_type_macro_f1"] == round(1 / 3, 4)
