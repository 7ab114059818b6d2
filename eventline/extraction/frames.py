"""Event frames from a dependency parse: which word names the event, who acts, who is acted on.

Reads: a parsed spaCy sentence (tokens, lemmas, POS, dependencies).
Writes: `Frame`s: a trigger with its event type, the token set of its clause (light and support
verbs, coordinated triggers), the head tokens of actor1 / actor2, a target object, weapon cues.

Frames are syntax only; eventline.extraction.modality decides which frames are events, and
eventline.pipeline resolves the actors, dates and places that the frames point at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from eventline.data_files import word_set
from eventline.extraction.lexicon import EventType, Lexicon, get_lexicon
from eventline.extraction.roles import (
    COUNTED_TYPES,
    FACILITY_NOUNS,
    NOUN_RECIPIENT_PREPS,
    OWNER_VERBS,
    STATEMENT_NOUNS,
    SYMMETRIC,
    direct_object,
    later_nominals,
    noun_actor,
    owner_of,
    owner_of_clause,
    phrase,
    recipients_of,
    subject,
    target_of_prepositions,
    with_object,
)
from eventline.tokens import TokenTable, token_table

ROLES = "roles.yaml"
LIGHT_VERBS = word_set(ROLES, "light_verbs") | word_set(ROLES, "statement_light_verbs")
SUPPORT_VERBS = word_set(ROLES, "support_verbs")
WEAPON_NOUNS = word_set(ROLES, "weapon_nouns")
SEQUENCE_VERBS = word_set(ROLES, "sequence_verbs")
EVENT_PRONOUNS = word_set(ROLES, "event_pronouns")
CONTAINERS = word_set("modality.yaml", "event_containers")
CARRIER_PREPS = word_set(ROLES, "carrier_prepositions")


@dataclass
class Frame:
    """One candidate event in one sentence."""

    trigger: Token
    etype: EventType
    # token indices that make up the event's clause: a time or place attached to any of them
    # belongs to this event
    tokens: set[int] = field(default_factory=set)
    actor1: Token | None = None
    actor2: Token | None = None
    # a target object that is not an actor ("two facilities", "Al Asad Air Base"): its owner
    # may be actor2, and it may be the event's place
    target: Token | None = None
    cue_words: list[str] = field(default_factory=list)
    # the verb that heads the event's clause (modality and attribution are read from it)
    anchor: Token | None = None
    container: Token | None = None
    # "The U.S. strikes followed others last week": the frame for "others"
    sequence_of: Token | None = None
    # "the army and the RSF clashed": actor1's conjunct is actor2, not part of actor1
    split_conjuncts: bool = False
    # other words that may name the one acted upon, tried in order when actor2 is no actor
    # ("shelled a district of Kharkiv, killing two civilians": Kharkiv, then civilians)
    actor2_alternatives: list[Token] = field(default_factory=list)
    # "X said Y must leave": a demand by the speaker (eventline.extraction.records fills actor1)
    obligation: bool = False
    # who a non-violent act is addressed to, when the object is a thing ("gave Tanzania a
    # grant", "restored ties with Gondor", "promised aid to the villages"): tried in order
    # when actor2 names no actor or only a bare sector ("offered its troops to Lebanon")
    recipients: list[Token] = field(default_factory=list)
    # the type comes from a user's verb pattern (eventline.extraction.verb_patterns): the
    # event model does not overrule it
    user_coded: bool = False
    # the user's pattern names the verb's negation ("&NEGATVAUXVRB * OVER EFFORTS"): the
    # negated form is the event it codes, not the denial of one
    negation_coded: bool = False
    # the nouns named after the trigger in its clause, tried last ("fired shells at Seoul")
    later: list[Token] = field(default_factory=list)

    @property
    def is_noun(self) -> bool:
        return self.trigger.pos_ in ("NOUN", "PROPN", "PRON")

    def clause_head(self) -> Token:
        return self.anchor or self.trigger


def _facility_and_weapon_roles(frame: Frame) -> None:
    """The roles read at the trigger, set right: a facility struck is the target and its owner
    the other side; a weapon read as the one acting is a cue, not an actor ("a drone hit")."""
    if frame.actor2 is not None and frame.actor2.lemma_ in FACILITY_NOUNS:
        frame.target = frame.actor2
        frame.actor2 = owner_of(frame.actor2)
        if frame.actor2 is None and frame.anchor is not None:
            # "struck two facilities south of Baghdad used by X": the parser may hang the
            # participle on the verb instead of the noun
            frame.actor2 = next(
                (
                    o
                    for c in frame.anchor.children
                    if c.dep_ in ("advcl", "acl") and c.lemma_ in OWNER_VERBS
                    for o in [owner_of_clause(c)]
                    if o is not None
                ),
                None,
            )
    if frame.actor1 is not None and frame.actor1.lemma_ in WEAPON_NOUNS:
        frame.cue_words.append(frame.actor1.lemma_)
        frame.actor1 = None


class FrameFinder:
    """Finds frames in a sentence. Stateless apart from the loaded lexicon."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or get_lexicon()

    def _trigger_at(self, table: TokenTable, i: int) -> tuple[EventType | None, int]:
        """The event type the word at `i` starts, with the end of its words."""
        lemmas = table.lemma_lower
        # only a word that opens some multiword trigger is worth the longer lookups
        if lemmas[i] in self.lexicon.multi_starts:
            for n in range(self.lexicon.max_multi, 1, -1):
                if i + n <= len(lemmas):
                    found = self.lexicon.multi.get(tuple(lemmas[i : i + n]))
                    if found:
                        return found, i + n
        return self._single_type_at(table, i), i + 1

    def _single_type(self, tok: Token) -> EventType | None:
        return self._single_type_at(token_table(tok.doc), tok.i)

    def _single_type_at(self, table: TokenTable, i: int) -> EventType | None:
        pos = table.pos[i]
        if pos not in ("VERB", "NOUN"):
            return None
        # "bombing options", "attack helicopters": a modifier of another noun is no event
        if table.dep[i] in ("compound", "amod"):
            head = table.head[i]
            if (
                table.pos[head] in ("NOUN", "PROPN")
                and self.lexicon.lookup(table.lemma[head], "NOUN") is None
            ):
                return None
        return self.lexicon.lookup(table.lemma[i], pos)

    def find(self, sent: Span) -> list[Frame]:
        doc = sent.doc
        table = token_table(doc)
        frames: list[Frame] = []
        by_trigger: dict[int, Frame] = {}
        consumed: set[int] = set()
        for i in range(sent.start, sent.end):
            if i in consumed:
                continue
            etype, end = self._trigger_at(table, i)
            if etype is None:
                continue
            # a multiword trigger ("hunger strike", "open fire") is read at its syntactic head
            head = doc[i:end].root if end - i > 1 else doc[i]
            consumed.update(range(i, end))
            frame = self._build(head, etype)
            frame.tokens.update(range(i, end))
            frames.append(frame)
            by_trigger[head.i] = frame
        frames.extend(self._sequence_frames(sent, table, by_trigger))
        frames.extend(self._obligation_frames(sent, table, by_trigger))
        frames = self._combine(frames, by_trigger)
        for frame in frames:
            self._weapon_cues(frame)
            taken = set(frame.tokens)
            if frame.actor1 is not None:
                taken.update(t.i for t in phrase(frame.actor1))
            # a statement noun's content ("a U.S. request to interrogate prisoners") is what
            # was said, not whom it was said to; a struck object's place ("hit a warehouse in
            # eastern Syria") is where, not whose: its owner may be named elsewhere
            if (frame.anchor is not None or frame.etype.material) and not (
                frame.target is not None and frame.etype.material
            ):
                frame.later = later_nominals(frame.clause_head(), frame.trigger, taken)
        return frames

    def frame_at(self, tok: Token, etype: EventType) -> Frame:
        """A frame of type `etype` read at `tok`, for an event the event model found where no
        trigger word names it (eventline.extraction.decision)."""
        frame = self._build(tok, etype)
        self._weapon_cues(frame)
        return frame

    # ---- building one frame ---------------------------------------------------------
    def _build(self, tok: Token, etype: EventType) -> Frame:
        frame = Frame(trigger=tok, etype=etype, tokens={tok.i})
        if tok.pos_ == "VERB":
            frame.anchor = tok
            frame.actor1 = subject(tok)
            obj = direct_object(tok)
            if obj is None and frame.actor1 is not None and tok.lemma_ in SYMMETRIC:
                # "the army and the RSF clashed": the second party is the other side
                obj = next(iter(frame.actor1.conjuncts), None) or with_object(tok)
                frame.split_conjuncts = obj is not None and obj in frame.actor1.conjuncts
            if obj is None or obj.lemma_ in WEAPON_NOUNS:
                # "fired tear gas to disperse demonstrators": the purpose names who was targeted
                for child in tok.children:
                    if child.dep_ in ("advcl", "xcomp") and any(
                        a.lower_ == "to" for a in child.children
                    ):
                        purpose_object = next((g for g in child.children if g.dep_ == "dobj"), None)
                        if purpose_object is not None:
                            frame.actor2_alternatives.append(purpose_object)
            if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.lemma_ in WEAPON_NOUNS:
                frame.cue_words.append(tok.head.lemma_)  # "drones launched by Russia"
            if obj is not None and obj.lemma_ in WEAPON_NOUNS:
                frame.cue_words.append(obj.lemma_)
                obj = target_of_prepositions(tok)
            if obj is not None and obj.lemma_ in STATEMENT_NOUNS and not etype.material:
                # "rejected Saddam Hussein's proposal", "an Indian proposal": its author
                frame.target = obj
                obj = owner_of(obj) or next(
                    (
                        c
                        for c in obj.children
                        if c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE")
                    ),
                    None,
                )
            elif obj is not None and not etype.material and self._single_type(obj) is not None:
                # "condemned an attack by Osgiliath soldiers": the one who did it
                frame.target = obj
                obj = noun_actor(obj)
            frame.actor2 = obj
            if etype.quad_class != 4:
                # cooperation and statements are addressed to someone; force has its targets
                thing = direct_object(tok)
                frame.recipients = recipients_of(tok) + (
                    recipients_of(thing, NOUN_RECIPIENT_PREPS) if thing is not None else []
                )
                if not etype.material and thing is None:
                    # "demanded that the US cancel its plans": the one the demand is put to
                    frame.recipients[:0] = [
                        who
                        for c in tok.children
                        if c.dep_ == "ccomp"
                        for who in [subject(c)]
                        if who is not None
                    ]
                if not etype.material:
                    frame.recipients += self._stated_targets(tok, thing)
            for child in tok.children:
                if child.dep_ == "prt":
                    frame.tokens.add(child.i)
        else:
            self._build_noun(frame)
        _facility_and_weapon_roles(frame)
        return frame

    @staticmethod
    def _stated_targets(verb: Token, thing: Token | None) -> list[Token]:
        """Whom a statement is about when it names an action: "threatened further action
        against Russia", "threatened to break relations with Russia", "vowed to wage war on X"."""
        found = (
            [t for t in [target_of_prepositions(thing)] if t is not None]
            if thing is not None
            else []
        )
        for clause in (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
            inner = direct_object(clause)
            found += [inner] if inner is not None and inner.dep_ in ("dobj", "obj") else []
            found += [t for t in [target_of_prepositions(clause)] if t is not None]
            found += recipients_of(clause)
            if inner is not None:
                found += [t for t in [target_of_prepositions(inner)] if t is not None]
                found += recipients_of(inner, NOUN_RECIPIENT_PREPS)
        return found

    def _build_noun(self, frame: Frame) -> None:
        noun = frame.trigger
        head = noun
        # "a new round of airstrikes": the container stands in the clause for the event
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_ in CONTAINERS:
            head = noun.head.head
            frame.container = head
            frame.tokens.update({head.i, noun.head.i})
        frame.actor1 = noun_actor(noun)
        frame.actor2 = target_of_prepositions(noun)
        if frame.actor2 is None and frame.actor1 is not None:
            # "66 strikes by militias on American troops": the target may hang on the agent
            frame.actor2 = target_of_prepositions(frame.actor1)
        verb = head.head
        if frame.etype.quad_class != 4:
            frame.recipients = recipients_of(noun, NOUN_RECIPIENT_PREPS)
        if head.dep_ in ("dobj", "obj") and verb.lemma_ in LIGHT_VERBS:
            frame.anchor = verb
            frame.tokens.add(verb.i)
            frame.actor1 = frame.actor1 or subject(verb)
            frame.actor2 = frame.actor2 or target_of_prepositions(verb)
            if frame.etype.quad_class != 4:
                frame.recipients += recipients_of(verb)  # "held talks with X"
        elif head.dep_ in ("nsubj", "nsubjpass") and verb.lemma_ in SUPPORT_VERBS:
            frame.anchor = verb
            frame.tokens.add(verb.i)
            if verb.lemma_ == "take":  # "took place"
                frame.tokens.update(c.i for c in verb.children if c.lower_ == "place")
        elif head.dep_ == "attr" and verb.lemma_ == "be":
            # "there have been 66 strikes ... since Oct. 17": the copula carries time and target
            frame.anchor = verb
            frame.tokens.add(verb.i)
            frame.actor2 = frame.actor2 or target_of_prepositions(verb)
        elif frame.actor1 is None and frame.etype.event_type not in COUNTED_TYPES:
            # "arrived in Amman on a visit", "were converging for a rally", "resorted to
            # throwing stones during demonstrations": the subject of the verb that carries
            # the noun does it, unless the verb is an event of its own ("condemned the
            # attack"). Not for attacks: "died in an attack" names a victim.
            carrier = self._carrier(head)
            frame.actor1 = subject(carrier) if carrier is not None else None
        elif head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_ == "part":
            # "militants who were part of an attack on X": the subject of "part" is the actor
            copula = head.head.head.head
            if copula.pos_ in ("AUX", "VERB"):
                frame.actor1 = frame.actor1 or subject(copula)

    def _carrier(self, noun: Token) -> Token | None:
        """The verb an event noun is the object of, directly ("reiterated its demand") or
        through a carrier preposition ("on a visit", "for a rally"), when that verb is no
        trigger word."""
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in CARRIER_PREPS:
            verb = verb.head
        elif noun.dep_ not in ("dobj", "obj"):
            return None
        if verb.pos_ != "VERB" or verb.i == noun.i or self._single_type(verb) is not None:
            return None
        return verb

    def _sequence_frames(
        self, sent: Span, table: TokenTable, by_trigger: dict[int, Frame]
    ) -> list[Frame]:
        """ "The U.S. strikes followed others last week in eastern Syria": 'others' is a new event
        of the same kind and by the same side as the subject's event."""
        frames = []
        for i in range(sent.start, sent.end):
            if table.lemma[i] not in SEQUENCE_VERBS or table.pos[i] != "VERB":
                continue
            tok = sent.doc[i]
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
            if subj is None or obj is None or subj.i not in by_trigger:
                continue
            if obj.lemma_ not in EVENT_PRONOUNS:
                continue
            source = by_trigger[subj.i]
            source.tokens.discard(tok.i)
            if source.anchor is not None and source.anchor.i == tok.i:
                source.anchor = None
            frame = Frame(
                trigger=obj,
                etype=source.etype,
                tokens={obj.i, tok.i},
                actor1=noun_actor(subj),
                actor2=target_of_prepositions(tok) or target_of_prepositions(obj),
                anchor=tok,
                sequence_of=subj,
            )
            if frame.actor2 is not None and frame.actor2.lemma_ in FACILITY_NOUNS:
                frame.target = frame.actor2
                frame.actor2 = owner_of(frame.actor2)
            frames.append(frame)
        return frames

    def _obligation_frames(
        self, sent: Span, table: TokenTable, by_trigger: dict[int, Frame]
    ) -> list[Frame]:
        """ "The Red Cross said US forces must ensure security": what one actor says another
        must do is a demand (REQUEST) even when the action is no trigger word. Clauses whose
        verb is a trigger are restated by eventline.extraction.statements instead."""
        etype = self.lexicon.lookup("demand", "VERB")
        if etype is None:
            return []
        frames = []
        for i in range(sent.start, sent.end):
            if (
                table.pos[i] != "VERB"
                or i in by_trigger
                or table.dep[i] not in ("ccomp", "acl", "relcl")
            ):
                continue
            tok = sent.doc[i]
            if not any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children):
                continue
            who = subject(tok)
            if who is None:
                continue
            frame = Frame(
                trigger=tok, etype=etype, tokens={tok.i}, actor1=None, actor2=who, anchor=tok
            )
            frame.obligation = True
            frames.append(frame)
        return frames

    # ---- joining frames that are one event --------------------------------------------
    def _combine(self, frames: list[Frame], by_trigger: dict[int, Frame]) -> list[Frame]:
        """Join frames of one event: coordinated triggers with a shared subject ("fired on and
        killed"), a participle that elaborates a trigger ("conducted airstrikes, destroying two
        facilities"), and an event noun that is the subject of a trigger verb ("the strikes
        killed six")."""
        absorbed: set[int] = set()
        for frame in frames:
            tok = frame.trigger
            parent: Frame | None = None
            if tok.pos_ == "VERB" and tok.dep_ == "conj" and tok.head.i in by_trigger:
                parent = by_trigger[tok.head.i]
                if parent.etype.quad_class != frame.etype.quad_class:
                    # "condemned an attack and promised aid": two acts of one actor
                    parent = None
            elif tok.pos_ == "VERB" and tok.dep_ == "advcl" and tok.tag_ == "VBG":
                parent = self._frame_with_token(frames, tok.head.i)
            if parent is not None and parent is not frame and id(parent) not in absorbed:
                self._merge_into(parent, frame)
                absorbed.add(id(frame))
                continue
            # "the American strikes last week killed six": the noun names the event
            subj = frame.actor1
            if tok.pos_ == "VERB" and subj is not None and subj.i in by_trigger:
                noun_frame = by_trigger[subj.i]
                if noun_frame is not frame and id(noun_frame) not in absorbed:
                    frame.actor1 = noun_frame.actor1
                    frame.etype = noun_frame.etype
                    frame.actor2 = frame.actor2 or noun_frame.actor2
                    frame.tokens |= noun_frame.tokens
                    frame.container = noun_frame.container
                    absorbed.add(id(noun_frame))
        return [f for f in frames if id(f) not in absorbed]

    @staticmethod
    def _frame_with_token(frames: list[Frame], index: int) -> Frame | None:
        for frame in frames:
            if index in frame.tokens:
                return frame
        return None

    @staticmethod
    def _merge_into(parent: Frame, child: Frame) -> None:
        parent.tokens |= child.tokens
        parent.actor1 = parent.actor1 or child.actor1
        if parent.actor2 is None:
            parent.actor2 = child.actor2
        elif child.actor2 is not None:
            parent.actor2_alternatives.append(child.actor2)
        if parent.target is None:
            parent.target = child.target
        parent.cue_words.extend(child.cue_words)
        parent.recipients.extend(child.recipients)
        # the more specific type wins: "fired on and killed" keeps the attack with its cues;
        # a killing verb adds its fatalities later, read from the sentence
        if parent.etype.event_type != "ASSAULT" and child.etype.event_type == "ASSAULT":
            parent.etype = child.etype

    def _weapon_cues(self, frame: Frame) -> None:
        words = list(frame.cue_words)
        tok = frame.trigger
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "nmod", "dobj"):
                words.append(child.lemma_)
                words.extend(g.lemma_ for g in child.children if g.dep_ in ("compound", "amod"))
                if child.dep_ == "dobj":
                    words.append(" ".join(t.lemma_.lower() for t in phrase(child)))
            if child.dep_ == "prep" and child.lower_ == "with":
                words.extend(g.lemma_ for g in child.children if g.dep_ == "pobj")
        if frame.actor1 is not None:
            actor_phrase = phrase(frame.actor1)
            words.extend(t.lemma_ for t in actor_phrase)
            words.append(actor_phrase.text.lower().replace(" ", ""))
        if frame.anchor is not None and frame.anchor.i != tok.i:
            for child in frame.anchor.children:
                if child.dep_ == "prep" and child.lower_ == "with":
                    words.extend(g.lemma_ for g in child.children if g.dep_ == "pobj")
        # multiword cues ("car bomb", "mustard gas") are looked up on the joined lemmas
        joined = " ".join(words)
        words.extend(c for c in self.lexicon.cues if " " in c and c in joined)
        frame.cue_words = words
        frame.etype = self.lexicon.refine(frame.etype, words)
