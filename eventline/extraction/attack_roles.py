"""Who attacked whom, with what: the participants of an attack, as MUC-4 templates name them.

For the sentence of each material-conflict event (CAMEO QuadClass 4: attacks, bombings,
kidnappings, arson), a learned tagger marks the spans of five roles: perpetrator individual
("three armed men", "urban guerrillas"), perpetrator organisation ("FMLN", "Shining Path"),
human target ("Luis Carlos Galan"), physical target ("the Las Canas bridge") and weapon
("car bomb"). It is the project's span tagger (`span_tagger.SpanTagger`: parse features, a
linear model per BIO tag, constrained Viterbi decoding) fitted on other tags: trained with the
MUC-4 training templates as distant supervision (`eventline.training.attack_roles`), so its
spans are the head phrases the templates use, without the titles and modifiers around them
("Senator Luis Carlos Galan Sarmiento" -> "Luis Carlos Galan Sarmiento").

A document-level model, trained on the same templates, decides whether the document reports
an attack at all; when it does not (the army's operations, political news, trials), events
keep their actors but get no roles. Both ship in eventline/data/models/attack_roles.pkl.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span

from eventline.extraction.span_tagger import SpanTagger, bio_spans, features
from eventline.model import Event, Role

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "attack_roles.pkl"
# the tagger's short tag names and the roles they stand for in the output
ROLE_NAMES = {
    "PI": "perpetrator_individual",
    "PO": "perpetrator_organization",
    "HT": "human_target",
    "PT": "physical_target",
    "W": "weapon",
}
ATTACK_QUAD_CLASS = 4
_CACHE_KEY = "eventline_attack_roles"


@dataclass
class AttackRoles:
    """The fitted role tagger and the document-level incident model with its threshold."""

    tagger: SpanTagger
    incident: Any  # a scikit-learn text pipeline with predict_proba
    threshold: float
    # taken off the tagger's O scores: roles are rare tokens, and the linear model's O wins
    # too often without it (chosen with the threshold, out of fold)
    outside_margin: float = 0.0

    def incident_probability(self, text: str) -> float:
        """How likely the document reports an attack (a MUC-4 template would be filled)."""
        return float(self.incident.predict_proba([text.lower()])[0][1])

    def for_document(self, text: str) -> AttackRoles | None:
        """Self when the document reports an attack, else None (its events get no roles)."""
        return self if self.incident_probability(text) >= self.threshold else None

    def spans(self, sent: Span) -> list[tuple[str, Span]]:
        """(role name, span) for the sentence's tagged spans, read once per sentence."""
        cache = sent.doc.user_data.setdefault(_CACHE_KEY, {})
        key = (sent.start, sent.end)
        if key not in cache:
            tags = self.tagger.tag_features(features(sent, self.tagger.finder), self.outside_margin)
            found = []
            for name, a, b in bio_spans(tags):
                words = [tok.i for tok in sent[a:b] if not tok.is_space]
                if name in ROLE_NAMES and words:  # a blanked dateline is no role
                    found.append((ROLE_NAMES[name], sent.doc[words[0] : words[-1] + 1]))
            cache[key] = found
        return list(cache[key])

    def fill(self, events: Sequence[Event], sent: Span, offset: int) -> None:
        """Give the sentence's attack events its role spans (`offset`: where the parsed text
        starts in the document's text)."""
        attacks = [event for event in events if event.quad_class == ATTACK_QUAD_CLASS]
        if not attacks:
            return
        for event in attacks:  # each event its own Role objects: spans are mapped per event
            event.roles = [
                Role(name, span.text, offset + span.start_char, offset + span.end_char)
                for name, span in self.spans(sent)
            ]

    def save(self, path: Path = MODEL_PATH) -> None:
        payload = {
            "vectorizer": self.tagger.vectorizer,
            "model": self.tagger.model,
            "incident": self.incident,
            "threshold": self.threshold,
            "outside_margin": self.outside_margin,
        }
        with path.open("wb") as handle:
            pickle.dump(payload, handle, protocol=4)


@lru_cache(maxsize=1)
def load_attack_roles(path: Path = MODEL_PATH) -> AttackRoles | None:
    """The shipped models, or None when they have not been trained."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        payload = pickle.load(handle)  # noqa: S301 - our own package data
    tagger = SpanTagger(payload["vectorizer"], payload["model"])
    return AttackRoles(
        tagger, payload["incident"], float(payload["threshold"]), float(payload["outside_margin"])
    )
