"""The event model's training table: silver weighting, implied negatives, user files, splits."""

import json

from eventline.training import event_data
from eventline.training.event_data import GOLD, SCREEN, SCREEN_MISS, SILVER
from eventline.training.event_training import fold_of


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_voa_quotes_carry_verified_types_and_weighted_implied_negatives(tmp_path):
    _write(tmp_path / "screen.jsonl", [
        {"doc_id": "d1", "candidates": ["ASSAULT", "ACCUSE", "AID"],
         "quotes": {"ASSAULT": "Troops  shelled the town", "AID": "Donors sent food"}},
    ])  # fmt: skip
    _write(tmp_path / "verify.jsonl", [
        {"doc_id": "d1", "event_type": "ASSAULT", "label": 1, "quote": "Troops shelled the town"},
        {"doc_id": "d1", "event_type": "AID", "label": 0, "quote": ""},
    ])  # fmt: skip
    examples = {e.text: e for e in event_data.voa_examples(tmp_path)}
    assert set(examples) == {"Troops shelled the town"}  # a rejected type's quote is dropped
    shelled = examples["Troops shelled the town"]
    assert shelled.group == "voa:d1" and shelled.event == (1, SILVER)
    assert shelled.plover["ASSAULT"] == (1, SILVER)
    assert shelled.plover["AID"] == (0, SILVER)  # verification said no
    assert "ACCUSE" not in shelled.plover  # proposed by the screen, never verified: unknown
    assert shelled.plover["PROTEST"] == (0, SILVER * (1 - SCREEN_MISS["PROTEST"]))
    assert shelled.quad_class == (4, SILVER)


def test_screen_quotes_are_weak_positives(tmp_path):
    _write(tmp_path / "screen.jsonl", [{"doc_id": "d2", "candidates": ["PROTEST"], "quotes": {"PROTEST": "Crowds marched"}}])
    _write(tmp_path / "verify.jsonl", [])
    (example,) = event_data.voa_examples(tmp_path)
    assert example.plover["PROTEST"] == (1, SCREEN)


def test_user_file_rows(tmp_path):
    path = tmp_path / "mine.jsonl"
    _write(path, [
        {"text": "Police arrested twelve protesters", "event_types": ["COERCE"], "doc": "a"},
        {"text": "The festival opens on Friday", "event_types": []},
        {"text": "   "},
    ])  # fmt: skip
    arrested, festival = event_data.load_user_examples(path)
    assert arrested.plover["COERCE"] == (1, GOLD) and arrested.plover["ASSAULT"] == (0, GOLD)
    assert arrested.quad_class == (4, GOLD) and arrested.group == "user:a"
    assert festival.event == (0, GOLD) and festival.quad_class == (0, GOLD)


def test_cameo_codes_map_to_plover_by_longest_prefix():
    table = {"19": "ASSAULT", "190": "ASSAULT", "11": "ACCUSE", "0311": "AGREE"}
    assert event_data.plover_of_cameo("1951", table) == "ASSAULT"
    assert event_data.plover_of_cameo("111", table) == "ACCUSE"
    assert event_data.plover_of_cameo("0311", table) == "AGREE"
    assert event_data.plover_of_cameo("999", table) is None


def test_folds_keep_a_document_together_and_are_stable():
    assert fold_of("voa:d1") == fold_of("voa:d1")
    assert {fold_of(f"voa:doc{i}") for i in range(50)} == set(range(5))
    # a sentence in two sets is held out from both at once
    assert all(fold_of(f"case:text {i}") == fold_of(f"gsr:text {i}") for i in range(50))


def test_merging_joins_labels_of_one_sentence():
    a = event_data.Example("x", "g", "o", plover={"AID": (1, 1.0)})
    b = event_data.Example("x", "g", "o", plover={"AID": (0, 0.5), "AGREE": (0, 0.5)}, quad_class=(2, 1.0))
    (merged,) = event_data._merged([a, b])
    assert merged.plover == {"AID": (1, 1.0), "AGREE": (0, 0.5)} and merged.quad_class == (2, 1.0)


def test_unlabelled_sentences_are_weak_negatives_of_every_type_datelines_included(tmp_path):
    folder = tmp_path / "timebank"
    folder.mkdir()
    (folder / "a.tml").write_text(
        "<TimeML><DOCID>wire1</DOCID><TEXT>HAVANA (AP) -- The port reopened on Monday after "
        "repairs. Thanks. Trade resumed.</TEXT></TimeML>",
        encoding="utf-8",
    )
    examples = {e.text: e for e in event_data._timebank(tmp_path)}
    assert "Thanks." not in examples  # one word: nothing to learn from
    resumed = examples["Trade resumed."]
    assert resumed.group == "timebank:wire1" and resumed.event == (0, event_data.UNLABELLED)
    assert resumed.plover == {t: (0, event_data.UNLABELLED_TYPE) for t in event_data.PLOVER_TYPES}


def test_sub_event_types_name_a_plover_type_only_where_the_lexicon_agrees():
    table = event_data.plover_of_sub_event()
    assert table["Armed clash"] == "ASSAULT" and table["Arrests"] == "COERCE"
    assert table["Peaceful protest"] == "PROTEST"
    assert "Other" not in table and "Agreement" not in table  # their triggers name several types
