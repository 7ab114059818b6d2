"""The extraction pipeline: Document -> parsed text -> frames -> resolved events and claims.

    parse (eventline.nlp) -> frames (extract.frames) -> modality (extract.modality)
      -> resolve actors / dates / places / counts (eventline.resolve.*)
      -> within-article merging (extract.discourse) -> Result

Every engine (local processes, Spark) calls `Pipeline.process_many`, so all run the same code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from eventline import prefilter
from eventline.errors import Msg
from eventline.extraction.attribution import attribution, is_pronoun
from eventline.extraction.claims import count_token, is_aggregate
from eventline.extraction.discourse import Mention, fill_targets, merge
from eventline.extraction.frames import Frame, FrameFinder, phrase
from eventline.extraction.lexicon import REMOTE_MODES, word_set
from eventline.extraction.modality import judge
from eventline.model import (
    Actor,
    Claim,
    Count,
    Document,
    Event,
    Place,
    Problem,
    Result,
    TimeValue,
    stable_id,
)
from eventline.nlp import load_nlp
from eventline.resolve import counts, dates, places
from eventline.resolve.actors import ActorDictionary

log = logging.getLogger(__name__)
ARMED = word_set("roles.yaml", "armed_sectors")
CIVILIAN = word_set("roles.yaml", "civilian_sectors")
KILLING = word_set("roles.yaml", "killing_verbs")
# one spaCy call never sees more than this many characters: longer texts are cut at paragraph
# breaks and each part is read on its own, which keeps memory flat for very long inputs
CHUNK_CHARS = 100_000
NAMED_TIME = re.compile(
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{4}\b",
    re.IGNORECASE,
)
RELATIVE_WORDS = {"ago", "earlier", "before", "after", "later"}
MILITARY_MODES = REMOTE_MODES | {"heavy-weapons", "firearms"}


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split at blank lines (else at line ends) into parts of at most `limit` characters."""
    if len(text) <= limit:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            if cut <= start:
                cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        parts.append((start, text[start:end]))
        start = end
    return parts


def _tie(root: Token, owner: dict[int, Frame], limit: int = 10) -> Frame | None:
    """The frame a time or place expression belongs to: walk up the parse from the expression
    until a word of a frame; crossing another verb (a new clause) ends the walk."""
    tok = root
    for step in range(limit):
        if tok.i in owner:
            return owner[tok.i]
        if step > 0 and tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.head is tok:
            return None
        tok = tok.head
    return None


PLACE_PREPS = word_set("roles.yaml", "place_prepositions") | word_set("roles.yaml", "target_prepositions")
FACILITIES = word_set("roles.yaml", "facility_nouns")


def _placed(span: Span) -> bool:
    """Whether a place mention says where something happened ("in Iraq", "south of Baghdad",
    "attack on Al Asad Air Base") rather than naming an actor ("The United States struck",
    "U.S. forces")."""
    root = span.root
    doc = span.doc
    if span.end < len(doc) and doc[span.end].text in ("-", "–"):
        return False  # "Iran-backed", "U.S.-led": a modifier, not a place
    if root.dep_ == "pobj":
        if root.head.lower_ == "of":  # "a district of Kharkiv", "the outskirts of Gao"
            return root.head.head.lemma_.lower() in FACILITIES or root.head.head.lower_ in ("outskirts", "south", "north", "east", "west")
        return root.head.lower_ in PLACE_PREPS
    if root.dep_ == "prep":  # the mention holds its preposition: "near Gao", "outside Kyiv"
        return root.lower_ in PLACE_PREPS or root.lower_ in ("of", "to")
    return root.dep_ in ("advmod", "npadvmod", "appos", "conj", "ROOT")


DATELINE_DASH = re.compile(r"\s(?:-|--|\u2013|\u2014)\s|\)\s*(?:-|\u2013|\u2014)?\s")


def _dateline_end(text: str) -> int:
    """Where a dateline ("BAGHDAD, Nov. 22 (Reuters) -") ends, if one of the first three
    lines (a headline may stand above it) opens with one; else 0."""
    position = 0
    for line in text.splitlines(keepends=True)[:4]:
        stripped = line.lstrip()
        skipped = position + len(line) - len(stripped)
        position += len(line)
        if not stripped.strip():
            continue
        found = DATELINE_DASH.search(stripped[:120])
        lead = stripped[: found.start()] if found else ""
        if found and re.match(r"[A-Z]", lead) and "," in lead and len(lead.split()) <= 10 and re.search(r"\d", lead):
            return skipped + found.end()
    return 0


def _dates_something(value: TimeValue) -> bool:
    timex = value.timex or ""
    return bool(value.text.strip()) and not timex.endswith("_REF") and not (timex.startswith("P") and value.start is None and not value.text)


def _span(doc: Doc, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        return None
    return doc.char_span(start, end, alignment_mode="expand")


class Pipeline:
    """Loads the model and dictionaries once; turns documents into Results."""

    def __init__(self, actor_files: Sequence[Path] = (), *, prefilter: bool = True) -> None:
        self.actor_files = tuple(Path(p) for p in actor_files)
        # parse only sentences that can hold an event (eventline.prefilter); the others are
        # blanked out in place, so character offsets stay those of the original text
        self.prefilter = prefilter
        self.frames = FrameFinder()
        self._actors: ActorDictionary | None = None

    @property
    def actors(self) -> ActorDictionary:
        if self._actors is None:
            self._actors = ActorDictionary.load(self.actor_files)
        return self._actors

    # ---- entry points ------------------------------------------------------------------
    def extract_text(self, text: str, published: date | str | None = None, **fields: Any) -> Result:
        from eventline.ingest import read_text

        value = date.fromisoformat(published) if isinstance(published, str) else published
        return self.process(read_text(text, published=value, **fields))

    def process(self, document: Document) -> Result:
        return next(iter(self.process_many([document])))

    def process_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Result]:
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= batch_size:
                yield from self._process_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._process_batch(batch, batch_size)

    def _process_batch(self, batch: list[Document], batch_size: int) -> Iterator[Result]:
        nlp = load_nlp()
        items = [(self._masked(text), (n, offset)) for n, d in enumerate(batch) for offset, text in chunks(d.text)]
        try:
            parsed = list(nlp.pipe(items, as_tuples=True, batch_size=batch_size))
        except Exception:  # one bad text must not sink the batch: retry one by one
            log.exception("batch parse failed; parsing documents one at a time")
            for document in batch:
                yield self._safe(document, None)
            return
        per_doc: dict[int, list[tuple[Doc, int]]] = {}
        for sdoc, (n, offset) in parsed:
            per_doc.setdefault(n, []).append((sdoc, offset))
        for n, document in enumerate(batch):
            yield self._safe(document, per_doc.get(n, []))

    def _masked(self, text: str) -> str:
        # the dateline ("KYIV, June 12, 2024 -") is blanked for the parser, which would
        # otherwise read the city as the subject of the first sentence; offsets do not move
        end = _dateline_end(text)
        if end:
            start = len(text) - len(text.lstrip())
            head = text[:end]
            line_start = head.rfind("\n", 0, end) + 1
            text = text[:line_start] + " " * (end - line_start) + text[end:]
            del start
        if not self.prefilter:
            return text
        return prefilter.mask_text(text, prefilter.candidate_sentences(text))

    def _safe(self, document: Document, parsed: list[tuple[Doc, int]] | None) -> Result:
        try:
            if parsed is None:
                nlp = load_nlp()
                parsed = [(nlp(self._masked(text)), offset) for offset, text in chunks(document.text)]
            return self._extract(document, parsed)
        except Exception as exc:  # reported, never raised: the batch goes on
            log.exception("extraction failed for %s", document.id)
            detail = f"{type(exc).__name__}: {exc}"
            problem = Problem(document.origin or document.id, "E201", Msg.E201.format(detail=detail), doc_id=document.id)
            return Result(document=document, problems=[problem])

    # ---- one document -----------------------------------------------------------------
    def _extract(self, document: Document, parsed: list[tuple[Doc, int]]) -> Result:
        result = Result(document=document)
        anchor = document.published
        if anchor is None:
            anchor = dates.find_dateline(document.text)
            if anchor is not None:
                document.published, document.published_from = anchor, "dateline"
        if anchor is None:
            result.problems.append(
                Problem(document.origin or document.id, "W102", Msg.W102.value, "warning", document.id)
            )
        state = _DocumentState()
        state.dateline_end = _dateline_end(document.text)
        mentions: list[Mention] = []
        for sdoc, offset in parsed:
            times = dates.find_time_expressions(sdoc, anchor)
            place_mentions, place_ctx = places.document_places(sdoc)
            for sent in sdoc.sents:
                self._sentence(document, sent, offset, anchor, times, place_mentions, state, mentions, result)
        clusters = merge(mentions)
        events = [c.event for c in clusters]
        fill_targets(events)
        result.events = events
        return result

    def _sentence(
        self,
        document: Document,
        sent: Span,
        offset: int,
        anchor: date | None,
        times: list[TimeValue],
        place_mentions: list[tuple[int, int, Place]],
        state: _DocumentState,
        mentions: list[Mention],
        result: Result,
    ) -> None:
        frames = self.frames.find(sent)
        if not frames:
            return
        doc = sent.doc
        owner = {i: frame for frame in frames for i in frame.tokens}
        tied_times: dict[int, list[tuple[Span, TimeValue]]] = {}
        dateline = state.dateline_end if offset == 0 else 0
        for value in times:
            span = _span(doc, value.char_start, value.char_end)
            if span is None or not (sent.start <= span.start < sent.end):
                continue
            if span.end_char <= dateline:
                continue  # "GAO, March 4, 2024 -": the day of the report, not of the event
            frame = _tie(span.root, owner)
            if frame is not None:
                tied_times.setdefault(id(frame), []).append((span, value))
        tied_places: dict[int, list[tuple[Span, Place]]] = {}
        sentence_places: list[tuple[Span, Place]] = []
        for start, end, place in place_mentions:
            span = _span(doc, start, end)
            if span is None or not (sent.start <= span.start < sent.end) or not _placed(span):
                continue
            if places.is_demonym_place(place):
                continue  # "Syrian", "Iraqi": an adjective is no place of an event
            sentence_places.append((span, place))
            frame = _tie(span.root, owner)
            if frame is not None:
                tied_places.setdefault(id(frame), []).append((span, place))
        for frame in frames:
            # only expressions that date something count ("recently" and "for years" do not)
            frame_times = [(sp, v) for sp, v in tied_times.get(id(frame), []) if _dates_something(v)]
            frame_places = tied_places.get(id(frame), [])
            if frame.target is not None and not frame_places:
                frame_places = [(s, p) for s, p in sentence_places if s.start <= frame.target.i < s.end]
            verdict = judge(frame, has_time=bool(frame_times), has_place=bool(frame_places))
            period = self._period(frame_times, anchor)
            if is_aggregate(frame, period is not None):
                result.claims.append(self._claim(document, frame, sent, offset, period, state))
                continue
            if not verdict.factual:
                state.skipped.append((frame.trigger.text, verdict.reason, sent.text))
                continue
            event = self._event(document, frame, sent, offset, anchor, frame_times, frame_places, sentence_places, state, len(frames) > 1)
            if event is not None:
                present = frame.clause_head().tag_ in ("VBZ", "VBP")
                mentions.append(Mention(event=event, order=len(mentions), specificity=frame.etype.specificity, keeps_own_time=present))

    # ---- building records ----------------------------------------------------------------
    def _event(
        self,
        document: Document,
        frame: Frame,
        sent: Span,
        offset: int,
        anchor: date | None,
        frame_times: list[tuple[Span, TimeValue]],
        frame_places: list[tuple[Span, Place]],
        sentence_places: list[tuple[Span, Place]],
        state: _DocumentState,
        several_frames: bool,
    ) -> Event | None:
        etype = frame.etype
        actor1 = self._actor(frame.actor1, state, conjuncts=not frame.split_conjuncts)
        actor2 = self._actor(frame.actor2, state)
        for alternative in frame.actor2_alternatives:
            if actor2 is not None:
                break
            actor2 = self._actor(alternative, state)
        if frame.actor2 is not None and actor2 is None and frame.target is None:
            # the object is a place or a thing, not an actor: it may still be where it happened
            frame_places = frame_places or [(s, p) for s, p in sentence_places if s.start <= frame.actor2.i < s.end]
        # verbal events (accusations, demands, meetings) need someone they are addressed to
        if not etype.material and actor2 is None:
            return None
        if actor1 is not None and actor2 is not None and actor1.to_dict() == actor2.to_dict():
            actor2 = None
        when = self._when(frame_times, anchor, sent.doc)
        if when is None and anchor is not None and frame.clause_head().tag_ in ("VBZ", "VBP"):
            # present tense in a news report ("the administration blames") speaks of its own day
            when = TimeValue(text="", start=anchor, precision="day")
        where = self._where(frame_places, sentence_places)
        if etype.event_type == "ASSAULT" and etype.mode in MILITARY_MODES:
            actor1 = _military(actor1)
        acled_type, acled_sub = _acled(etype.acled_event_type, etype.acled_sub_event_type, etype.mode, actor2)
        toll = self._toll(frame, sent, several_frames)
        source = attribution(frame.clause_head())
        if is_pronoun(source):
            source = state.last_source
        elif source:
            state.last_source = source
        filled = sum(x is not None for x in (actor1, actor2, where)) + (1 if when and when.text else 0)
        start = offset + sent.start_char
        return Event(
            id=stable_id(document.id, offset + frame.trigger.idx, frame.trigger.text, prefix="e"),
            doc_id=document.id,
            sentence=sent.text.strip(),
            char_start=start,
            char_end=offset + sent.end_char,
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
            confidence=round(min(0.95, 0.5 + 0.1 * filled), 3),
            trigger=frame.trigger.text,
        )

    @staticmethod
    def _toll(frame: Frame, sent: Span, several_frames: bool) -> Count:
        """Deaths tied to this event: read next to a killing word of its own clause; when the
        sentence holds several events, a toll elsewhere in it belongs to another one."""
        doc = sent.doc
        killing = [doc[i] for i in sorted(frame.tokens) if doc[i].lemma_ in KILLING]
        for tok in sent:  # "an attack that killed five", "a blast killed three"
            if tok.lemma_ in KILLING and tok.pos_ == "VERB" and (tok.head.i in frame.tokens and tok.dep_ in ("relcl", "acl")):
                killing.append(tok)
        if killing:
            return counts.fatalities(sent, killing[0])
        if several_frames:
            return Count(None)
        return counts.fatalities(sent, frame.trigger)

    def _claim(self, document: Document, frame: Frame, sent: Span, offset: int, period: TimeValue | None, state: _DocumentState) -> Claim:
        number = count_token(frame)
        count = counts.parse_number(number.text) if number is not None else None
        start = offset + sent.start_char
        return Claim(
            id=stable_id(document.id, offset + frame.trigger.idx, prefix="c"),
            doc_id=document.id,
            sentence=sent.text.strip(),
            char_start=start,
            char_end=offset + sent.end_char,
            count=count,
            event_type=frame.etype.event_type,
            actor1=self._actor(frame.actor1, state),
            actor2=self._actor(frame.actor2, state),
            period_start=period.start if period else None,
            period_end=(period.end if period and period.end else (document.published if period and period.start else None)),
            period_text=period.text if period else None,
            attribution=attribution(frame.clause_head()),
        )

    def _actor(self, tok: Token | None, state: _DocumentState, conjuncts: bool = True) -> Actor | None:
        if tok is None or tok.pos_ in ("PRON",) and tok.lower_ in ("it", "they", "them", "we", "us", "who", "that", "which"):
            return None
        span = phrase(tok, conjuncts=conjuncts)
        actor = self.actors.resolve(span.text, span)
        key = tok.lemma_.lower()
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        bare = all(t.dep_ in ("det",) or t.i == tok.i for t in span)
        if (dets & {"the", "these", "those", "this", "that"} or bare) and key in state.actors:
            earlier = state.actors[key]
            if actor is None or _detail(earlier) > _detail(actor):
                return earlier
        if actor is not None:
            state.actors[key] = actor
        return actor

    def _when(self, tied: list[tuple[Span, TimeValue]], anchor: date | None, doc: Doc) -> TimeValue | None:
        candidates: list[tuple[int, TimeValue]] = []
        for span, value in tied:
            timex = value.timex or ""
            if timex.endswith("_REF") or not value.text.strip():
                continue
            if value.start is None and timex.startswith("P") or value.start is None and anchor is not None:
                # a bare duration: "almost two weeks [after]" dates an event relative to the anchor
                nxt = doc[span.end] if span.end < len(doc) else None
                if nxt is not None and nxt.lower_ in RELATIVE_WORDS:
                    better = dates.resolve_time_text(f"{value.text} {nxt.text}", anchor)
                    if better is not None:
                        value = better
            if anchor is not None and value.start is None:
                continue
            rank = 0 if value.precision == "day" and not value.approximate else 1 if value.precision else 2
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
    def _period(tied: list[tuple[Span, TimeValue]], anchor: date | None) -> TimeValue | None:
        for span, value in tied:
            before = span.doc[span.start - 1] if span.start > 0 else None
            if value.text.lower().startswith("since") or (before is not None and before.lower_ in ("since", "over", "during")):
                if before is not None and before.lower_ == "since" and value.start is not None:
                    return TimeValue(text=f"since {value.text}", start=value.start, end=anchor, precision=value.precision)
                return value
        return None

    @staticmethod
    def _where(tied: list[tuple[Span, Place]], sentence_places: list[tuple[Span, Place]]) -> Place | None:
        if tied:
            return min(tied, key=lambda item: (item[1].precision or 3, item[0].start))[1]
        # no place attached to the event: a sentence that names one country only is placed there
        vague = {p.country for _, p in sentence_places}
        if len(sentence_places) >= 1 and len(vague) == 1 and all((p.precision or 3) >= 3 for _, p in sentence_places):
            return sentence_places[0][1]
        return None


class _DocumentState:
    """What one document remembers from sentence to sentence."""

    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.last_source: str | None = None
        self.skipped: list[tuple[str, str, str]] = []
        self.dateline_end = 0


def _detail(actor: Actor) -> int:
    return sum(1 for v in (actor.country, actor.sector, actor.affiliation, actor.name) if v)


def _military(actor: Actor | None) -> Actor | None:
    """A state that strikes with aircraft, artillery or missiles acts through its military."""
    if actor is None or not actor.country or actor.sector:
        return actor
    return Actor(actor.text, actor.name, actor.country, "MIL", f"{actor.country}MIL", actor.affiliation)


def _acled(event_type: str | None, sub_type: str | None, mode: str | None, target: Actor | None) -> tuple[str | None, str | None]:
    """ACLED splits direct violence by who is hit: armed actors fight battles, civilians suffer
    violence against civilians. Remote weapons stay remote violence whoever is hit."""
    if mode in REMOTE_MODES or target is None or event_type not in ("Battles", "Violence against civilians"):
        return event_type, sub_type
    if sub_type not in ("Armed clash", "Attack"):
        return event_type, sub_type
    if target.sector in CIVILIAN:
        return "Violence against civilians", "Attack"
    if target.sector in ARMED:
        return "Battles", "Armed clash"
    return event_type, sub_type


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
