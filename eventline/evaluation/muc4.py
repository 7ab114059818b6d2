"""MUC-4 terrorism templates (dev, 200 upper-case wire stories of 1989-91).

Scored per role, entity level: perpetrator individual, perpetrator organisation and target
(human and physical targets together). A predicted string matches a gold entity when it
equals any of the entity's mentions after normalisation; each entity is credited once and
every prediction that matches no entity is a false positive.

Mapping from events: actor1 -> perpetrator, actor2 -> target, for the events a MUC-4 template
describes (material conflict: attacks, bombings, kidnappings, arson; CAMEO QuadClass 4); the
actors of statements and meetings fill no template. An actor1 is an organisation when its text
names a group (a dictionary name such as "Farabundo Marti National Liberation Front", or an
acronym such as FMLN) and an individual otherwise ("guerrillas", "urban terrorists").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventline.evaluation import metrics
from eventline.model import Actor, Result
from eventline.resolve.actors import default_dictionary

FILE_NAME = "muc4/dev.json"
ROLES = ("perp_individual", "perp_organization", "target")
_GOLD_KEYS = {
    "perp_individual": ("perp_individual_id",),
    "perp_organization": ("perp_organization_id",),
    "target": ("hum_tgt_name", "phys_tgt_id"),
}
_LEADING_WORDS = {"the", "a", "an", "some", "several", "two", "three", "four", "five"}
# head nouns of descriptions that name an organised body ("the army") rather than people
_COLLECTIVE_NOUNS = {
    "army", "forces", "government", "police", "military", "command", "front", "movement",
    "party", "guard", "battalion", "brigade", "cartel", "organization", "organisation", "group",
    "junta", "regime", "administration", "navy", "cabinet", "ministry", "squad", "squads",
}
# sectors that name an organised body rather than a set of people
_ORGANISATION_SECTORS = {"GOV", "REB", "INS", "PTY", "IGO", "NGO", "OPP", "MIL", "COP", "SPY"}


@dataclass
class MucRecord:
    id: str
    text: str
    # role -> entities, each entity a list of alternative mentions
    entities: dict[str, list[list[str]]] = field(default_factory=dict)


def load(data_dir: Path, limit: int | None = None) -> list[MucRecord]:
    raw = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    records = []
    for doc_id, item in raw.items():
        roles = item.get("roles") or {}
        entities = {
            role: [list(entity) for key in keys for entity in roles.get(key) or [] if entity]
            for role, keys in _GOLD_KEYS.items()
        }
        records.append(MucRecord(id=doc_id, text=item.get("doc", ""), entities=entities))
    return metrics.spread(records, limit)


def normalise(text: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    while words and words[0] in _LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def is_organisation(actor: Actor) -> bool:
    """Named groups (a dictionary name found in the text, or an all-caps acronym such as FMLN)
    are organisations. The resolver also gives descriptions a name ("rebels" for
    "guerrillas", "Guatemala military"): those are individuals in MUC-4's sense."""
    if not actor.name:
        return False
    label = default_dictionary().sector_labels.get(actor.sector or "", "")
    words = normalise(actor.text).split()
    if label and actor.name.lower().endswith(label.lower()):
        # a description: a body ("the army", "armed forces") or people ("guerrillas")
        return bool(words) and words[-1] in _COLLECTIVE_NOUNS
    if (actor.sector or "").upper()[:3] in _ORGANISATION_SECTORS:
        return True
    letters = [w for w in actor.text.split() if w.isalpha()]
    return len(letters) == 1 and 2 <= len(letters[0]) <= 6


def predicted_roles(result: Result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {role: set() for role in ROLES}
    for event in result.events:
        if event.quad_class != 4:
            continue  # statements, meetings and aid are not terrorist incidents
        if event.actor1 and event.actor1.text:
            role = "perp_organization" if is_organisation(event.actor1) else "perp_individual"
            out[role].add(normalise(event.actor1.text))
        if event.actor2 and event.actor2.text:
            out["target"].add(normalise(event.actor2.text))
    for values in out.values():
        values.discard("")
    return out


def entity_prf(entities: Sequence[Sequence[str]], predicted: set[str]) -> metrics.PRF:
    """Each gold entity is credited at most once; predictions matching no entity are fp."""
    mention_sets = [{normalise(m) for m in entity} for entity in entities]
    credited = [False] * len(mention_sets)
    fp = 0
    for prediction in sorted(predicted):
        hit = next((i for i, ms in enumerate(mention_sets) if prediction in ms), None)
        if hit is None:
            fp += 1
        else:
            credited[hit] = True
    tp = sum(credited)
    return metrics.PRF(tp=tp, fp=fp, fn=len(mention_sets) - tp)


def score(records: Sequence[MucRecord], results: Sequence[Result]) -> dict:
    totals = {role: metrics.PRF() for role in ROLES}
    for record, result in zip(records, results, strict=True):
        predicted = predicted_roles(result)
        for role in ROLES:
            totals[role].add(entity_prf(record.entities.get(role, []), predicted[role]))
    out: dict = {"n": len(records)}
    for role in ROLES:
        out.update(totals[role].as_dict(f"{role}_"))
    out["role_f1"] = round(sum(t.f1 for t in totals.values()) / len(ROLES), 4)
    return out
