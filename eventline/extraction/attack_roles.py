"""Who attacked whom, with what: the participants of an attack, as MUC-4 templates name them.

In every sentence of a story in which the rule-based frames find an attack (CAMEO QuadClass
4: attacks, bombings, kidnappings, arson), a learned tagger marks the spans of five roles:
perpetrator individual ("three armed men", "urban guerrillas"), perpetrator organisation
("FMLN", "Shining Path"), human target ("Luis Carlos Galan"), physical target ("the Las Canas
bridge") and weapon ("car bomb"). It is the project's span tagger (`span_tagger.SpanTagger`:
parse features, a linear model per BIO tag, constrained Viterbi decoding) fitted on other tags,
with features of its own on top (`attack_features`): how the token hangs from the nearest
attack trigger, the class of its noun phrase's head (building, vehicle, weapon, ...: from
eventline/data/attack_role_nouns.yaml) and a wider window of words. It is trained with the
MUC-4 training templates as distant supervision (`eventline.training.attack_roles`), so its
spans are the head phrases the templates use, without the titles and modifiers around them
("Senator Luis Carlos Galan Sarmiento" -> "Luis Carlos Galan Sarmiento").

The roles are read for the whole story (`StoryRoles`), not only in the sentences of the
events it keeps: a story names its perpetrators and targets across sentences ("the victim,
Jose Perez, was a judge"), and an event merged into an earlier one would lose its own. The
training chooses out of fold whether a story that reports an attack is tagged in every
sentence (those without an attack trigger too: the tagger knows them by their features, no
trigger, no relation to one) or only where the rules find an attack; the shipped model reads
the attack sentences, which scored higher. Each role goes to the attack event told at or before it (the story's first attack
when none is), once per event and string.

A document-level model, trained on the same templates, decides whether the document reports
an attack at all (asked at the story's first sentence with an attack); when it does not (the
army's operations, political news, trials), events keep their actors but get no roles.
Decoding takes a margin off the O scores, chosen out of fold. Both models ship in eventline/data/models/attack_roles.pkl.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from eventline.data_files import read_word_yaml
from eventline.extraction.frames import FrameFinder
from eventline.extraction.model_files import MODELS_DIR, load_payload, save_payload
from eventline.extraction.span_tagger import SpanTagger, bio_spans, features, sentence_noun_chunks
from eventline.model import Event, Role

MODEL_PATH = MODELS_DIR / "attack_roles.pkl"
TRAINING_SCRIPT = "scripts/train_attack_roles.py"
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
# a span of these parts of speech only ("he", "them", "this") names no one a reader can use
_EMPTY_POS = {"PRON", "DET", "PUNCT", "SPACE"}
_DISTANCES = ((1, "1"), (3, "2-3"), (6, "4-6"), (12, "7-12"))
# sentences held before a story's first attack: a story's lead, not a long document's whole
# text, waits for the incident model's answer (memory stays bounded)
MAX_WAITING = 40


@lru_cache(maxsize=1)
def noun_classes() -> dict[str, str]:
    """Lemma -> class (building, vehicle, weapon, ...) of eventline/data/attack_role_nouns.yaml."""
    table = read_word_yaml("attack_role_nouns.yaml")
    return {str(word).lower(): str(name) for name, words in table.items() for word in words}


def attack_triggers(sent: Span, finder: FrameFinder) -> list[Token]:
    """The triggers of the attack frames the rules find in the sentence."""
    return [f.trigger for f in finder.find(sent) if f.etype.quad_class == ATTACK_QUAD_CLASS]


def relation_to_trigger(tok: Token, triggers: set[int]) -> str:
    """How the token hangs from an attack trigger: the dependency of its ancestor right under
    the trigger ("nsubj", "dobj", "prep:by"), "via:" that of its ancestor under the trigger's
    head ("guerrillas carried out an attack"), "trigger" for the trigger, "-" for neither."""
    if tok.i in triggers:
        return "trigger"
    heads = {tok.doc[i].head.i: i for i in triggers if tok.doc[i].head.i != i}
    node = tok
    for _ in range(10):
        parent = node.head
        if parent.i == node.i:
            return "-"
        if parent.i in triggers or parent.i in heads:
            dep = node.dep_ + (":" + node.lower_ if node.dep_ in ("prep", "agent") else "")
            return dep if parent.i in triggers else "via:" + dep
        node = parent
    return "-"


def _distance(tok: Token, triggers: Sequence[int]) -> str:
    gap = min((tok.i - i for i in triggers), key=abs)
    side = "<" if gap < 0 else ">"
    return side + next((name for limit, name in _DISTANCES if abs(gap) <= limit), "far")


def attack_features(sent: Span, finder: FrameFinder) -> list[dict[str, Any]]:
    """The span tagger's features of each token of the sentence, with the attack's own."""
    rows = features(sent, finder)
    trigger_tokens = attack_triggers(sent, finder)
    triggers = {t.i for t in trigger_tokens}
    lemma = trigger_tokens[0].lemma_.lower() if trigger_tokens else "-"
    classes = noun_classes()
    # the sentence's own chunks (`Span.noun_chunks` walks the whole document's)
    chunk_root = {tok.i: chunk.root for chunk in sentence_noun_chunks(sent) for tok in chunk}
    doc = sent.doc
    for tok, row in zip(sent, rows, strict=True):
        head = chunk_root.get(tok.i, tok)
        head_class = classes.get(head.lemma_.lower(), "-")
        relation = relation_to_trigger(head, triggers)
        row["nc=" + classes.get(tok.lemma_.lower(), "-")] = 1
        row["hc=" + head_class] = 1
        row["rel=" + relation] = 1
        row["hcrel=" + head_class + "|" + relation] = 1
        row["trel=" + lemma + "|" + relation] = 1
        row["dist=" + (_distance(tok, sorted(triggers)) if triggers else "none")] = 1
        for offset in (-3, -2, 2, 3):
            j = tok.i + offset
            if sent.start <= j < sent.end:
                row[f"{offset}l=" + doc[j].lemma_.lower()] = 1
    return rows


def tagged_spans(sent: Span, tags: Sequence[str]) -> list[tuple[str, Span]]:
    """(tag name, span) of the roles the sentence's BIO tags mark, without the spaces at
    their edges; spaces alone (a blanked dateline) and pronouns alone name no role."""
    found = []
    for name, a, b in bio_spans(tags):
        words = [tok.i for tok in sent[a:b] if not tok.is_space]
        if name in ROLE_NAMES and words:
            span = sent.doc[words[0] : words[-1] + 1]
            if any(tok.pos_ not in _EMPTY_POS for tok in span):
                found.append((name, span))
    return found


@dataclass
class AttackRoles:
    """The fitted role tagger and the document-level incident model with its threshold."""

    tagger: SpanTagger
    incident: Any  # a scikit-learn text pipeline with predict_proba
    threshold: float
    # taken off the tagger's O scores: roles are rare tokens, and the linear model's O wins
    # too often without it (chosen with the threshold, out of fold)
    outside_margin: float = 0.0
    # whether a story that reports an attack is tagged in every sentence or only in those
    # with an attack trigger (chosen out of fold)
    every_sentence: bool = False

    def incident_probability(self, text: str) -> float:
        """How likely the document reports an attack (a MUC-4 template would be filled)."""
        return float(self.incident.predict_proba([text.lower()])[0][1])

    def for_document(self, text: str) -> StoryRoles:
        """A reader of the story's roles (none when the incident model reads no attack in it)."""
        return StoryRoles(self, text)

    def decode(self, scores: Sequence[Sequence[float]]) -> list[str]:
        """A sentence's BIO tags from its token scores (`SpanTagger.scores`)."""
        return self.tagger.decode_scores(scores, self.outside_margin)

    def spans(self, sent: Span) -> list[tuple[str, Span]]:
        """(role name, span) for the sentence's tagged spans, read once per sentence."""
        cache = sent.doc.user_data.setdefault(_CACHE_KEY, {})
        key = (sent.start, sent.end)
        if key not in cache:
            tags = self.decode(self.tagger.scores(attack_features(sent, self.tagger.finder)))
            cache[key] = [(ROLE_NAMES[name], span) for name, span in tagged_spans(sent, tags)]
        return list(cache[key])

    def save(self, path: Path = MODEL_PATH) -> None:
        payload = {
            "vectorizer": self.tagger.vectorizer,
            "model": self.tagger.model,
            "incident": self.incident,
            "threshold": self.threshold,
            "outside_margin": self.outside_margin,
            "every_sentence": self.every_sentence,
        }
        save_payload(payload, path)


@dataclass
class StoryRoles:
    """The roles of one story, read sentence by sentence and given to its attack events at
    the end."""

    model: AttackRoles
    text: str  # the story's text, which the incident model reads
    found: list[Role] = field(default_factory=list)
    # whether the story reports an attack: asked at its first sentence with an attack, so a
    # story without one never runs the incident model
    reports_attack: bool | None = None
    # the sentences read before the first attack, tagged once the story reports one
    waiting: list[tuple[Span, int]] = field(default_factory=list)

    def read(self, sent: Span, offset: int) -> None:
        """Tag the sentence (`offset`: where the parsed text starts in the document's text)."""
        every_sentence = self.model.every_sentence
        if self.reports_attack is False:
            return
        if self.reports_attack and every_sentence:
            self._tag(sent, offset)
            return
        if not attack_triggers(sent, self.model.tagger.finder):
            if self.reports_attack is None and every_sentence and len(self.waiting) < MAX_WAITING:
                self.waiting.append((sent, offset))
            return
        if self.reports_attack is None:
            self.reports_attack = self.model.incident_probability(self.text) >= self.model.threshold
            waiting, self.waiting = self.waiting, []
            if not self.reports_attack:
                return
            for earlier, earlier_offset in waiting:
                self._tag(earlier, earlier_offset)
        self._tag(sent, offset)

    def _tag(self, sent: Span, offset: int) -> None:
        for name, span in self.model.spans(sent):
            self.found.append(Role(name, span.text, offset + span.start_char, offset + span.end_char))

    def attach(self, events: Sequence[Event]) -> None:
        """Give each role to the attack event told at or before it (the first attack when
        none is); an event holds each (role, string) once, at its first mention."""
        attacks = sorted((e for e in events if e.quad_class == ATTACK_QUAD_CLASS), key=lambda e: e.char_start)
        if not attacks:
            return
        seen: set[tuple[int, str, str]] = set()
        for role in sorted(self.found, key=lambda r: r.char_start):
            owner = next((n for n in range(len(attacks) - 1, -1, -1) if attacks[n].char_start <= role.char_start), 0)
            key = (owner, role.role, " ".join(role.text.lower().split()))
            if key not in seen:
                seen.add(key)
                attacks[owner].roles.append(Role(role.role, role.text, role.char_start, role.char_end))


@lru_cache(maxsize=1)
def load_attack_roles(path: Path = MODEL_PATH) -> AttackRoles | None:
    """The shipped models, or None when they have not been trained."""
    payload = load_payload(path, TRAINING_SCRIPT)
    if payload is None:
        return None
    tagger = SpanTagger(payload["vectorizer"], payload["model"])
    every_sentence = bool(payload.get("every_sentence", False))
    return AttackRoles(
        tagger, payload["incident"], float(payload["threshold"]), float(payload["outside_margin"]), every_sentence
    )
