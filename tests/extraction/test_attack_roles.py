"""eventline.extraction.attack_roles: attacks get the tagger's role spans, with offsets into
the document; other events and documents the incident model turns down get none."""

from __future__ import annotations

from pathlib import Path

from eventline.extraction.attack_roles import AttackRoles, load_attack_roles
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


def _roles() -> AttackRoles:
    docs = [parse_tokens(words) for words, _ in SENTENCES]
    tagger = SpanTagger.fit(docs, [tags for _, tags in SENTENCES])
    return AttackRoles(tagger, _Incident(), threshold=0.5)


def _event(quad_class: int) -> Event:
    return Event(id="e", doc_id="d", sentence="", char_start=0, char_end=1, event_type="ASSAULT", quad_class=quad_class)


def test_attack_events_get_role_spans_with_document_offsets() -> None:
    roles = _roles()
    sdoc = parse_tokens(["Guerrillas", "bombed", "the", "bank", "."])
    attack, statement = _event(4), _event(3)
    roles.fill([attack, statement], sdoc[:], offset=100)
    found = {(r.role, r.text) for r in attack.roles}
    assert ("perpetrator_individual", "Guerrillas") in found and ("physical_target", "bank") in found
    for role in attack.roles:
        assert sdoc.text[role.char_start - 100 : role.char_end - 100] == role.text
    assert statement.roles == []


def test_each_event_owns_its_roles() -> None:
    roles = _roles()
    sdoc = parse_tokens(["Rebels", "killed", "Jose", "Perez", "."])
    first, second = _event(4), _event(4)
    roles.fill([first, second], sdoc[:], offset=0)
    assert first.roles == second.roles and first.roles[0] is not second.roles[0]


def test_documents_without_an_attack_get_no_roles() -> None:
    roles = _roles()
    assert roles.for_document("Gunmen attack a bank.") is roles
    assert roles.for_document("The minister met the press.") is None


def test_saved_models_load_back(tmp_path: Path) -> None:
    from sklearn.dummy import DummyClassifier

    incident = DummyClassifier(strategy="prior").fit([[0], [1]], [0, 1])
    roles = _roles()
    path = tmp_path / "roles.pkl"
    AttackRoles(roles.tagger, incident, 0.25).save(path)
    loaded = load_attack_roles(path)
    assert loaded is not None and loaded.threshold == 0.25
    sdoc = parse_tokens(["Gunmen", "attacked", "the", "bank", "."])
    assert loaded.tagger.tag(sdoc[:]) == roles.tagger.tag(sdoc[:])
    assert load_attack_roles(tmp_path / "missing.pkl") is None
