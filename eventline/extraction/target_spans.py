"""The target of a sentence's event as a whole phrase: candidates from the parse, ranked.

A coder marks the target as the full noun phrase ("the last rebel stronghold in the
valley", "Ana Ruiz, a reporter detained in the capital", "the council's new demands"). A
tagger that reads token by token breaks such phrases into pieces, so targets are chosen
among whole phrases instead: every nominal head of the sentence gives its phrase in a few
cuts (the whole subtree; without relative clauses; without its conjuncts; without
prepositional phrases other than "of"; up to the head; with a place phrase the parse hung
from the verb; with its first modifier only; with the preposition that governs it; without
its article: the coders' spans also start and end where the parse has no boundary). Each is described by how it hangs from the clause (object, object of
"on"/"against"/"to", agent of a passive, subject), by the verb or event noun it hangs from
(and, for an event noun, by how the noun itself is used: "condemned the strike on Gaza"),
by its head word, by where it stands against the sentence's main verb (inside its subject,
its order among the phrases after it) and by what the rule-based frames made of it. A
logistic model gives each candidate the probability that it is the target; the best one
above a threshold is taken, and others only when they are as likely and do not overlap it.
Trained with the span tagger (scripts/train_span_tagger.py) on the ConfliBERT CAMEO spans.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from eventline.data_files import word_set
from eventline.extraction.feature_rows import feature_matrix, positive_probabilities

ROLES = "roles.yaml"
TARGET_PREPS = word_set(ROLES, "target_prepositions")
RECIPIENT_PREPS = word_set(ROLES, "recipient_prepositions")
PLACE_PREPS = word_set(ROLES, "place_prepositions")
NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
# a nominal with one of these dependencies on a nominal is part of that one's name
NAME_PARTS = {"compound", "nmod", "amod", "nummod", "quantmod", "npadvmod", "poss"}
CLAUSES = {"relcl", "acl", "advcl"}
COORDINATION = {"conj", "cc"}
ACTOR_ENTITIES = {"GPE", "NORP", "ORG", "PERSON", "FAC"}
# the first chosen target needs this probability (low: most sentences have a target and the
# candidates share the mass); a further one, this much
FIRST_THRESHOLD = 0.05
FURTHER_THRESHOLD = 0.5


@dataclass(frozen=True)
class Candidate:
    """A phrase that may be the target: token offsets in its part, its head and its cut."""

    start: int
    end: int
    head: Token
    cut: str


def candidates(part: Doc | Span) -> list[Candidate]:
    """Each nominal head's phrase in its cuts, once per distinct extent (the first cut wins)."""
    offset = part.start if isinstance(part, Span) else 0
    seen: dict[tuple[int, int], Candidate] = {}
    for head in part:
        if head.pos_ not in NOMINAL or (head.dep_ in NAME_PARTS and head.head.pos_ in NOMINAL):
            continue
        for cut, (start, end) in _cuts(head):
            key = (start - offset, end - offset)
            if key[0] >= 0 and key[1] <= len(part) and key not in seen:
                seen[key] = Candidate(key[0], key[1], head, cut)
    return list(seen.values())


def _cuts(head: Token) -> Iterator[tuple[str, tuple[int, int]]]:
    clauses = {t.i for c in head.children if c.dep_ in CLAUSES for t in c.subtree}
    conjuncts = {t.i for c in head.children if c.dep_ in COORDINATION for t in c.subtree}
    modifiers = {
        t.i for c in head.rights if c.dep_ == "prep" and c.lower_ != "of" for t in c.subtree
    }
    subtree = {t.i for t in head.subtree}
    for cut, dropped in (
        ("full", set()),
        ("noclause", clauses),
        ("noconj", conjuncts),
        ("bare", clauses | conjuncts),
        ("nomodifier", clauses | conjuncts | modifiers),
    ):
        yield cut, _extent(head, subtree - dropped)
    yield from _boundary_cuts(head, subtree, clauses | conjuncts)


def _boundary_cuts(head: Token, subtree: set[int], dropped: set[int]) -> Iterator[tuple[str, tuple[int, int]]]:
    """Cuts whose edge is not the parse's: the coders' spans also begin or end where the parse
    puts no phrase boundary."""
    doc = head.doc
    bare = _extent(head, subtree - dropped)
    # "captured the mosque in Mosul": a place the parse hung from the verb still names the target
    following = doc[head.right_edge.i + 1] if head.right_edge.i + 1 < len(doc) else None
    if following is not None and following.dep_ == "prep" and following.head == head.head:
        yield "extended", (min(subtree), following.right_edge.i + 1)
        objects = [c for c in following.children if c.dep_ == "pobj"]
        if objects:
            yield "extendedbare", (bare[0], _bare_extent(objects[0])[1])
    # "militants in South Waziristan Agency on June 19": the head with its first modifier only
    modifiers = [c for c in head.rights if c.dep_ == "prep"]
    if modifiers:
        objects = [c for c in modifiers[0].children if c.dep_ == "pobj"]
        if objects:
            yield "firstmodifier", (bare[0], _bare_extent(objects[0])[1])
    # "strikes on Syrian troops": some coders keep the preposition that names the target
    if head.dep_ == "pobj" and head.head.i < head.i:
        yield "withpreposition", (head.head.i, bare[1])
    # "the Iraqi and Turkish demands", "the Burmese people": some coders leave out the article
    if doc[bare[0]].dep_ == "det" and bare[1] - bare[0] > 1:
        yield "noarticle", (bare[0] + 1, bare[1])
    left = min([head.i, *(t.i for child in head.lefts for t in child.subtree)])
    yield "left", (left, head.i + 1)


def _bare_extent(head: Token) -> tuple[int, int]:
    """The head's phrase without its clauses and conjuncts."""
    dropped = {t.i for c in head.children if c.dep_ in CLAUSES | COORDINATION for t in c.subtree}
    return _extent(head, {t.i for t in head.subtree} - dropped)


def _extent(head: Token, kept: set[int]) -> tuple[int, int]:
    """The unbroken run of kept tokens around the head, without punctuation at its ends
    (a closing bracket stays: "(SIMI)")."""
    doc = head.doc
    start, end = head.i, head.i + 1
    while start - 1 in kept:
        start -= 1
    while end in kept:
        end += 1
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text != ")":
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return start, end


def _governor(head: Token) -> tuple[str, Token]:
    """How the phrase hangs from the clause: its dependency (a preposition's object as
    "prep:on"), and the word it hangs from (the verb or noun that takes the preposition)."""
    node = head
    while node.dep_ == "conj" and node.head != node:
        node = node.head
    if node.dep_ == "pobj":
        preposition = node.head
        return "prep:" + preposition.lower_, preposition.head
    if node.dep_ == "appos":
        return "appos", node.head
    return node.dep_, node.head


def _preposition_class(relation: str) -> str:
    word = relation.removeprefix("prep:")
    if word == relation:
        return "-"
    if word in TARGET_PREPS:
        return "target"
    if word in RECIPIENT_PREPS:
        return "recipient"
    if word in PLACE_PREPS:
        return "place"
    return "other"


def only_where(span: Span) -> bool:
    """Whether the phrase is the object of a place preposition ("took place in Iraq"): coders
    mark such a place as the target of an act on no one, but for an event it is where."""
    return _preposition_class(_governor(span.root)[0]) == "place"


def candidate_features(
    candidate: Candidate, part: Doc | Span, marks: dict[int, str]
) -> dict[str, Any]:
    """What makes a phrase the target: its relation to the clause and the verb, its words,
    its place in the sentence and the rule-based roles inside it."""
    head = candidate.head
    relation, governor = _governor(head)
    root = head.sent.root
    side = "after" if head.i > root.i else "before"
    governor_lemma = governor.lemma_.lower()
    tokens = [part[i] for i in range(candidate.start, candidate.end)]
    entity_types = {t.ent_type_ for t in tokens if t.ent_type_}
    depth = 0
    node = head
    while node.head != node and depth < 6:
        node = node.head
        depth += 1
    preposition = _preposition_class(relation)
    feats: dict[str, Any] = {
        "bias": 1,
        "cut=" + candidate.cut: 1,
        "rel=" + relation: 1,
        "relside=" + relation + side: 1,
        "pc=" + preposition: 1,
        "pcside=" + preposition + side: 1,
        "gov=" + governor_lemma: 1,
        "govpos=" + governor.pos_: 1,
        "relgov=" + relation + ":" + governor_lemma: 1,
        "relgovpos=" + relation + ":" + governor.pos_: 1,
        "govroot=" + str(governor.i == root.i) + relation: 1,
        "hl=" + head.lemma_.lower(): 1,
        "hp=" + head.pos_: 1,
        "he=" + (head.ent_type_ or "-"): 1,
        "depth=" + str(depth): 1,
        "len=" + str(min(len(tokens), 8)): 1,
        "first=" + tokens[0].lower_: 1,
        "firstpos=" + tokens[0].pos_: 1,
        "last=" + tokens[-1].pos_: 1,
        "actor_entity": int(bool(entity_types & ACTOR_ENTITIES)),
        "hm=" + marks.get(head.i, "-"): 1,
        "hmrel=" + marks.get(head.i, "-") + relation: 1,
    }
    feats["hlrel=" + head.lemma_.lower() + relation] = 1
    if governor.pos_ == "NOUN":  # an event noun: "the strike on Gaza" as its noun is used
        outer, _ = _governor(governor)
        feats["outer=" + outer + ":" + relation] = 1
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.left_edge.i <= head.i <= subject.right_edge.i:
        feats["insubject=" + subject.dep_] = 1
    for entity in entity_types:
        feats["ent=" + entity] = 1
    for name in {marks[t.i] for t in tokens if t.i in marks}:
        feats["mark=" + name] = 1
    feats["cutpos=" + candidate.cut + head.pos_] = 1
    feats["entdepth=" + str(bool(entity_types & ACTOR_ENTITIES)) + str(min(depth, 3))] = 1
    distance = head.i - root.i
    feats["dist=" + (str(distance) if abs(distance) < 4 else "far" + side)] = 1
    return feats


def sentence_features(part: Doc | Span, marks: dict[int, str]) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """The candidates of a sentence and their features, with their order among the heads
    after the main verb (the first object is most often the target)."""
    found = candidates(part)
    rows = [candidate_features(c, part, marks) for c in found]
    heads = sorted({c.head.i for c in found if c.head.i > c.head.sent.root.i})
    for candidate, row in zip(found, rows, strict=True):
        head = candidate.head
        if head.i in heads:
            rank = str(min(heads.index(head.i), 3))
            row["rank=" + rank] = 1
            row["rankrel=" + rank + _governor(head)[0]] = 1
        else:
            row["rank=before"] = 1
    return found, rows


def choose(found: Sequence[Candidate], probabilities: Sequence[float]) -> list[tuple[int, int]]:
    """The targets: the likeliest candidate when it passes the first threshold, and any
    further likely one that overlaps none chosen."""
    order = sorted(range(len(found)), key=lambda k: (-probabilities[k], found[k].start))
    chosen: list[tuple[int, int]] = []
    for k in order:
        threshold = FURTHER_THRESHOLD if chosen else FIRST_THRESHOLD
        if probabilities[k] < threshold:
            break
        start, end = found[k].start, found[k].end
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
    return sorted(chosen)


class TargetRanker:
    """The fitted candidate model: a feature vectoriser and a logistic regression."""

    def __init__(self, vectorizer: Any, model: Any) -> None:
        self.vectorizer = vectorizer
        self.model = model

    @classmethod
    def fit(cls, rows: Sequence[dict[str, Any]], labels: Sequence[int]) -> TargetRanker:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = DictVectorizer()
        matrix = vectorizer.fit_transform(rows)
        model = LogisticRegression(C=1, max_iter=2000)
        model.fit(matrix, labels)
        return cls(vectorizer, model)

    @classmethod
    def fit_parts(
        cls,
        parts: Sequence[Doc | Span],
        marks: Sequence[dict[int, str]],
        targets: Sequence[set[tuple[int, int]]],
    ) -> TargetRanker:
        """Fit on sentences with their rule-based marks and gold target spans (token offsets)."""
        rows: list[dict[str, Any]] = []
        labels: list[int] = []
        for part, part_marks, gold in zip(parts, marks, targets, strict=True):
            found, part_rows = sentence_features(part, part_marks)
            rows.extend(part_rows)
            labels.extend(labelled(found, gold))
        return cls.fit(rows, labels)

    def probabilities(self, rows: Sequence[dict[str, Any]]) -> list[float]:
        if not rows:
            return []
        return positive_probabilities(self.model, feature_matrix(self.vectorizer, rows)).tolist()

    def targets(self, part: Doc | Span, marks: dict[int, str]) -> list[tuple[int, int]]:
        """(start, end) token offsets in `part` of its targets."""
        found, rows = sentence_features(part, marks)
        return choose(found, self.probabilities(rows))


def labelled(found: Sequence[Candidate], gold: set[tuple[int, int]]) -> list[int]:
    """1 for a candidate that is exactly a gold target span, else 0."""
    return [int((c.start, c.end) in gold) for c in found]
