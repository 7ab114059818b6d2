"""MUC-4 terrorism templates (dev, 200 upper-case wire stories of 1989-91).

Scored per role, entity level: perpetrator individual, perpetrator organisation and target
(human and physical targets together; the headline `role_f1` is the mean of these three),
and, as further figures, human target, physical target and weapon on their own. A predicted
string matches a gold entity when it equals any of the entity's mentions after
normalisation; each entity is credited once and every prediction that matches no entity is
a false positive.

The predictions are the `roles` of the pipeline's events (eventline.extraction.attack_roles):
the attack role tagger's spans in every sentence of the story in which the rules find an
attack, given to the story's attack events, in the stories its incident model reads as
reporting an attack. The tagger was trained on `muc4/train.json` only, never on these
stories.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventline.evaluation import metrics
from eventline.model import Result

FILE_NAME = "muc4/dev.json"
ROLES = ("perp_individual", "perp_organization", "target")
FURTHER_ROLES = ("human_target", "physical_target", "weapon")
_GOLD_KEYS = {
    "perp_individual": ("perp_individual_id",),
    "perp_organization": ("perp_organization_id",),
    "target": ("hum_tgt_name", "phys_tgt_id"),
    "human_target": ("hum_tgt_name",),
    "physical_target": ("phys_tgt_id",),
    "weapon": ("incident_instrument_id",),
}
# the output's role names -> the scored roles they fill
_ROLE_OF_OUTPUT = {
    "perpetrator_individual": ("perp_individual",),
    "perpetrator_organization": ("perp_organization",),
    "human_target": ("target", "human_target"),
    "physical_target": ("target", "physical_target"),
    "weapon": ("weapon",),
}
_LEADING_WORDS = {"the", "a", "an", "some", "several", "two", "three", "four", "five"}


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


def predicted_roles(result: Result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {role: set() for role in (*ROLES, *FURTHER_ROLES)}
    for event in result.events:
        for role in event.roles:
            for scored in _ROLE_OF_OUTPUT.get(role.role, ()):
                out[scored].add(normalise(role.text))
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
    totals = {role: metrics.PRF() for role in (*ROLES, *FURTHER_ROLES)}
    for record, result in zip(records, results, strict=True):
        predicted = predicted_roles(result)
        for role, total in totals.items():
            total.add(entity_prf(record.entities.get(role, []), predicted[role]))
    out: dict = {"n": len(records)}
    for role, total in totals.items():
        out.update(total.as_dict(f"{role}_"))
    out["role_f1"] = round(sum(totals[role].f1 for role in ROLES) / len(ROLES), 4)
    return out
