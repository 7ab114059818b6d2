"""ConfliBERT CAMEO sets: sentences labelled with a CAMEO QuadClass (0 no event, 1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict), and sentences
with source (S) and target (T) spans in BIO tags.

Scored: QuadClass accuracy and macro-F1; source/target span P/R/F1, exact after light
normalisation (case, leading articles, possessive 's) and relaxed (token overlap >= 0.5).
Reciprocal spans (R) are not scored: the pipeline has no reciprocal role.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventline.evaluation import metrics
from eventline.extraction.span_tagger import bio_spans
from eventline.model import Result

CLASS_FILE = "conflibert_cameo/cameo_class_train.tsv"
NER_FILE = "conflibert_cameo/cameo_ner_train.txt"
_LEADING_WORDS = {"the", "a", "an"}
_NO_SPACE_BEFORE = {".", ",", ":", ";", "?", "!", "'s", "’s", "ʼs", ")", "%", "'", "n't"}
_NO_SPACE_AFTER = {"(", "$"}


@dataclass
class QuadRecord:
    id: str
    text: str
    quad_class: int


@dataclass
class SpanRecord:
    id: str
    text: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


def load_classes(data_dir: Path, limit: int | None = None) -> list[QuadRecord]:
    records: list[QuadRecord] = []
    with (data_dir / CLASS_FILE).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t")):
            if len(row) != 2 or not row[1].strip().isdigit():
                continue
            text = " ".join(row[0].split())
            records.append(QuadRecord(id=f"quad-{number}", text=text, quad_class=int(row[1])))
    return metrics.spread(records, limit)


def load_spans(data_dir: Path, limit: int | None = None) -> list[SpanRecord]:
    """Sentences rebuilt from their tokens, with the text of each S and T span."""
    records: list[SpanRecord] = []
    tokens: list[str] = []
    tags: list[str] = []
    lines = (data_dir / NER_FILE).read_text(encoding="utf-8").splitlines() + [""]
    for line in lines:
        parts = line.split()
        if len(parts) >= 2:
            tokens.append(parts[0])
            tags.append(parts[-1])
            continue
        if tokens:
            records.append(_span_record(f"span-{len(records)}", tokens, tags))
            tokens, tags = [], []
    return metrics.spread(records, limit)


def _span_record(record_id: str, tokens: list[str], tags: list[str]) -> SpanRecord:
    record = SpanRecord(id=record_id, text=detokenize(tokens))
    for role, start, end in bio_spans(tags):
        span_text = detokenize(tokens[start:end])
        if role == "S":
            record.sources.append(span_text)
        elif role == "T":
            record.targets.append(span_text)
    return record


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens with spaces except before closing punctuation and after opening marks."""
    out = ""
    for token in tokens:
        if out and token not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out += " "
        out += token
    return out


def normalise_span(text: str) -> str:
    words = text.lower().replace("’", "'").replace("ʼ", "'").split()
    while words and words[0] in _LEADING_WORDS:
        words = words[1:]
    joined = " ".join(words)
    return joined.removesuffix("'s").removesuffix(" 's").strip(" ,.")


def predicted_quad_class(result: Result) -> int:
    """The QuadClass of the main event (metrics.main_event_of); 0 (no event) when there is none."""
    best = metrics.main_event_of([e for e in result.events if e.quad_class is not None])
    return int(best.quad_class or 0) if best is not None else 0


def score_quad_labels(gold: Sequence[int], predicted: Sequence[int], texts: Sequence[str]) -> dict:
    return {
        "n": len(gold),
        "quad_accuracy": round(metrics.accuracy(gold, predicted), 4),
        "quad_macro_f1": round(metrics.macro_f1(gold, predicted, [0, 1, 2, 3, 4]), 4),
        "confusions": metrics.confusions(gold, predicted, texts),
    }


def score_classes(records: Sequence[QuadRecord], results: Sequence[Result]) -> dict:
    """QuadClass figures, and `false_event_share`: the share of class-0 sentences (no event of
    CAMEO's kind) that get an event, the pipeline's false events on sentences of real news."""
    predicted = [predicted_quad_class(result) for result in results]
    figures = score_quad_labels([r.quad_class for r in records], predicted, [r.text for r in records])
    quiet = [bool(result.events) for record, result in zip(records, results, strict=True) if record.quad_class == 0]
    figures["false_event_share"] = round(sum(quiet) / len(quiet), 4) if quiet else 0.0
    return figures


def score_spans(records: Sequence[SpanRecord], results: Sequence[Result]) -> dict:
    exact = {"source": metrics.PRF(), "target": metrics.PRF()}
    relaxed = {"source": metrics.PRF(), "target": metrics.PRF()}
    for record, result in zip(records, results, strict=True):
        predicted_sources = [e.actor1.text for e in result.events if e.actor1 and e.actor1.text]
        predicted_targets = [e.actor2.text for e in result.events if e.actor2 and e.actor2.text]
        for role, gold, predicted in (
            ("source", record.sources, predicted_sources),
            ("target", record.targets, predicted_targets),
        ):
            gold_set = {normalise_span(t) for t in gold}
            predicted_set = {normalise_span(t) for t in predicted}
            exact[role].add(metrics.set_prf(gold_set, predicted_set))
            relaxed[role].add(overlap_prf(gold_set, predicted_set))
    out: dict = {"n": len(records)}
    for role in ("source", "target"):
        out.update(exact[role].as_dict(f"{role}_exact_"))
        out.update(relaxed[role].as_dict(f"{role}_relaxed_"))
    return out


def overlap_prf(gold: set[str], predicted: set[str], threshold: float = 0.5) -> metrics.PRF:
    """Greedy one-to-one matching where a pair counts when token F1 >= threshold."""
    unmatched = set(gold)
    tp = 0
    for prediction in sorted(predicted):
        best = max(unmatched, key=lambda g: metrics.token_overlap(g, prediction), default=None)
        if best is not None and metrics.token_overlap(best, prediction) >= threshold:
            unmatched.discard(best)
            tp += 1
    return metrics.PRF(tp=tp, fp=len(predicted) - tp, fn=len(gold) - tp)


# ---- the span tagger, scored out of fold -------------------------------------------------
TAGGED_ROLES = ("S", "T")


def load_tagged(data_dir: Path, limit: int | None = None) -> list[tuple[list[str], list[str]]]:
    """(tokens, BIO tags) per sentence; reciprocal (R) spans count as outside."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in (data_dir / NER_FILE).read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) >= 2:
            words.append(parts[0])
            tag = parts[-1]
            tags.append(tag if tag[2:] in TAGGED_ROLES else "O")
        elif words:
            sentences.append((words, tags))
            words, tags = [], []
    return metrics.spread(sentences, limit)


def cross_validate_tagger(docs: Sequence, tags: Sequence[Sequence[str]], folds: int = 5) -> dict:
    """Exact span P/R/F1 per role, each fold (a contiguous group of sentences) tagged by a
    model fitted on the other folds (sources from the token tags, targets from the phrase
    ranker)."""
    from eventline.extraction.span_tagger import SpanTagger

    scores = {role: metrics.PRF() for role in TAGGED_ROLES}
    size = math.ceil(len(docs) / folds)
    for fold in range(folds):
        test = range(fold * size, min(len(docs), (fold + 1) * size))
        train = [i for i in range(len(docs)) if i not in test]
        if not test or not train:
            continue
        tagger = SpanTagger.fit([docs[i] for i in train], [tags[i] for i in train])
        for i in test:
            gold = bio_spans(tags[i])
            predicted = tagger.role_spans(docs[i])
            for role in TAGGED_ROLES:
                scores[role].add(
                    metrics.set_prf(
                        {s for s in gold if s[0] == role}, {s for s in predicted if s[0] == role}
                    )
                )
    out: dict = {"n": len(docs), "folds": folds}
    for role, name in zip(TAGGED_ROLES, ("source", "target"), strict=True):
        out.update(scores[role].as_dict(f"tagger_{name}_"))
    return out


def tagger_figures(data_dir: Path, limit: int | None = None) -> dict:
    """The span tagger's own 5-fold figures on the tokenised sentences (tokens as given)."""
    from eventline.extraction.span_tagger import parse_tokens

    sentences = load_tagged(data_dir, limit)
    docs = [parse_tokens(words) for words, _ in sentences]
    figures = cross_validate_tagger(docs, [tags for _, tags in sentences])
    return {key: value for key, value in figures.items() if key.startswith("tagger_")}
