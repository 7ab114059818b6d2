"""Turning a frame into a record: resolve its actors, time, place and death toll.

Reads: a Frame (eventline.extraction.frames), the expressions tied to it
(eventline.extraction.anchors) and the resolvers (eventline.resolve.*). Writes: an Event or a
Claim of the output contract, one per mention; eventline.extraction.discourse merges them.
Which actor a word names is eventline.extraction.actor_mentions'; how an actor pair codes,
eventline.extraction.actor_rules'; what a statement about an action is,
eventline.extraction.statements'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span

from eventline.data_files import word_list, word_set
from eventline.extraction.actor_mentions import ActorMentions
from eventline.extraction.actor_rules import (
    _acled,
    _in_context,
    _military,
    _one_state,
    _same_actor,
)
from eventline.extraction.attribution import attribution, is_pronoun, speaker
from eventline.extraction.claims import count_token
from eventline.extraction.frames import Frame
from eventline.extraction.lexicon import REMOTE_MODES
from eventline.extraction.span_tagger import SpanTagger
from eventline.model import Actor, Claim, Count, Document, Event, Place, TimeValue, stable_id
from eventline.nlp import text_of
from eventline.resolve import counts
from eventline.resolve.actors import ActorDictionary
from eventline.resolve.dates import expressions as dates
from eventline.tokens import token_table

KILLING = word_set("roles.yaml", "killing_verbs")
SPEECH_ACTS = frozenset(word_list("roles.yaml", "speech_act_types"))
JOINT_TYPES = frozenset(word_list("roles.yaml", "joint_types"))
JOINT_PARTNERS = {"with", "between", "to"}
NAMED_TIME = re.compile(
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{4}\b",
    re.IGNORECASE,
)
RELATIVE_WORDS = {"ago", "earlier", "before", "after", "later"}
MILITARY_MODES = REMOTE_MODES | {"heavy-weapons", "firearms"}
# a sentence's event expands to at most this many actor pairs
MAX_DYADS = 12


class DocumentState:
    """What one document remembers from sentence to sentence."""

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.last_source: str | None = None
        self.skipped: list[tuple[str, str, str]] = []
        self.dateline_end = 0
        self.published: date | None = None  # the day office holders' codes are read for
        self.offset = 0  # where the parsed part being read starts in the document text



def _agentless(frame: Frame) -> bool:
    head = frame.clause_head()
    return frame.actor1 is None and any(c.dep_ == "nsubjpass" for c in head.children)


@dataclass(frozen=True)
class SentenceSetting:
    """What every frame of one sentence shares when it becomes an event."""

    document: Document
    sent: Span
    offset: int  # where the parsed part starts in the document text
    anchor: date | None  # the publication date relative times resolve against
    sentence_places: list[tuple[Span, Place]]
    state: DocumentState
    several_frames: bool
    # the event model's probability for the frame's type (eventline.extraction.decision)
    confidence: float = 0.0


def sentence_span(sent: Span, offset: int) -> tuple[int, int]:
    """Where the sentence lies in the document's text, up to its last parsed character: spaCy
    gives a sentence the spaces after it, and where the prefilter blanked the sentences that
    follow, those spaces stand for text the sentence does not hold."""
    parsed = text_of(sent.doc)[sent.start_char : sent.end_char]
    start = offset + sent.start_char
    return start, start + len(parsed.rstrip())


class RecordBuilder:
    """Builds events and claims from frames with one set of dictionaries."""

    def __init__(self, actors: ActorDictionary, tagger: SpanTagger | None = None) -> None:
        self.actors = actors
        self.tagger = tagger  # learned source/target spans: a target the parse left out
        self.mentions = ActorMentions(actors, tagger)

    def event(
        self,
        frame: Frame,
        frame_times: list[tuple[Span, TimeValue]],
        frame_places: list[tuple[Span, Place]],
        setting: SentenceSetting,
    ) -> Event | None:
        document, sent, offset = setting.document, setting.sent, setting.offset
        anchor, sentence_places = setting.anchor, setting.sentence_places
        state, several_frames = setting.state, setting.several_frames
        etype = frame.etype
        actor1 = self.mentions.actor(frame.actor1, state, conjuncts=not frame.split_conjuncts)
        if actor1 is None and etype.event_type in SPEECH_ACTS and _agentless(frame):
            # "the plan was rejected, X said": a speech act in the passive with no agent is
            # the speaker's
            actor1 = self.mentions.actor(speaker(frame.clause_head()), state)
        actor2, word = self.mentions.target(frame, state)
        if frame.actor2 is not None and actor2 is None and frame.target is None:
            # the object is a place or a thing, not an actor: it may still be where it happened
            frame_places = frame_places or [
                (s, p) for s, p in sentence_places if s.start <= frame.actor2.i < s.end
            ]
        if actor2 is None and self.tagger is not None:
            # no actor in the parse's object: the learned target phrase, if it names one; a
            # place as the target of an act only when the act has no object at all
            actor2 = self.mentions.tagged_target(frame, sent, state, places=frame.actor2 is None)
        # whether the sentence reports an event is the event model's decision
        # (eventline.extraction.decision); a missing actor leaves the role empty
        if not etype.material and _one_state(actor1, actor2):
            if word is None or word not in frame.later:
                return None  # a government and its own army or ministry: internal deliberation
            actor2 = None  # the first actor after the trigger was a guess: the act stands
        if actor1 is not None and actor2 is not None and _same_actor(actor1, actor2):
            actor2 = None
        when = self._when(frame_times, anchor, sent.doc)
        if when is None and anchor is not None and frame.clause_head().tag_ in ("VBZ", "VBP"):
            # present tense in a news report ("the administration blames") speaks of its own day
            when = TimeValue(text="", start=anchor, precision="day")
        where = self._where(frame_places, sentence_places)
        actor1, actor2 = (self.mentions.located(a, sentence_places, offset) for a in (actor1, actor2))
        actor1, actor2 = _in_context(actor1, actor2, where, sentence_places, etype.event_type)
        if etype.event_type == "ASSAULT" and etype.mode in MILITARY_MODES:
            actor1 = _military(actor1)
        acled_type, acled_sub = _acled(
            etype.acled_event_type, etype.acled_sub_event_type, etype.mode, actor2
        )
        toll = self._toll(frame, sent, several_frames)
        source = attribution(frame.clause_head())
        if is_pronoun(source):
            source = state.last_source
        elif source:
            state.last_source = source
        start, end = sentence_span(sent, offset)
        return Event(
            id=stable_id(document.id, offset + frame.trigger.idx, frame.trigger.text, prefix="e"),
            doc_id=document.id,
            sentence=document.text[start:end].strip(),
            char_start=start,
            char_end=end,
            event_type=etype.event_type,
            mode=etype.mode,
            context=list(etype.context),
            cameo=etype.cameo,
            quad_class=etype.quad_class,
            acled_event_type=acled_type,
            acled_sub_event_type=acled_sub,
            actor1=actor1,
            actor2=actor2,
            date=when.start if when else None,
            date_end=(when.end if when and when.end and when.end != when.start else None),
            date_precision=when.precision if when and when.start else None,
            date_text=(when.text or None) if when else None,
            location=where,
            fatalities=toll.best,
            fatalities_max=toll.maximum,
            attribution=source,
            confidence=round(setting.confidence, 3),
            trigger=frame.trigger.text,
        )

    def events(
        self,
        frame: Frame,
        frame_times: list[tuple[Span, TimeValue]],
        frame_places: list[tuple[Span, Place]],
        setting: SentenceSetting,
    ) -> list[Event]:
        """The event of a frame, one per pair of actors when a role of a statement or an act
        of cooperation names several distinct states or groups ("Fornost and Gondor welcomed
        ..."): the dyadic convention of CAMEO, which PLOVER describes as the expansion of an
        actor list. Material conflict stays one event per incident ("US and British warplanes
        struck ..."), as ACLED codes it and as cross-report deduplication counts it."""
        event = self.event(frame, frame_times, frame_places, setting)
        if event is None:
            return []
        state = setting.state
        if frame.etype.quad_class == 4:
            return [event]
        firsts = [] if frame.split_conjuncts else self.mentions.members(frame.actor1, state)
        seconds = (
            self.mentions.members(self.mentions.target(frame, state)[1], state)
            if event.actor2 is not None
            else []
        )
        # one member replaces the acting phrase only where the phrase as a whole named no actor
        # ("the lions and Gondor welcomed ..."); several are one event each
        firsts = firsts if len(firsts) > 1 or event.actor1 is None else []
        seconds = seconds if len(seconds) > 1 else []
        if not firsts and not seconds:
            return [event]
        out: list[Event] = []
        # without members on one side, that side keeps the event's own actor (or none)
        left: Sequence[Actor | None] = firsts or [event.actor1]
        right: Sequence[Actor | None] = seconds or [event.actor2]
        if len(firsts) > 1 and frame.etype.event_type in JOINT_TYPES:
            # "Jordan and Britain agreed to hold exercises", "Israel and Lebanon renewed
            # negotiations": the members act together, as PLOVER codes it; only a partner or
            # recipient named by a preposition is acted upon ("signed an agreement with C",
            # "presented credentials to C's president")
            word = self.mentions.target(frame, state)[1]
            if word is None or word.dep_ != "pobj" or word.head.lower_ not in JOINT_PARTNERS:
                right = [None]
        for first in left:
            for second in right:
                if (
                    first is not None
                    and second is not None
                    and first.code
                    and first.code == second.code
                ):
                    continue
                codes = (first.code if first else None, second.code if second else None)
                out.append(
                    replace(
                        event,
                        actor1=first,
                        actor2=second,
                        id=stable_id(event.id, *codes, prefix="e"),
                    )
                )
        return out[:MAX_DYADS] or [event]


    @staticmethod
    def _toll(frame: Frame, sent: Span, several_frames: bool) -> Count:
        """Deaths tied to this event: read next to a killing word of its own clause; when the
        sentence holds several events, a toll elsewhere in it belongs to another one."""
        table = token_table(sent.doc)
        lemma = table.lemma
        killing = [i for i in sorted(frame.tokens) if lemma[i] in KILLING]
        for i in range(
            sent.start, sent.end
        ):  # "an attack that killed five", "a blast killed three"
            if (
                lemma[i] in KILLING
                and table.pos[i] == "VERB"
                and (table.head[i] in frame.tokens and table.dep[i] in ("relcl", "acl"))
            ):
                killing.append(i)
        if killing:
            return counts.fatalities(sent, sent.doc[killing[0]])
        if several_frames:
            return Count(None)
        return counts.fatalities(sent, frame.trigger)

    def claim(
        self,
        document: Document,
        frame: Frame,
        sent: Span,
        offset: int,
        period: TimeValue | None,
        state: DocumentState,
    ) -> Claim:
        number = count_token(frame)
        count = counts.parse_number(number.text) if number is not None else None
        start, end = sentence_span(sent, offset)
        return Claim(
            id=stable_id(document.id, offset + frame.trigger.idx, prefix="c"),
            doc_id=document.id,
            sentence=document.text[start:end].strip(),
            char_start=start,
            char_end=end,
            count=count,
            event_type=frame.etype.event_type,
            actor1=self.mentions.actor(frame.actor1, state),
            actor2=self.mentions.actor(frame.actor2, state),
            period_start=period.start if period else None,
            period_end=(
                period.end
                if period and period.end
                else (document.published if period and period.start else None)
            ),
            period_text=period.text if period else None,
            attribution=attribution(frame.clause_head()),
        )

    def _when(
        self, tied: list[tuple[Span, TimeValue]], anchor: date | None, doc: Doc
    ) -> TimeValue | None:
        candidates: list[tuple[int, TimeValue]] = []
        for span, value in tied:
            timex = value.timex or ""
            if timex.endswith("_REF") or not value.text.strip():
                continue
            if (
                value.start is None
                and timex.startswith("P")
                or value.start is None
                and anchor is not None
            ):
                # a bare duration: "almost two weeks [after]" dates an event relative to the anchor
                nxt = doc[span.end] if span.end < len(doc) else None
                if nxt is not None and nxt.lower_ in RELATIVE_WORDS:
                    better = dates.resolve_time_text(f"{value.text} {nxt.text}", anchor)
                    if better is not None:
                        value = better
            if anchor is not None and value.start is None:
                continue
            rank = (
                0
                if value.precision == "day" and not value.approximate
                else 1
                if value.precision
                else 2
            )
            if value.start is None:
                # no anchor: a named day or month ("Monday night", "Oct. 27") says more than a
                # distance ("24 hours earlier")
                rank = 1 if NAMED_TIME.search(value.text) else 2
            if timex.startswith("P"):
                rank = 3
            candidates.append((rank, value))
        if not candidates:
            return None
        return min(candidates, key=lambda c: c[0])[1]

    @staticmethod
    def period(tied: list[tuple[Span, TimeValue]], anchor: date | None) -> TimeValue | None:
        for span, value in tied:
            before = span.doc[span.start - 1] if span.start > 0 else None
            if value.text.lower().startswith("since") or (
                before is not None and before.lower_ in ("since", "over", "during")
            ):
                if before is not None and before.lower_ == "since" and value.start is not None:
                    return TimeValue(
                        text=f"since {value.text}",
                        start=value.start,
                        end=anchor,
                        precision=value.precision,
                    )
                return value
        return None

    @staticmethod
    def _where(
        tied: list[tuple[Span, Place]], sentence_places: list[tuple[Span, Place]]
    ) -> Place | None:
        if tied:
            return min(tied, key=lambda item: (item[1].precision or 3, item[0].start))[1]
        # no place attached to the event: a sentence that names one country only is placed there
        vague = {p.country for _, p in sentence_places}
        if (
            len(sentence_places) >= 1
            and len(vague) == 1
            and all((p.precision or 3) >= 3 for _, p in sentence_places)
        ):
            return sentence_places[0][1]
        return None
