"""Training data for the attack role tagger and the incident model, from MUC-4 templates.

The MUC-4 training templates (`muc4/train.json`: 1,300 wire stories of 1989-91, each with
the perpetrators, targets and weapons of its terrorist incidents, or none) give no spans, only
the strings of each entity's mentions. Distant supervision turns them into token tags: every
place a mention occurs in its story is tagged with the entity's role (longest mention first,
no overlaps), in the sentences where the rules find an attack (a frame of CAMEO QuadClass
4), which are the sentences the tagger reads at run time (`attack_roles.StoryRoles`). The stories are read as the
pipeline reads them: case restored, sentences that can hold no event blanked.

Scored out of fold by document: each fold's models never see its stories; figures are
entity-level P/R/F1 per role, as the MUC-4 evaluation counts them.
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
MARGINS = (0.0, 0.4, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0)


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
    """One story as the tagger sees it: its attack sentences with their distant tags and
    token features (computed once for all folds)."""

    doc: TemplateDoc
    sentences: list[Span]
    tags: list[list[str]]
    rows: list[list[dict[str, Any]]] = field(default_factory=list)


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


def attack_sentences(doc: Doc, finder: FrameFinder) -> list[Span]:
    """The sentences in which the rule-based frames find an attack."""
    return [sent for sent in doc.sents if attack_triggers(sent, finder)]


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
        sentences = attack_sentences(sdoc, finder)
        tags = [sentence_tags(s, spans) for s in sentences]
        out.append(Example(doc, sentences, tags, [attack_features(s, finder) for s in sentences]))
    return out


def fit_tagger(train: Iterable[Example]) -> SpanTagger:
    items = [(r, t) for ex in train for r, t in zip(ex.rows, ex.tags, strict=True)]
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
    tagger: SpanTagger, example: Example, scores: Sequence[Sequence[Sequence[float]]], margin: float
) -> dict[str, set[str]]:
    """Normalised strings per tag name that the tagger finds in the story's attack sentences,
    from the sentences' token scores (`SpanTagger.scores`) decoded with `margin`."""
    out: dict[str, set[str]] = {tag: set() for tag in ROLE_NAMES}
    for sent, sentence_scores in zip(example.sentences, scores, strict=True):
        for tag, span in tagged_spans(sent, tagger.decode_scores(sentence_scores, margin)):
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


def cross_validate(all_examples: Sequence[Example], folds: int = FOLDS) -> dict[str, Any]:
    """Out-of-fold figures by document for each O margin and incident threshold (threshold
    0: the tagger alone); the setting with the best mean role F1 is returned with its
    figures as `margin`, `threshold` and `best`."""
    fold_of = folds_of([ex.doc for ex in all_examples], folds)
    taggers: list[SpanTagger] = []
    scores: list[list[list[list[float]]]] = [[] for _ in all_examples]
    probability = [0.0] * len(all_examples)
    for fold in range(folds):
        train = [ex for ex, f in zip(all_examples, fold_of, strict=True) if f != fold]
        tagger = fit_tagger(train)
        incident = fit_incident([ex.doc for ex in train])
        taggers.append(tagger)
        for i, ex in enumerate(all_examples):
            if fold_of[i] == fold:
                scores[i] = [tagger.scores(rows) for rows in ex.rows]
                probability[i] = float(incident.predict_proba([ex.doc.text.lower()])[0][1])
        log.info("fold %d of %d fitted", fold + 1, folds)
    grid: dict[tuple[float, float], dict[str, Any]] = {}
    for margin in MARGINS:
        predicted = [
            predicted_strings(taggers[fold_of[i]], ex, scores[i], margin)
            for i, ex in enumerate(all_examples)
        ]
        for t in THRESHOLDS:
            grid[margin, t] = score(all_examples, predicted, [p >= t for p in probability])
    best = max(grid, key=lambda key: (grid[key]["role_f1"], -key[0], -key[1]))
    gold = [ex.doc.has_incident for ex in all_examples]
    accuracy = sum((p >= 0.5) == g for p, g in zip(probability, gold, strict=True)) / max(1, len(gold))
    return {
        "n": len(all_examples),
        "folds": folds,
        "incident_accuracy": round(accuracy, 4),
        "margin": best[0],
        "threshold": best[1],
        "best": grid[best],
        "tagger_alone": grid[best[0], 0.0],
        "role_f1_by_margin_threshold": {f"{m}/{t}": grid[m, t]["role_f1"] for m, t in grid},
    }


def train(all_examples: Sequence[Example], threshold: float, margin: float) -> AttackRoles:
    incident = fit_incident([ex.doc for ex in all_examples])
    return AttackRoles(fit_tagger(all_examples), incident, threshold, margin)
