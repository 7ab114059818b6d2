"""eventline.extraction.attack_roles: the sentences of a story that reports an attack (or,
as the model chooses, those in which the rules find one) get the tagger's role spans, which
go to the story's attack events with offsets into the document; other events and documents
the incident model turns down get none."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

from eventline.extraction import attack_roles
from eventline.extraction.attack_roles import (
    AttackRoles,
    StoryRoles,
    attack_features,
    load_attack_roles,
    noun_classes,
    relation_to_trigger,
    tagged_spans,
)
from eventline.extraction.frames import FrameFinder
from eventline.extraction.span_tagger import SpanTagger, parse_tokens
from eventline.model import Event

SENTENCES = [
    (["Guerrillas", "bombed", "the", "bank", "."], ["B-PI", "O", "O", "B-PT", "O"]),
    (["Rebels", "killed", "Jose", "Perez", "."], ["B-PI", "O", "B-HT", "I-HT", "O"]),
    (["Gunmen", "attacked", "the", "bank", "."], ["B-PI", "O", "O", "B-PT", "O"]),
    (["Terrorists", "shot", "Juan", "Gomez", "."], ["B-PI", "O", "B-HT", "I-HT", "O"]),
]


class _Incident:
    """A stand-in document model: an attack is reported when the text says "attack"."""

    def predict_proba(self, texts: list[str]) -> list[list[float]]:
        return [[0.0, 1.0] if "attack" in text else [1.0, 0.0] for text in texts]


def _roles(every_sentence: bool = True) -> AttackRoles:
    finder = FrameFinder()
    rows = [attack_features(parse_tokens(words)[:], finder) for words, _ in SENTENCES]
    tagger = SpanTagger.fit_features(rows, [tags for _, tags in SENTENCES])
    return AttackRoles(tagger, _Incident(), threshold=0.5, every_sentence=every_sentence)


MINISTER = ["The", "minister", "met", "the", "press", "."]
ATTACK = ["Rebels", "killed", "Jose", "Perez", "."]
VICTIM = ["The", "victim", "was", "a", "judge", "."]


def _asked(roles: AttackRoles, text: str, *sentences: list[str]) -> list[str]:
    """The sentences the story's reader tags, in the order it tags them."""
    asked: list[str] = []

    def spans(sent: Span) -> list[tuple[str, Span]]:
        asked.append(sent.text.strip())
        return []

    roles.spans = spans  # type: ignore[method-assign]
    story = roles.for_document(text)
    for words in sentences:
        story.read(parse_tokens(words)[:], 0)
    return asked


def _event(quad_class: int, char_start: int = 0) -> Event:
    return Event(
        id="e", doc_id="d", sentence="", char_start=char_start, char_end=char_start + 1,
        event_type="ASSAULT", quad_class=quad_class,
    )


def _story(roles: AttackRoles, *sentences: list[str]) -> tuple[StoryRoles, list[int], str]:
    """The story's reader after reading each sentence, parsed alone, at its offset in the
    text the sentences make joined by spaces."""
    story = roles.for_document("an attack")
    offsets, text = [], ""
    for words in sentences:
        sdoc = parse_tokens(words)
        offsets.append(len(text))
        story.read(sdoc[:], offsets[-1])
        text += sdoc.text + " "
    return story, offsets, text


def test_attack_events_get_role_spans_with_document_offsets() -> None:
    story, _, text = _story(_roles(), ["Guerrillas", "bombed", "the", "bank", "."])
    attack, statement = _event(4), _event(3)
    story.attach([attack, statement])
    found = {(r.role, r.text) for r in attack.roles}
    assert ("perpetrator_individual", "Guerrillas") in found and ("physical_target", "bank") in found
    for role in attack.roles:
        assert text[role.char_start : role.char_end] == role.text
    assert statement.roles == []


def test_a_role_goes_to_the_attack_told_before_it_once_per_string() -> None:
    story, offsets, _ = _story(
        _roles(every_sentence=False),
        MINISTER,
        ["Rebels", "killed", "Jose", "Perez", "."],
        ["Rebels", "killed", "Jose", "Perez", "."],
        ["Guerrillas", "bombed", "the", "bank", "."],
    )
    first, second = _event(4, offsets[2]), _event(4, offsets[3])
    story.attach([second, first])
    assert [r.text for r in first.roles].count("Rebels") == 1  # twice in the story, once here
    assert "Jose Perez" in {r.text for r in first.roles} and "bank" not in {r.text for r in first.roles}
    assert {r.text for r in second.roles} >= {"Guerrillas", "bank"}
    assert all(r.char_start >= offsets[1] for r in first.roles)  # the minister's sentence has no attack


def test_roles_before_any_attack_go_to_the_first_and_none_without_attacks() -> None:
    story, offsets, _ = _story(_roles(), ["Rebels", "killed", "Jose", "Perez", "."])
    late, other = _event(4, 500), _event(1)
    story.attach([late, other])
    assert late.roles and not other.roles
    alone, _, _ = _story(_roles(), ["Guerrillas", "bombed", "the", "bank", "."])
    statement = _event(3)
    alone.attach([statement])
    assert statement.roles == []


def test_documents_without_an_attack_get_no_roles() -> None:
    roles = _roles()
    for text, reported in (("Gunmen attack a bank.", True), ("The minister met the press.", False)):
        story = roles.for_document(text)
        story.read(parse_tokens(["Guerrillas", "bombed", "the", "bank", "."])[:], 0)
        event = _event(4)
        story.attach([event])
        assert story.reports_attack is reported and bool(event.roles) is reported


def test_the_incident_model_reads_only_stories_with_an_attack() -> None:
    roles = _roles()
    asked: list[str] = []
    incident = roles.incident

    class Counting:
        def predict_proba(self, texts: list[str]) -> list[list[float]]:
            asked.extend(texts)
            return incident.predict_proba(texts)

    roles.incident = Counting()
    quiet = roles.for_document("an attack, in the words only")
    quiet.read(parse_tokens(["The", "minister", "met", "the", "press", "."])[:], 0)
    assert asked == [] and quiet.reports_attack is None
    story = roles.for_document("an attack")
    for _ in range(2):
        story.read(parse_tokens(["Rebels", "killed", "Jose", "Perez", "."])[:], 0)
    assert asked == ["an attack"] and story.found


def test_spaces_and_pronouns_alone_are_no_role() -> None:
    sdoc = parse_tokens(["He", "bombed", "the", "bank", "."])
    found = tagged_spans(sdoc[:], ["B-PI", "O", "B-PT", "I-PT", "O"])
    assert [(name, span.text) for name, span in found] == [("PT", "the bank")]


def test_how_a_token_hangs_from_the_attack_trigger() -> None:
    sdoc = parse_tokens(["Guerrillas", "attacked", "the", "bank", "with", "grenades", "."])
    triggers = {1}
    relations = [relation_to_trigger(tok, triggers) for tok in sdoc]
    assert relations[0] == "nsubj" and relations[1] == "trigger" and relations[3] == "dobj"
    assert relations[5] == "prep:with"
    assert noun_classes()["bridge"] == "infrastructure" and noun_classes()["grenade"] == "weapon"


def test_saved_models_load_back(tmp_path: Path) -> None:
    from sklearn.dummy import DummyClassifier

    incident = DummyClassifier(strategy="prior").fit([[0], [1]], [0, 1])
    roles = _roles()
    path = tmp_path / "roles.pkl"
    AttackRoles(roles.tagger, incident, 0.25, 1.0, every_sentence=False).save(path)
    loaded = load_attack_roles(path)
    assert loaded is not None and loaded.threshold == 0.25 and loaded.outside_margin == 1.0
    assert loaded.every_sentence is False
    roles.outside_margin = 1.0
    sdoc = parse_tokens(["Gunmen", "attacked", "the", "bank", "."])
    assert loaded.spans(sdoc[:]) == roles.spans(sdoc[:])
    assert load_attack_roles(tmp_path / "missing.pkl") is None


def test_a_story_that_reports_an_attack_is_tagged_in_every_sentence() -> None:
    texts = [" ".join(words) for words in (MINISTER, ATTACK, VICTIM)]
    # the sentence before the first attack waits for the incident model's answer
    assert _asked(_roles(), "an attack", MINISTER, ATTACK, VICTIM) == texts
    assert _asked(_roles(every_sentence=False), "an attack", MINISTER, ATTACK, VICTIM) == [texts[1]]
    assert _asked(_roles(), "a speech", MINISTER, ATTACK, VICTIM) == []
    assert _asked(_roles(), "an attack", MINISTER, VICTIM) == []  # no attack in the story


def test_only_a_story_lead_waits_for_its_first_attack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attack_roles, "MAX_WAITING", 1)
    asked = _asked(_roles(), "an attack", MINISTER, VICTIM, ATTACK)
    assert asked == [" ".join(MINISTER), " ".join(ATTACK)]
