"""Loaders and per-set scoring on tiny hand-made files laid out like the gold folders."""

import json
from pathlib import Path

from eventline.evaluation import case2021, conflibert, muc4, petrarch, plover_gsr
from eventline.model import Actor, Document, Event, Place, Result, Role


def _event(event_type="ASSAULT", actor1=None, actor2=None, **kw) -> Event:
    return Event(
        id="e",
        doc_id="d",
        sentence="",
        char_start=0,
        char_end=1,
        event_type=event_type,
        actor1=actor1,
        actor2=actor2,
        **kw,
    )


def _result(*events: Event) -> Result:
    return Result(document=Document(id="d", text="x"), events=list(events))


def test_plover_gsr_loads_and_scores(tmp_path: Path):
    (tmp_path / "plover_gsr").mkdir()
    records = [
        {"id": "doc", "event": "DOCUMENT", "eventText": "notes"},
        {
            "id": "r1",
            "event": "FIGHT",
            "text": "Rebels shelled  the town.",
            "source": [{"actorText": "Rebels", "code": "SYR"}],
            "target": "",
            "eventLoc": {"name": "Homs"},
            "dead": "3",
        },
        {
            "id": "r2",
            "event": "DISAPPROVE",
            "text": "Chad criticised Niger.",
            "source": [{"actorText": "Chad", "code": "TCD"}],
            "target": [{"actorText": "Niger", "code": "NER"}],
        },
    ]
    (tmp_path / plover_gsr.FILE_NAME).write_text(json.dumps(records), encoding="utf-8")
    loaded = plover_gsr.load(tmp_path)
    assert [r.id for r in loaded] == ["r1", "r2"]
    assert loaded[0].text == "Rebels shelled the town."
    assert loaded[0].event == "ASSAULT"  # older vocabulary mapped to the current one
    assert loaded[0].targets == [] and loaded[0].dead == 3 and loaded[0].location == "Homs"
    assert loaded[1].triples() == {("TCD", "ACCUSE", "NER")}

    results = [
        _result(
            _event(
                "ASSAULT",
                Actor(text="rebels", country="SYR"),
                fatalities=3,
                location=Place(text="Homs", name="Homs"),
            )
        ),
        _result(
            _event("ACCUSE", Actor(text="Chad", country="TCD"), Actor(text="Niger", country="NER"))
        ),
    ]
    scores = plover_gsr.score(loaded, results)
    assert scores["event_type_accuracy"] == 1.0
    assert scores["triple_f1"] == 1.0
    assert scores["location_accuracy"] == 1.0 and scores["deaths_accuracy"] == 1.0
    assert scores["triple_failures"]["outcomes"]["all triples found"] == 2
    empty = plover_gsr.score(loaded, [_result(), _result()])
    assert empty["event_type_accuracy"] == 0.0 and empty["triple_recall"] == 0.0
    assert empty["triple_failures"]["outcomes"]["no event"] == 2


def test_case2021_collapses_to_event_types(tmp_path: Path):
    (tmp_path / "case2021").mkdir()
    (tmp_path / case2021.FILE_NAME).write_text(
        "id\tEventSnippet\tSubType\n1\tTroops clashed with rebels.\tARMED_CLASH\n2\tA quake hit.\tNATURAL_DISASTER\n",
        encoding="utf-8",
    )
    records = case2021.load(tmp_path)
    assert [r.label for r in records] == ["ARMED_CLASH", "NATURAL_DISASTER"]
    results = [_result(_event(acled_sub_event_type="Government regains territory")), _result()]
    scores = case2021.score(records, results)
    assert scores["subtype_accuracy"] == 0.0
    assert scores["event_type_accuracy"] == 0.5  # both are Battles; the miss stays a miss


def test_conflibert_classes_and_spans(tmp_path: Path):
    (tmp_path / "conflibert_cameo").mkdir()
    (tmp_path / conflibert.CLASS_FILE).write_text(
        "Troops attacked a village.\t4\nTalks went on.\t0\n", encoding="utf-8"
    )
    (tmp_path / conflibert.NER_FILE).write_text(
        "The B-S\narmy I-S\nshelled O\nrebels B-T\n's O\nposts O\n. O\n\nNothing O\nhappened O\n",
        encoding="utf-8",
    )
    classes = conflibert.load_classes(tmp_path)
    assert [r.quad_class for r in classes] == [4, 0]
    scores = conflibert.score_classes(classes, [_result(_event(quad_class=4)), _result()])
    assert scores["quad_accuracy"] == 1.0
    spans = conflibert.load_spans(tmp_path)
    assert spans[0].text == "The army shelled rebels's posts."
    assert spans[0].sources == ["The army"] and spans[0].targets == ["rebels"]
    span_scores = conflibert.score_spans(
        spans, [_result(_event(actor1=Actor(text="army"), actor2=Actor(text="posts"))), _result()]
    )
    assert span_scores["source_exact_f1"] == 1.0
    assert span_scores["target_exact_precision"] == 0.0


def test_bio_spans_handles_stray_inside_tags():
    assert conflibert.bio_spans(["B-S", "I-S", "O", "I-T", "B-T"]) == [
        ("S", 0, 2),
        ("T", 3, 4),
        ("T", 4, 5),
    ]


def test_petrarch_records_and_dictionaries(tmp_path: Path):
    folder = tmp_path / petrarch.FOLDER
    folder.mkdir()
    (folder / petrarch.RECORDS_FILE).write_text(
        """<Validation><Sentences>
<Sentence date="19950101" id="T-1" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GONGOV" eventcode="064"></EventCoding>
<Text>Arnor restored ties with the Gondor government.</Text></Sentence>
<Sentence date="19950102" id="T-2"><EventCoding noevents="True"></EventCoding><Text>Nothing.</Text></Sentence>
</Sentences></Validation>""",
        encoding="utf-8",
    )
    (folder / petrarch.ACTORS_FILE).write_text(
        "<!-- header -->\nARNOR [ARN] # note\n+ARNORIAN\nFRANCE [FRA]\nGOLLUM\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\nITHILEN TELEVISION [ITHTV]\n",
        encoding="utf-8",
    )
    (folder / petrarch.AGENTS_FILE).write_text(
        "!PERSON! = MAN, MEN\nFOREIGN_MINISTER [~GOVFRM]\nCONGRESS!PERSON! [~LEG]\n",
        encoding="utf-8",
    )
    records = petrarch.load(tmp_path)
    assert records[0].triples == {("ARN", "GONGOV", "064")} and records[1].triples == set()
    assert [p.name for p in petrarch.dictionaries(tmp_path)] == [
        petrarch.ACTORS_FILE,
        petrarch.AGENTS_FILE,
        petrarch.VERBS_FILE,
    ]

    predicted = _result(
        _event(
            actor1=Actor(text="Arnor", code="ARN"),
            actor2=Actor(text="Gondor", code="GONMIL"),
            cameo="0641",
        )
    )
    scores = petrarch.score(records, [predicted, None], crashes=1)
    assert scores["strict_f1"] == 0.0 and scores["relaxed_f1"] == 1.0 and scores["crashes"] == 1


def test_muc4_entities_are_credited_once(tmp_path: Path):
    (tmp_path / "muc4").mkdir()
    doc = {
        "doc": "GUERRILLAS OF THE FMLN ATTACKED A TRUCK.",
        "roles": {
            "perp_individual_id": [["GUERRILLAS"]],
            "perp_organization_id": [["FMLN", "FARABUNDO MARTI"]],
            "phys_tgt_id": [["TRUCK", "A TRUCK"]],
            "hum_tgt_name": [],
        },
    }
    (tmp_path / muc4.FILE_NAME).write_text(json.dumps({"D1": doc}), encoding="utf-8")
    records = muc4.load(tmp_path)
    assert records[0].entities["target"] == [["TRUCK", "A TRUCK"]]
    assert records[0].entities["physical_target"] == [["TRUCK", "A TRUCK"]]

    def role(name: str, text: str) -> Role:
        return Role(name, text, 0, len(text))

    events = [
        _event(roles=[role("perpetrator_individual", "GUERRILLAS"), role("physical_target", "A TRUCK")]),
        _event(roles=[role("perpetrator_organization", "FMLN"), role("physical_target", "TRUCK")]),
        _event(roles=[role("perpetrator_individual", "SOLDIERS")]),
        # actors without roles fill no template
        _event("ACCUSE", actor1=Actor(text="THE ARMY"), actor2=Actor(text="FMLN"), quad_class=3),
    ]
    scores = muc4.score(records, [_result(*events)])
    assert scores["perp_organization_f1"] == 1.0 and scores["target_f1"] == 1.0
    assert scores["perp_individual_precision"] == 0.5 and scores["perp_individual_recall"] == 1.0
    assert scores["physical_target_f1"] == 1.0 and scores["human_target_f1"] == 0.0
