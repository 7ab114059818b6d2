"""Training data for the attack role tagger and the incident model, from MUC-4 templates.

The MUC-4 training templates (`muc4/train.json`: 1,300 wire stories of 1989-91, each with
the perpetrators, targets and weapons of its terrorist incidents, or none) give no spans, only
the strings of each entity's mentions. Distant supervision turns them into token tags: every
place a mention occurs in its story is tagged with the entity's role (longest mention first,
no overlaps). The tagger learns from every sentence of a story with an incident and from
the sentences of the other stories where the rules find an attack (a frame of CAMEO
QuadClass 4), and is scored on the sentences it reads at run time (`attack_roles.StoryRoles`:
every sentence of a story that reports an attack, or those with an attack, as chosen out of
fold). The stories are read as the pipeline reads them: case restored,
sentences that can hold no event blanked.

Scored out of fold by document: each fold's models never see its stories; figures are
entity-level P/R/F1 per role, as the MUC-4 evaluation counts them. The sentences read, the
O margin and the incident threshold are chosen together on a grid.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from eventline.evaluation import metrics
from eventline.evaluation.muc4 import entity_prf, normalise
from eventline.extraction.attack_roles import (
    ROLE_NAMES,
    AttackRoles,
    attack_features,
    attack_triggers,
    tagged_spans,
)
from eventline.extraction.frames import FrameFinder
from eventline.extraction.span_tagger import SpanTagger

log = logging.getLogger(__name__)
# template slot -> the tagger's tag name
SLOT_TAGS = {
    "perp_individual_id": "PI",
    "perp_organization_id": "PO",
    "hum_tgt_name": "HT",
    "phys_tgt_id": "PT",
    "incident_instrument_id": "W",
}
FOLDS = 5
# incident model: TF-IDF word n-grams, logistic regression
INCIDENT_C = 4.0
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)
# taken off the tagger's O scores (SpanTagger.tag_features)
MARGINS = (0.4, 0.8, 1.0, 1.2, 1.4, 1.6, 2.0)
# (every sentence of a story or those with an attack only, O margin): decodings tried
Setting = tuple[bool, float]


@dataclass
class TemplateDoc:
    id: str
    text: str
    # tag name -> entities, each a list of alternative mentions
    entities: dict[str, list[list[str]]] = field(default_factory=dict)

    @property
    def has_incident(self) -> bool:
        return any(self.entities.values())


@dataclass
class Example:
    """One story as the tagger sees it: the sentences the pipeline reads with their distant
    tags, whether the rules find an attack in each, and the token features of those the
    tagger learns from (`learns_from`; computed once for all folds, None for the others)."""

    doc: TemplateDoc
    sentences: list[Span]
    tags: list[list[str]]
    attack: list[bool] = field(default_factory=list)
    rows: list[list[dict[str, Any]] | None] = field(default_factory=list)

    def training_pairs(self) -> list[tuple[list[dict[str, Any]], list[str]]]:
        """(token features, tags) of the sentences the tagger learns from."""
        return [(rows, tags) for rows, tags in zip(self.rows, self.tags, strict=True) if rows is not None]

    def sentence_rows(self, finder: FrameFinder) -> Iterable[list[dict[str, Any]]]:
        """The token features of every sentence (those the tagger does not learn from
        computed here)."""
        for sent, rows in zip(self.sentences, self.rows, strict=True):
            yield rows if rows is not None else attack_features(sent, finder)


def learns_from(attack: bool, has_incident: bool) -> bool:
    """Whether the tagger learns from a sentence: every sentence of a story with an incident
    (the stories it reads at run time, where a victim or perpetrator is often named in a
    sentence without an attack trigger) and the attack sentences of the others (attacks
    that are no MUC-4 incident, all O)."""
    return attack or has_incident


def load_templates(path: Path, limit: int | None = None) -> list[TemplateDoc]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc_id in sorted(raw):
        roles = raw[doc_id].get("roles") or {}
        entities = {
            tag: [list(entity) for entity in roles.get(slot) or [] if entity]
            for slot, tag in SLOT_TAGS.items()
        }
        docs.append(TemplateDoc(doc_id, raw[doc_id].get("doc", ""), entities))
    return docs[:limit] if limit else docs


def mention_spans(text: str, entities: dict[str, list[list[str]]]) -> list[tuple[int, int, str]]:
    """(start, end, tag) of every occurrence of every mention, longest first, no overlaps."""
    mentions = sorted(
        {(m.strip(' "'), tag) for tag, ents in entities.items() for ent in ents for m in ent if m.strip(' "')},
        key=lambda item: (-len(item[0]), item),
    )
    taken = [False] * len(text)
    spans = []
    for mention, tag in mentions:
        words = [re.escape(w) for w in mention.split()]
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            if not any(taken[match.start() : match.end()]):
                spans.append((match.start(), match.end(), tag))
                for i in range(match.start(), match.end()):
                    taken[i] = True
    return sorted(spans)


def sentence_tags(sent: Span, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """BIO tags of the sentence's tokens from character spans."""
    tags = ["O"] * len(sent)
    for start, end, tag in spans:
        inside = [k for k, tok in enumerate(sent) if start <= tok.idx < end]
        for n, k in enumerate(inside):
            tags[k] = ("B-" if n == 0 else "I-") + tag
    return tags


def parse(docs: Sequence[TemplateDoc]) -> list[Doc]:
    """The stories parsed as the pipeline parses them."""
    from eventline.nlp import load_nlp
    from eventline.pipeline import Pipeline

    pipeline = Pipeline()
    texts = [pipeline.prepared_text(d.text) for d in docs]
    return list(load_nlp().pipe(texts, batch_size=16))


def examples(docs: Sequence[TemplateDoc], parsed: Sequence[Doc]) -> list[Example]:
    finder = FrameFinder()
    out = []
    for doc, sdoc in zip(docs, parsed, strict=True):
        spans = mention_spans(doc.text, doc.entities)
        sentences = [sent for sent in sdoc.sents if not sent.text.isspace()]
        attack = [bool(attack_triggers(s, finder)) for s in sentences]
        tags = [sentence_tags(s, spans) for s in sentences]
        rows = [
            attack_features(s, finder) if learns_from(a, doc.has_incident) else None
            for s, a in zip(sentences, attack, strict=True)
        ]
        out.append(Example(doc, sentences, tags, attack, rows))
    return out


def fit_tagger(train: Iterable[Example]) -> SpanTagger:
    items = [pair for ex in train for pair in ex.training_pairs()]
    return SpanTagger.fit_features([r for r, _ in items], [t for _, t in items])


def fit_incident(train: Sequence[TemplateDoc]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=40000),
        LogisticRegression(C=INCIDENT_C, class_weight="balanced", max_iter=2000),
    )
    model.fit([d.text.lower() for d in train], [int(d.has_incident) for d in train])
    return model


def predicted_strings(
    roles: AttackRoles, example: Example, scores: Sequence[Sequence[Sequence[float]]]
) -> dict[str, set[str]]:
    """Normalised strings per tag name that the tagger finds in the story's sentences, from
    the sentences' token scores (`SpanTagger.scores`) decoded as `roles` decodes them."""
    out: dict[str, set[str]] = {tag: set() for tag in ROLE_NAMES}
    for sent, attack, sentence_scores in zip(example.sentences, example.attack, scores, strict=True):
        if not (attack or roles.every_sentence):
            continue
        for tag, span in tagged_spans(sent, roles.decode(sentence_scores)):
            out[tag].add(normalise(span.text))
    for values in out.values():
        values.discard("")
    return out


def score(
    examples_: Sequence[Example], predicted: Sequence[dict[str, set[str]]], keep: Sequence[bool]
) -> dict[str, Any]:
    """Entity P/R/F1 per role (and per MUC-4 evaluation role: human and physical target
    together) over stories whose roles are kept."""
    totals = {tag: metrics.PRF() for tag in [*ROLE_NAMES, "TG"]}
    for example, strings, kept in zip(examples_, predicted, keep, strict=True):
        for tag in ROLE_NAMES:
            totals[tag].add(entity_prf(example.doc.entities.get(tag, []), strings[tag] if kept else set()))
        targets = example.doc.entities.get("HT", []) + example.doc.entities.get("PT", [])
        both = (strings["HT"] | strings["PT"]) if kept else set()
        totals["TG"].add(entity_prf(targets, both))
    out: dict[str, Any] = {}
    for tag, prf in totals.items():
        out.update(prf.as_dict(f"{ROLE_NAMES.get(tag, 'target')}_"))
    three = (totals["PI"].f1 + totals["PO"].f1 + totals["TG"].f1) / 3
    out["role_f1"] = round(three, 4)
    out["role_f1_5"] = round(sum(totals[t].f1 for t in ROLE_NAMES) / len(ROLE_NAMES), 4)
    return out


def folds_of(docs: Sequence[TemplateDoc], folds: int = FOLDS) -> list[int]:
    """Each story's fold: stories in id order, dealt round-robin (deterministic)."""
    return [i % folds for i in range(len(docs))]


@dataclass
class OutOfFold:
    """Each story's token scores and incident probability from the fold that never saw it."""

    examples: Sequence[Example]
    taggers: list[SpanTagger]
    fold_of: list[int]
    scores: list[list[list[list[float]]]]
    probability: list[float]

    def grid(self, setting: Setting, thresholds: Sequence[float]) -> dict[float, dict]:
        """The scores of a decoding (which sentences, O margin) for the stories above each
        threshold, decoding each story once."""
        lowest = min(thresholds)
        every_sentence, margin = setting
        predicted: list[dict[str, set[str]]] = [
            predicted_strings(AttackRoles(self.taggers[f], None, 0.0, margin, every_sentence), ex, scores)
            if p >= lowest
            else {tag: set() for tag in ROLE_NAMES}
            for ex, f, scores, p in zip(self.examples, self.fold_of, self.scores, self.probability, strict=True)
        ]
        return {t: score(self.examples, predicted, [p >= t for p in self.probability]) for t in thresholds}


def out_of_fold(all_examples: Sequence[Example], folds: int = FOLDS) -> OutOfFold:
    """Fit each fold's tagger and incident model and score the stories it never saw."""
    fold_of = folds_of([ex.doc for ex in all_examples], folds)
    finder = FrameFinder()
    found = OutOfFold(all_examples, [], fold_of, [[] for _ in all_examples], [0.0] * len(all_examples))
    for fold in range(folds):
        train = [ex for ex, f in zip(all_examples, fold_of, strict=True) if f != fold]
        tagger = fit_tagger(train)
        incident = fit_incident([ex.doc for ex in train])
        found.taggers.append(tagger)
        for i, ex in enumerate(all_examples):
            if fold_of[i] == fold:
                found.scores[i] = [tagger.scores(rows) for rows in ex.sentence_rows(finder)]
                found.probability[i] = float(incident.predict_proba([ex.doc.text.lower()])[0][1])
        log.info("fold %d of %d fitted", fold + 1, folds)
    return found


def cross_validate(all_examples: Sequence[Example], folds: int = FOLDS) -> dict[str, Any]:
    """Out-of-fold figures by document: the sentences read (every sentence of a story or
    those with an attack), O margin and incident threshold (0: the tagger alone) with the best
    mean role F1 on a grid. Returned as `every_sentence`, `margin`, `threshold`, with the
    figures as `best`."""
    found = out_of_fold(all_examples, folds)
    grid: dict[tuple[Setting, float], dict[str, Any]] = {}
    for setting in [(every, margin) for every in (False, True) for margin in MARGINS]:
        for t, figures in found.grid(setting, THRESHOLDS).items():
            grid[setting, t] = figures
        log.info("every sentence %s, margin %s: role F1 up to %s", *setting, max(grid[setting, t]["role_f1"] for t in THRESHOLDS))
    setting, threshold = max(grid, key=lambda key: (grid[key]["role_f1"], -key[0][1], -key[1]))
    # the best setting that reads the attack sentences only, as the model did before
    attack_only = max((key for key in grid if not key[0][0]), key=lambda key: grid[key]["role_f1"])
    gold = [ex.doc.has_incident for ex in all_examples]
    accuracy = sum((p >= 0.5) == g for p, g in zip(found.probability, gold, strict=True)) / max(1, len(gold))
    return {
        "n": len(all_examples),
        "folds": folds,
        "incident_accuracy": round(accuracy, 4),
        "every_sentence": setting[0],
        "margin": setting[1],
        "threshold": threshold,
        "best": grid[setting, threshold],
        "attack_sentences_only": grid[attack_only],
        "tagger_alone": grid[setting, 0.0],
        "role_f1_by_sentences_margin_threshold": {f"{'all' if e else 'attack'}/{m}/{t}": grid[(e, m), t]["role_f1"] for (e, m), t in grid},
    }


def train(all_examples: Sequence[Example], figures: dict[str, Any]) -> AttackRoles:
    """Both models fitted on all stories, decoding as `cross_validate` chose (its `figures`)."""
    incident = fit_incident([ex.doc for ex in all_examples])
    return AttackRoles(
        fit_tagger(all_examples), incident, figures["threshold"], figures["margin"],
        figures["every_sentence"],
    )
