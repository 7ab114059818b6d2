"""Roles in a dependency parse: the phrase a head names, a verb's subject and object, who
owns a target, whom an act is addressed to.

Reads: parsed spaCy tokens (lemmas, POS, dependencies). Writes nothing: each function
returns tokens or spans, which eventline.extraction.frames assembles into frames.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventline.data_files import word_list, word_set

ROLES = "roles.yaml"
STATEMENT_NOUNS = word_set(ROLES, "statement_nouns")
TARGET_PREPS = word_set(ROLES, "target_prepositions")
FACILITY_NOUNS = word_set(ROLES, "facility_nouns")
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
OWNER_VERBS = {
    "use",
    "operate",
    "run",
    "control",
    "hold",
    "occupy",
    "own",
    "belong",
    "man",
    "house",
}
# dependency labels of a phrase's parts that are not part of the name of an actor
PHRASE_CUT = {
    "relcl",
    "acl",
    "appos",
    "advcl",
    "punct",
    "cc",
    "prep",
    "conj",
    "parataxis",
    "nummod",
    "quantmod",
}
QUANTITIES = word_set(ROLES, "quantity_nouns")
# PLOVER types counted incident by incident (attacks, acts of force): one sentence may tell
# several, and one side's state says nothing of its opponent's
COUNTED_TYPES = frozenset(word_list(ROLES, "counted_types"))


def phrase(head: Token, conjuncts: bool = True) -> Span:
    """The words that name the thing headed by `head`: its modifiers, without clauses or
    prepositional phrases other than "of" ("Prime Minister Mohammed Shia al-Sudani of Iraq")."""

    # "the paramilitary Rapid Support Forces": the name stands for the description
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and head.pos_ in ("NOUN", "ADJ"):
            head = child
            break
    # "hundreds of protesters": the people, not the number
    if head.lower_ in QUANTITIES or head.lemma_.lower() in QUANTITIES:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        head = pobj

    def keep(top: Token) -> list[Token]:
        # a walk with its own stack: a parse tree can be thousands of tokens deep
        out: list[Token] = []
        stack = [top]
        while stack:
            tok = stack.pop()
            out.append(tok)
            for child in tok.children:
                if child.dep_ in PHRASE_CUT and not (
                    child.dep_ == "prep" and child.lower_ == "of" and tok.pos_ == "PROPN"
                ):
                    continue
                stack.append(child)
        return out

    tokens = sorted(keep(head), key=lambda t: t.i)
    # conjuncts: "U.S. and coalition forces" keeps both
    for conj in head.conjuncts if conjuncts else ():
        if conj.i > head.i:
            tokens.extend(t for t in keep(conj))
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens) + 1
    doc = head.doc
    while start < end - 1 and doc[start].dep_ in ("det", "punct", "cc", "case"):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end]


def subject(verb: Token) -> Token | None:
    """The acting subject of a verb, following shared subjects of coordinated verbs, relative
    pronouns to their antecedent, and participle clauses to the governing clause."""
    seen = 0
    while seen < 6:
        seen += 1
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj") and child.ent_type_ not in ("DATE", "TIME"):
                if child.lower_ in RELATIVE_PRONOUNS:
                    return verb.head if verb.dep_ == "relcl" else antecedent(child)
                return child
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None  # passive without an agent: the actor is not named
        if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
            # "Gollum was seen to break into", "the troops were ordered to withdraw": the
            # passive subject of the governing verb is the one who does the complement
            held = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
            if held is not None:
                return held
        if (
            verb.dep_ == "conj"
            and verb.head.pos_ in ("VERB", "AUX")
            or verb.dep_ in ("advcl", "xcomp")
            and verb.head.pos_ in ("VERB", "AUX")
        ):
            verb = verb.head
        elif (
            verb.dep_ == "xcomp"
            and verb.head.pos_ == "ADJ"
            and verb.head.head.pos_ in ("VERB", "AUX")
        ):
            verb = verb.head.head  # "Arnor is about / ready / willing to restore ties"
        elif (
            verb.dep_ == "pcomp"
            and verb.head.dep_ == "prep"
            and verb.head.head.pos_ in ("VERB", "AUX")
        ):
            verb = verb.head.head
        elif verb.dep_ == "relcl" and verb.tag_ in ("VBG", "VBN"):
            return verb.head
        else:
            return None
    return None


def antecedent(pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for when the parser did not attach the clause to it:
    the nearest noun before it that is not part of a time ("militants on Monday night who")."""
    for tok in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("DATE", "TIME"):
            return tok
        if tok.pos_ == "VERB":
            return None
    return None


def target_of_prepositions(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.ent_type_ not in ("DATE", "TIME"):
                    return pobj
    return None


SYMMETRIC = {"clash", "fight", "battle", "skirmish", "exchange"}
QUANTITY_PREPS = {"up", "about", "around", "over", "nearly", "some"}
RECIPIENT_PREPS = word_set(ROLES, "recipient_prepositions")
NOUN_RECIPIENT_PREPS = RECIPIENT_PREPS | word_set(ROLES, "noun_recipient_prepositions")


def recipients_of(tok: Token, preps: frozenset[str] = RECIPIENT_PREPS) -> list[Token]:
    """Who an act is addressed to: the indirect object ("gave Tanzania a grant") and the
    objects of recipient prepositions ("ties with Gondor", "aid to X", "between X and Y")."""
    found = [c for c in tok.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN")]
    for child in tok.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            found.extend(
                pobj
                for pobj in child.children
                if pobj.dep_ == "pobj" and pobj.ent_type_ not in ("DATE", "TIME")
            )
    if tok.pos_ == "NOUN":
        # "the resumption of ties with Osgiliath": the recipient of what the noun is about
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                        found.extend(recipients_of(pobj, preps))
    return found


def with_object(verb: Token) -> Token | None:
    """ "clashed with RSF fighters": the other side of a symmetric event."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "between"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def direct_object(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return child
    for child in verb.children:
        # "kidnapped up to 16 advisers", "shelled over 20 villages": the parser may read the
        # number's qualifier as a preposition
        if child.dep_ in ("prep", "prt") and child.lower_ in QUANTITY_PREPS:
            for pobj in child.subtree:
                if pobj.dep_ == "pobj" and any(g.dep_ == "nummod" for g in pobj.children):
                    return pobj
    return target_of_prepositions(verb)


def owner_of(target: Token) -> Token | None:
    """The actor a target object belongs to: "facilities used by X", "bases of X", "X's camp"."""
    for child in target.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "compound":  # "RSF positions", "army convoy"
            return child
        if child.dep_ in ("acl", "relcl") and child.lemma_ in OWNER_VERBS:
            for grand in child.children:
                if grand.dep_ == "agent":
                    for pobj in grand.children:
                        if pobj.dep_ == "pobj":
                            return pobj
                if grand.dep_ == "prep" and grand.lower_ in ("to", "by"):  # belonging to X
                    for pobj in grand.children:
                        if pobj.dep_ == "pobj":
                            return pobj
        if child.dep_ == "prep" and (
            child.lower_ == "of"
            or (child.lower_ == "from" and target.lemma_ in STATEMENT_NOUNS)
            or (child.lower_ == "for" and target.lemma_ in FACILITY_NOUNS)  # "a camp for refugees"
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("PROPN", "NOUN"):
                    return pobj
    return None


def owner_of_clause(verb: Token) -> Token | None:
    """The agent of a participle clause: "used by X" -> X."""
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def noun_actor(noun: Token) -> Token | None:
    """Who acts in a noun event: "strikes by X", "Russia's attack", "U.S. strikes"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
            return child
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and (
            child.ent_type_ in ("GPE", "NORP", "ORG") or child.pos_ == "PROPN"
        ):
            return child
    return None


# entity labels of words that never name the one acted upon
NOT_ACTOR_ENTITIES = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}
# the head of a name's modifier is the name: only phrase heads are candidates
MODIFIER_DEPS = {"compound", "amod", "nmod", "flat", "det", "nummod", "quantmod"}
STATE_ENTITIES = {"NORP", "GPE"}


# clauses that tell of another event; a complement clause ("allowed UN planes to land",
# "demanded that the government grant") names what the event asks of its target, and stays
CLAUSE_DEPS = {"advcl", "relcl", "acl", "parataxis", "conj", "csubj"}
CONDITION_MARKERS = word_set(ROLES, "condition_markers")


def _clause_words(head: Token) -> tuple[list[Token], list[Token]]:
    """The words of `head`'s clause in text order, without the clauses inside it that have a
    subject of their own ("resigned as the opposition threatened to storm ..."); and apart,
    the words of its conditions ("threatened an offensive unless Baghdad accepted ...")."""
    own: list[Token] = []
    conditions: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        own.append(tok)
        for child in tok.children:
            if child.dep_ in CLAUSE_DEPS and any(
                g.dep_ in ("nsubj", "nsubjpass", "csubj") for g in child.children
            ):
                if child.dep_ == "advcl" and any(
                    g.dep_ == "mark" and g.lower_ in CONDITION_MARKERS for g in child.children
                ):
                    conditions.extend(child.subtree)
                continue
            stack.append(child)
    return sorted(own, key=lambda t: t.i), conditions


def later_nominals(clause_head: Token, trigger: Token, skip: set[int]) -> list[Token]:
    """The nouns named after the trigger in the event's clause, in text order, then those of
    its conditions: where the parse leaves an event without an object, coders take the first
    actor named after the verb as the one acted upon ("fired two shells at Seoul", "renewed
    his licence in Michel Delving", "denounced as a crime Serbia's suppression"). A noun's
    state modifiers follow it ("a Senegalese peace plan": the plan, then Senegalese). `skip`
    holds the indices of words already read as the actor."""
    found: list[Token] = []
    own, conditions = _clause_words(clause_head)
    for tok in own + conditions:
        if (
            tok.i <= trigger.i
            or tok.i in skip
            or tok.ent_type_ in NOT_ACTOR_ENTITIES
            or tok.pos_ not in ("NOUN", "PROPN")
            or tok.dep_ in MODIFIER_DEPS
        ):
            continue
        found.append(tok)
        found.extend(
            c
            for c in tok.children
            if c.dep_ in ("amod", "compound", "nmod")
            and c.ent_type_ in STATE_ENTITIES
            and c.i > trigger.i
            and c.i not in skip
        )
    return found
