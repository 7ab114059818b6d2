"""eventline.training.attack_roles: template mentions become token tags where the story says
them, the tagger learns from the attack sentences and is scored on the sentences it reads,
and the out-of-fold score counts entities as the MUC-4 evaluation does."""

from __future__ import annotations

import json
from pathlib import Path

from eventline.extraction.attack_roles import attack_features
from eventline.extraction.frames import FrameFinder
from eventline.extraction.span_tagger import parse_tokens
from eventline.training.attack_roles import (
    Example,
    TemplateDoc,
    folds_of,
    learns_from,
    load_templates,
    mention_spans,
    predicted_strings,
    score,
    sentence_tags,
)


def test_templates_load_with_one_tag_per_slot(tmp_path: Path) -> None:
    story = {
        "doc": "URBAN GUERRILLAS BOMBED A BANK.",
        "roles": {"perp_individual_id": [["URBAN GUERRILLAS"]], "phys_tgt_id": [["BANK"]], "hum_tgt_name": []},
    }
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"B": {"doc": "NOTHING HAPPENED.", "roles": {}}, "A": story}), encoding="utf-8")
    docs = load_templates(path)
    assert [d.id for d in docs] == ["A", "B"]  # id order: folds do not depend on the file's order
    assert docs[0].entities["PI"] == [["URBAN GUERRILLAS"]] and docs[0].entities["PT"] == [["BANK"]]
    assert docs[0].has_incident and not docs[1].has_incident


def test_mentions_are_found_across_line_breaks_longest_first() -> None:
    text = "TERRORISTS OF THE FARABUNDO MARTI NATIONAL\nLIBERATION FRONT (FMLN) ATTACKED. FMLNX IS NOT FMLN."
    entities = {
        "PO": [["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]],
        "PI": [["TERRORISTS", "TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT"]],
    }
    spans = mention_spans(text, entities)
    assert [(text[a:b], tag) for a, b, tag in spans] == [
        ("TERRORISTS OF THE FARABUNDO MARTI NATIONAL\nLIBERATION FRONT", "PI"),
        ("FMLN", "PO"),
        ("FMLN", "PO"),  # the last word; "FMLNX" is another word
    ]


def test_sentence_tags_follow_character_spans() -> None:
    doc = parse_tokens(["Guerrillas", "bombed", "the", "Las", "Canas", "bridge", "."])
    text = doc.text
    start = text.index("Las")
    tags = sentence_tags(doc[:], [(start, start + len("Las Canas bridge"), "PT")])
    assert tags == ["O", "O", "O", "B-PT", "I-PT", "I-PT", "O"]


def test_score_credits_entities_and_drops_stories_not_kept() -> None:
    doc = TemplateDoc("A", "", {"PI": [["GUERRILLAS"]], "PO": [], "HT": [["JOSE PEREZ"]], "PT": [["BANK"]], "W": []})
    example = Example(doc, [], [])
    found = {"PI": {"guerrillas"}, "PO": {"army"}, "HT": {"jose perez"}, "PT": set(), "W": set()}
    kept = score([example], [found], [True])
    assert kept["perpetrator_individual_f1"] == 1.0 and kept["perpetrator_organization_precision"] == 0.0
    assert kept["target_precision"] == 1.0 and kept["target_recall"] == 0.5
    dropped = score([example], [found], [False])
    assert dropped["perpetrator_individual_recall"] == 0.0 and dropped["perpetrator_organization_precision"] == 0.0


def test_folds_are_deterministic_and_balanced() -> None:
    docs = [TemplateDoc(str(n), "") for n in range(12)]
    assert folds_of(docs) == folds_of(docs)
    assert sorted(folds_of(docs).count(f) for f in range(5)) == [2, 2, 2, 3, 3]


class _Tags:
    """A stand-in decoder: the "scores" it is given are the tags themselves."""

    def __init__(self, every_sentence: bool) -> None:
        self.every_sentence = every_sentence

    def decode(self, scores: list[str]) -> list[str]:
        return scores


def test_the_tagger_learns_from_every_sentence_of_an_incident_story_only() -> None:
    assert learns_from(attack=False, has_incident=True) and learns_from(attack=True, has_incident=False)
    assert not learns_from(attack=False, has_incident=False)


def test_the_tagger_learns_from_the_sentences_given_and_reads_them_all() -> None:
    finder = FrameFinder()
    attack = parse_tokens(["Rebels", "killed", "Jose", "Perez", "."])[:]
    victim = parse_tokens(["The", "victim", "was", "a", "judge", "."])[:]
    attack_tags = ["B-PI", "O", "B-HT", "I-HT", "O"]
    victim_tags = ["O", "O", "O", "O", "B-HT", "O"]
    doc = TemplateDoc("A", "", {"PI": [["REBELS"]], "HT": [["JOSE PEREZ"], ["JUDGE"]]})
    rows = [attack_features(attack, finder), None]
    example = Example(doc, [attack, victim], [attack_tags, victim_tags], [True, False], rows)
    assert [tags for _, tags in example.training_pairs()] == [attack_tags]
    computed = list(example.sentence_rows(finder))
    assert len(computed) == 2 and computed[1] == attack_features(victim, finder)
    every = predicted_strings(_Tags(True), example, [attack_tags, victim_tags])  # type: ignore[arg-type]
    only_attacks = predicted_strings(_Tags(False), example, [attack_tags, victim_tags])  # type: ignore[arg-type]
    assert every["HT"] == {"jose perez", "judge"} and every["PI"] == {"rebels"}
    assert only_attacks["HT"] == {"jose perez"}
