"""A learned tagger of source and target spans, on top of the dependency roles.

Each token gets features from the parse (word, lemma, part of speech, dependency, entity type,
the chain of dependencies up to the clause's verb, its side of that verb) and from the frames
the rule-based roles find (inside the phrase of a frame's actor1, actor2 or target object).
A linear support vector machine scores each token for B-S, I-S, B-T, I-T and O, and a
constrained Viterbi pass turns the scores into well-formed BIO spans (an I- only after its own B- or
I-). Trained on the ConfliBERT CAMEO source/target spans (scripts/train_span_tagger.py);
eventline's evaluation reports its span F1 per role, 5-fold by groups of sentences.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from eventline.extraction.feature_rows import feature_matrix
from eventline.extraction.frames import FrameFinder
from eventline.extraction.model_files import load_payload, save_payload
from eventline.extraction.roles import phrase
from eventline.extraction.target_spans import TargetRanker
from eventline.tokens import TokenTable, token_table

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / "span_tagger.pkl"
TAGS = ("O", "B-S", "I-S", "B-T", "I-T")
ROLES = ("S", "T")  # sources and targets
CLAUSE_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "agent", "attr", "dative", "csubj"}


def role_marks(part: Doc | Span, finder: FrameFinder) -> dict[int, str]:
    """Which tokens the rule-based roles put in an actor1, actor2 or target phrase."""
    marks: dict[int, str] = {}
    for sent in part.sents if isinstance(part, Doc) else [part]:  # a Span here is a sentence
        for frame in finder.find(sent):
            for name, head in (("A2", frame.actor2), ("TG", frame.target), ("A1", frame.actor1)):
                if head is None:
                    continue
                for tok in phrase(head):
                    marks[tok.i] = name
    return marks


def _path(tok: Token) -> tuple[str, str]:
    """The clause role the token sits under (the dependency of its ancestor that hangs from a
    verb) and that verb's side: "nsubj<", "dobj>"."""
    return _table_path(token_table(tok.doc), tok.i)


def _table_path(table: TokenTable, i: int) -> tuple[str, str]:
    """`_path` of token `i`, read from the document's token table."""
    node = i
    for _ in range(8):
        head = table.head[node]
        if table.dep[node] == "ROOT" or table.pos[head] in ("VERB", "AUX"):
            return table.dep[node], "<" if i < head else ">"
        node = head
    return "far", "?"


def chunk_marks(part: Doc | Span) -> dict[int, tuple[str, ...]]:
    """Per token of a noun chunk: its place in the chunk, the chunk's clause role and side,
    the preposition that governs it, and its order among the chunks after the sentence's verb."""
    marks: dict[int, tuple[str, ...]] = {}
    after_root: dict[int, int] = {}
    for chunk in sentence_noun_chunks(part):
        root = chunk.root
        role, side = _path(root)
        preposition = root.head.lower_ if root.dep_ == "pobj" else "-"
        verb = root.sent.root
        order = "-"
        if chunk.start > verb.i:
            count = after_root.get(verb.i, 0)
            after_root[verb.i] = count + 1
            order = str(min(count, 2))
        for tok in chunk:
            place = "B" if tok.i == chunk.start else "I"
            marks[tok.i] = (place, role + side, preposition, order)
    return marks


def sentence_noun_chunks(part: Doc | Span) -> Iterator[Span]:
    """The noun chunks inside `part`. A sentence's own `Span.noun_chunks` walks the chunks of
    the whole document, once per sentence; the language's chunk iterator reads the sentence
    alone (a chunk never crosses a sentence: it is a word's left edge up to the word)."""
    if isinstance(part, Doc):
        yield from part.noun_chunks
        return
    doc = part.doc
    for start, end, label in doc.noun_chunks_iterator(part):  # type: ignore[attr-defined]
        if start >= part.start and end <= part.end:
            yield Span(doc, start, end, label=label)


def _shape(word: str) -> str:
    """Title, upper, lower case or neither, as spaCy's `is_title`, `is_upper`, `is_lower` read it."""
    return "X" if word.istitle() else "XX" if word.isupper() else "x" if word.islower() else "d"


def _token_features(
    table: TokenTable, i: int, marks: dict[int, str], chunks: dict[int, tuple[str, ...]]
) -> dict[str, Any]:
    """The features of token `i`, read from the document's token table (no Token objects)."""
    role, side = _table_path(table, i)
    head = table.head[i]
    dep, pos = table.dep[i], table.pos[i]
    feats: dict[str, Any] = {
        "bias": 1,
        "w=" + table.lower[i]: 1,
        "l=" + table.lemma_lower[i]: 1,
        "p=" + pos: 1,
        "t=" + table.tag[i]: 1,
        "d=" + dep: 1,
        "hd=" + table.dep[head]: 1,
        "hp=" + table.pos[head]: 1,
        "e=" + (table.ent_type[i] or "-") + table.ent_iob[i]: 1,
        "r=" + role + side: 1,
        "r=" + role: 1,
        "m=" + marks.get(i, "-"): 1,
        "s=" + _shape(table.text[i]): 1,
        "dp=" + dep + pos: 1,
    }
    chunk = chunks.get(i)
    if chunk is not None:
        place, chunk_role, preposition, order = chunk
        feats["c=" + place] = 1
        feats["cr=" + chunk_role] = 1
        feats["cp=" + preposition] = 1
        feats["co=" + order] = 1
        feats["cpr=" + place + chunk_role + preposition] = 1
    else:
        feats["c=none"] = 1
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(table):
            feats[f"{offset}p=" + table.pos[j]] = 1
            feats[f"{offset}d=" + table.dep[j]] = 1
            feats[f"{offset}m=" + marks.get(j, "-")] = 1
            if abs(offset) == 1:
                feats[f"{offset}w=" + table.lower[j]] = 1
        else:
            feats[f"{offset}edge"] = 1
    return feats


def features(part: Doc | Span, finder: FrameFinder) -> list[dict[str, Any]]:
    """The features of each token of a document or a sentence."""
    return marked_features(part, role_marks(part, finder))


def marked_features(part: Doc | Span, marks: dict[int, str]) -> list[dict[str, Any]]:
    """The features of each token, given the rule-based roles' marks (`role_marks`)."""
    chunks = chunk_marks(part)
    if isinstance(part, Doc):
        table, start, end = token_table(part), 0, len(part)
    else:
        table, start, end = token_table(part.doc), part.start, part.end
    return [_token_features(table, i, marks, chunks) for i in range(start, end)]


def _allowed(previous: str, tag: str) -> bool:
    if not tag.startswith("I-"):
        return True
    return previous in ("B-" + tag[2:], tag)


def decode(scores: Sequence[Sequence[float]], classes: Sequence[str]) -> list[str]:
    """The best-scoring well-formed BIO sequence (scores add up along the sentence)."""
    if len(scores) == 0:
        return []
    logs = np.asarray(scores, dtype=float)
    # allowed[j, k]: tag k may follow tag j; a step that is not allowed scores -inf
    blocked = np.array([[0.0 if _allowed(p, t) else -math.inf for t in classes] for p in classes])
    start = np.array([0.0 if _allowed("O", c) else -math.inf for c in classes])
    score = logs[0] + start
    back = np.empty((len(logs) - 1, len(classes)), dtype=int)
    for step, row in enumerate(logs[1:]):
        candidates = score[:, None] + blocked  # previous tag j (rows) -> tag k (columns)
        back[step] = candidates.argmax(axis=0)  # the first best previous tag, as a scan finds it
        score = candidates[back[step], np.arange(len(classes))] + row
    k = int(score.argmax())
    path = [k]
    for pointers in back[::-1]:
        k = int(pointers[k])
        path.append(k)
    return [classes[i] for i in reversed(path)]


class SpanTagger:
    """The fitted model: a feature vectoriser and a linear classifier."""

    def __init__(self, vectorizer: Any, model: Any, targets: TargetRanker | None = None) -> None:
        self.vectorizer = vectorizer
        self.model = model
        self.targets = targets  # whole-phrase targets; without it, the tags' T spans
        self.finder = FrameFinder()

    @classmethod
    def fit(cls, docs: Sequence[Doc | Span], tags: Sequence[Sequence[str]]) -> SpanTagger:
        """The token model on all tags and the target ranker on the T spans."""
        finder = FrameFinder()
        marks = [role_marks(doc, finder) for doc in docs]
        fitted = cls.fit_features([marked_features(d, m) for d, m in zip(docs, marks, strict=True)], tags)
        targets = [{(a, b) for role, a, b in bio_spans(t) if role == "T"} for t in tags]
        fitted.targets = TargetRanker.fit_parts(docs, marks, targets)
        return fitted

    @classmethod
    def fit_features(
        cls, rows: Sequence[Sequence[dict[str, Any]]], tags: Sequence[Sequence[str]]
    ) -> SpanTagger:
        """Fit on each part's token features (`features`), computed once for several fits."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.svm import LinearSVC

        vectorizer = DictVectorizer()
        matrix = _int32(vectorizer.fit_transform([f for part in rows for f in part]))
        model = LinearSVC(C=0.05)
        model.fit(matrix, [t for sequence in tags for t in sequence])
        return cls(vectorizer, model)

    def tag(self, part: Doc | Span) -> list[str]:
        return self.tag_features(features(part, self.finder))

    def tag_features(self, rows: Sequence[dict[str, Any]], outside_margin: float = 0.0) -> list[str]:
        """The BIO tags of one part from its token features. `outside_margin` is taken off
        every token's O score: more spans, for tags that are rare in the training data."""
        return self.decode_scores(self.scores(rows), outside_margin)

    def scores(self, rows: Sequence[dict[str, Any]]) -> list[list[float]]:
        """Each token's score per tag (in the order of `model.classes_`)."""
        if len(rows) == 0:
            return []
        return (feature_matrix(self.vectorizer, rows) @ self.model.coef_.T + self.model.intercept_).tolist()

    def decode_scores(self, scores: Sequence[Sequence[float]], outside_margin: float = 0.0) -> list[str]:
        classes = list(self.model.classes_)
        shift = [outside_margin if c == "O" else 0.0 for c in classes]
        return decode([[s - d for s, d in zip(row, shift, strict=True)] for row in scores], classes)

    def role_spans(self, part: Doc | Span, roles: Collection[str] = ROLES) -> list[tuple[str, int, int]]:
        """(role, start, end) token offsets in `part` of `roles`: sources from the tags,
        targets from the phrase ranker when there is one (then asking for targets alone tags
        no token)."""
        marks = role_marks(part, self.finder)
        tagged = self.targets is None or "S" in roles
        spans = bio_spans(self.tag_features(marked_features(part, marks))) if tagged else []
        if self.targets is not None:
            spans = [s for s in spans if s[0] == "S"]
            if "T" in roles:
                spans.extend(("T", a, b) for a, b in self.targets.targets(part, marks))
        return sorted((s for s in spans if s[0] in roles), key=lambda s: s[1])

    def spans(self, sent: Span, roles: Collection[str] = ROLES) -> list[tuple[str, Span]]:
        """(role, span) for each tagged span of `roles` in a sentence, read once per sentence."""
        cache = sent.doc.user_data.setdefault("eventline_tagged_spans", {})
        key = (sent.start, sent.end, tuple(sorted(roles)))
        if key not in cache:
            cache[key] = [
                (role, sent.doc[sent.start + a : sent.start + b]) for role, a, b in self.role_spans(sent, roles)
            ]
        return cache[key]

    def save(self, path: Path = MODEL_PATH) -> None:
        payload = {"vectorizer": self.vectorizer, "model": self.model}
        if self.targets is not None:
            payload.update(target_vectorizer=self.targets.vectorizer, target_model=self.targets.model)
        save_payload(payload, path)


def _int32(matrix: Any) -> Any:
    """The linear models take sparse matrices with 32-bit indices only."""
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(role, start, end) token spans from BIO tags; a stray I- starts a new span."""
    spans: list[tuple[str, int, int]] = []
    role: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix == "I" and name == role
        if role is not None and not continues:
            spans.append((role, start, i))
            role = None
        if prefix in ("B", "I") and not continues:
            role, start = name, i
    return spans


@lru_cache(maxsize=1)
def load_tagger(path: Path = MODEL_PATH) -> SpanTagger | None:
    """The shipped tagger, or None when it has not been trained."""
    payload = load_payload(path, "scripts/train_span_tagger.py")
    if payload is None:
        return None
    targets = None
    if "target_model" in payload:
        targets = TargetRanker(payload["target_vectorizer"], payload["target_model"])
    return SpanTagger(payload["vectorizer"], payload["model"], targets)


def parse_tokens(words: Sequence[str]) -> Doc:
    """A parsed Doc over given tokens (gold data comes tokenised): the tokens stay as given."""
    from eventline.nlp import load_nlp

    nlp = load_nlp()
    doc = Doc(nlp.vocab, words=list(words))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
