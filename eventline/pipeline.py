"""The extraction pipeline: Document -> parsed text -> frames -> resolved events and claims.

    parse (eventline.nlp, eventline.prefilter) -> frames (extraction.frames)
      -> times and places tied to frames (extraction.anchors) -> modality (extraction.modality)
      -> records: actors / dates / places / counts resolved (extraction.records, eventline.resolve)
      -> within-article merging (extraction.discourse)
      -> ACLED types and QuadClass from the event model's heads (extraction.acled), one call per batch -> Result

Every engine (local processes, Spark) calls `Pipeline.process_many`, so all run the same code.
"""

from __future__ import annotations

import logging
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from eventline import prefilter
from eventline.budget import Budget, DocumentProgress
from eventline.errors import Msg
from eventline.extraction import acled
from eventline.extraction.acled import refine_labels
from eventline.extraction.anchors import DocumentExpressions, dateline_end, tie_expressions
from eventline.extraction.attack_roles import load_attack_roles
from eventline.extraction.claims import is_aggregate
from eventline.extraction.decision import (
    REREAD_REASONS,
    Thresholds,
    coded_types,
    main_clause_word,
    typed,
    unscorable,
    untriggered_type,
    weak_relation,
)
from eventline.extraction.discourse import Mention, fill_targets, merge
from eventline.extraction.event_model import EventModel, Reading
from eventline.extraction.frames import Frame, FrameFinder
from eventline.extraction.lexicon import get_lexicon
from eventline.extraction.modality import judge
from eventline.extraction.readings import SentenceReadings
from eventline.extraction.records import DocumentState, RecordBuilder, SentenceSetting
from eventline.extraction.senses import in_sense
from eventline.extraction.span_tagger import load_tagger
from eventline.extraction.statements import resolve_pronoun_subject, restate
from eventline.extraction.verb_patterns import UserVerbs, VerbDictionary, is_verb_dictionary
from eventline.model import Claim, Document, Event, Problem, Result
from eventline.nlp import load_nlp, remember_text, tokenizer_safe
from eventline.resolve.actors import ActorDictionary, default_dictionary
from eventline.resolve.dates import expressions as dates
from eventline.resolve.places import document as places
from eventline.resolve.places.source_homes import focus_regions, regions_of
from eventline.truecase import restore_case

log = logging.getLogger(__name__)
# one spaCy call never sees more than this many characters: longer texts are cut at paragraph
# breaks and each part is read on its own, which keeps memory flat for very long inputs
CHUNK_CHARS = 100_000
# a document of this many chunks or more (1 MB) is parsed by `parse_processes` processes: each
# costs a model load (about 2 s), which only a document this long repays
PARALLEL_PARSE_CHUNKS = 10
# how many processes parse one long document: the machine's cores, or EVENTLINE_PARSE_PROCESSES
# (the local engine's workers set it to 1: they already fill the cores)
PARSE_PROCESSES_VARIABLE = "EVENTLINE_PARSE_PROCESSES"


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


def acled_evidence(cluster: Mention) -> str:
    """What set a merged event's ACLED type (eventline.extraction.acled weighs the model's
    ACLED answer against it)."""
    if cluster.triggerless:
        return acled.MODEL
    return acled.CUE if cluster.specificity > 0 else acled.TRIGGER


class Pipeline:
    """Loads the model and dictionaries once; turns documents into Results."""

    def __init__(
        self, actor_files: Sequence[Path] = (), *, prefilter: bool = True, budget: Budget | None = None
    ) -> None:
        # dictionary files: actors (CSV, YAML, PETRARCH .actors/.agents) and PETRARCH verbs
        files = [Path(p) for p in actor_files]
        verb_files = [p for p in files if is_verb_dictionary(p)]
        self.actor_files = tuple(p for p in files if p not in verb_files)
        self.budget = budget or Budget.from_environment()
        self.parse_processes = int(os.environ.get(PARSE_PROCESSES_VARIABLE, 0)) or os.cpu_count() or 1
        # parse only sentences that can hold an event (eventline.prefilter); the others are
        # blanked out in place, so character offsets stay those of the original text. The
        # prefilter knows the shipped triggers only: a user's verbs turn it off.
        self.prefilter = prefilter and not verb_files
        self.span_tagger = load_tagger()
        self.attack_roles = load_attack_roles()  # perpetrators, targets, weapons of attacks
        self.verbs: UserVerbs | None = None
        if verb_files:
            self.verbs = UserVerbs(VerbDictionary.load(verb_files), get_lexicon())
            self.frames = FrameFinder(self.verbs.lexicon)
        else:
            self.frames = FrameFinder()
        self._actors: ActorDictionary | None = None

    @property
    def model(self) -> EventModel:
        """The event model (shared by the process, so the evaluation can swap fold models in)."""
        return EventModel.load()

    @property
    def actors(self) -> ActorDictionary:
        if self._actors is None:
            # without files of the user's, the shipped dictionaries the count resolver reads
            # too, loaded once per process (a load costs seconds)
            self._actors = ActorDictionary.load(self.actor_files) if self.actor_files else default_dictionary()
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
        # a document longer than one chunk is parsed on its own, a chunk at a time (`_safe`),
        # so that memory holds one chunk's parse, not the whole document's
        readings = SentenceReadings(self.model)
        try:
            short = [(self._prepared(d.text), n) for n, d in enumerate(batch) if len(d.text) <= CHUNK_CHARS]
            masked = self._masked([text for text, _ in short], readings)
            items = [(text, (n, 0)) for text, (_, n) in zip(masked, short, strict=True)]
            parsed = list(nlp.pipe(items, as_tuples=True, batch_size=batch_size))
            # the sentences the prefilter did not read, in one model call for the batch
            readings.read_parsed([sent.text for sdoc, _ in parsed for sent in sdoc.sents if not sent.text.isspace()])
        except Exception:  # one bad text must not sink the batch: retry one by one
            log.exception("batch parse failed; parsing documents one at a time")
            results = self._refine([self._safe(document, None) for document in batch])
            yield from (spans_into_input(result) for result in results)
            return
        per_doc: dict[int, list[tuple[Doc, int]]] = {}
        for (sdoc, (n, offset)), (text, _) in zip(parsed, items, strict=True):
            per_doc.setdefault(n, []).append((remember_text(sdoc, text), offset))
        results = self._refine([self._safe(document, per_doc.get(n), readings) for n, document in enumerate(batch)])
        yield from (spans_into_input(result) for result in results)

    def _refine(self, extracted: list[tuple[Result, list[str]]]) -> list[Result]:
        """ACLED types for the events of a whole batch in one classifier call: its feature
        union costs about as much per call as for a few dozen sentences."""
        events = [event for result, _ in extracted for event in result.events]
        evidence = [kind for _, kinds in extracted for kind in kinds]
        try:
            # a user's verb patterns decide what is an event: the QuadClass head drops none
            kept = {id(event) for event in refine_labels(events, evidence, self.verbs is None)}
        except Exception:  # one document at a time, so that only the failing one is lost
            log.exception("batch ACLED typing failed; typing documents one at a time")
            return [self._refine_one(result, flags) for result, flags in extracted]
        for result, _ in extracted:
            result.events = [event for event in result.events if id(event) in kept]
        return [result for result, _ in extracted]

    def _refine_one(self, result: Result, evidence: list[str]) -> Result:
        try:
            result.events = refine_labels(result.events, evidence, self.verbs is None)
            return result
        except Exception as exc:
            return self._failed(result.document, exc)

    def _is_name(self, phrase: str) -> bool:
        """A lower-cased phrase that is a proper name: a country, capital or named group, or a
        place of some size that is not also an ordinary word."""
        if all(word in STOP_WORDS for word in phrase.split()):
            return False  # "of", "since", "with" are also names of some hamlet somewhere
        if self.actors.is_proper_name(phrase):
            return True
        gazetteer = places.get_gazetteer()
        if gazetteer.is_common_word(phrase) or not gazetteer.has_name(phrase):
            return False
        return any(c.kind in ("country", "admin1") or (c.population or 0) >= 20_000 for c in gazetteer.candidates(phrase))

    def _prepared(self, text: str) -> str:
        """The text with its case restored and its dateline blanked (offsets do not move)."""
        text = restore_case(text, self._is_name)
        # the dateline ("KYIV, June 12, 2024 -") is blanked for the parser, which would
        # otherwise read the city as the subject of the first sentence; offsets do not move
        end = dateline_end(text)
        if end:
            line_start = text.rfind("\n", 0, end) + 1
            text = text[:line_start] + " " * (end - line_start) + text[end:]
        return text

    def _masked(self, prepared: Sequence[str], readings: SentenceReadings) -> list[str]:
        """Prepared texts as the parser reads them: with the prefilter, the sentences that
        can hold no event blanked (`_parsed_spans`)."""
        if not self.prefilter:
            return [tokenizer_safe(text) for text in prepared]
        return [
            tokenizer_safe(prefilter.mask_text(text, spans))
            for text, spans in zip(prepared, self._parsed_spans(prepared, readings), strict=True)
        ]

    def _parsed_spans(self, prepared: Sequence[str], readings: SentenceReadings) -> list[list[tuple[int, int]]]:
        """The sentences of each text to parse, with the event model's readings of a batch
        of texts in one call each. The prefilter keeps a sentence with a trigger word, or
        one the model may code without (`prefilter.model_keeps`); of those, after the first
        (headline or dateline), a sentence whose every event the QuadClass head's "no event"
        would drop (`SentenceReadings.drops`) is not parsed either."""
        left = [text[a:b] for text in prepared for a, b in prefilter.sentence_spans(text)]
        readings.read([sentence for sentence in left if not prefilter.keep(sentence)])
        kept = [prefilter.candidate_sentences(text, also=readings.keeps) for text in prepared]
        later = [text[a:b] for text, spans in zip(prepared, kept, strict=True) for a, b in spans[1:]]
        dropped = {sentence for sentence, drop in zip(later, readings.drops(later), strict=True) if drop}
        return [
            spans[:1] + [(a, b) for a, b in spans[1:] if text[a:b] not in dropped]
            for text, spans in zip(prepared, kept, strict=True)
        ]

    def prepared_text(self, text: str) -> str:
        """The text as the parser reads it (case restored, dateline and, with the prefilter,
        sentences that can hold no event blanked): models trained on the pipeline's parse
        read their training texts through it."""
        return self._masked([self._prepared(text)], SentenceReadings(self.model))[0]

    def _safe(
        self, document: Document, parsed: list[tuple[Doc, int]] | None, readings: SentenceReadings | None = None
    ) -> tuple[Result, list[str]]:
        """The document's result before ACLED typing, with its events' cue flags; `parsed`
        None parses the document here, one chunk at a time."""
        try:
            if parsed is None or readings is None:
                readings = SentenceReadings(self.model)
                return self._extract(document, self._parse_chunks(document, readings), readings)
            return self._extract(document, parsed, readings)
        except Exception as exc:  # reported, never raised: the batch goes on
            return self._failed(document, exc), []

    def _parse_chunks(self, document: Document, readings: SentenceReadings) -> Iterator[tuple[Doc, int]]:
        """The parse of each chunk of a long document, in order; with enough chunks to repay
        starting them, spaCy's worker processes parse ahead while this one extracts. Chunks
        are masked as the parser asks for them, so that the model's readings held for the
        extraction are those of the chunks in flight."""
        parts = chunks(document.text)
        processes = self.parse_processes if len(parts) >= PARALLEL_PARSE_CHUNKS else 1

        pending: deque[tuple[int, str]] = deque()  # masked chunks handed to the parser, in order

        def masked() -> Iterator[str]:
            for offset, text in parts:
                pending.append((offset, self._masked([self._prepared(text)], readings)[0]))
                yield pending[-1][1]

        for sdoc in load_nlp().pipe(masked(), batch_size=1, n_process=processes):
            offset, text = pending.popleft()
            yield remember_text(sdoc, text), offset
            readings.forget([sent.text for sent in sdoc.sents])  # the chunk has been extracted

    @staticmethod
    def _failed(document: Document, exc: Exception) -> Result:
        log.error("extraction failed for %s", document.id, exc_info=exc)
        detail = f"{type(exc).__name__}: {exc}"
        problem = Problem(document.origin or document.id, Msg.E201.name, Msg.E201.format(detail=detail), doc_id=document.id)
        return Result(document=document, problems=[problem])

    # ---- one document -----------------------------------------------------------------
    def _extract(
        self, document: Document, parsed: Iterable[tuple[Doc, int]], readings: SentenceReadings
    ) -> tuple[Result, list[str]]:
        """Events and claims of one document, with whether a weapon cue set each event's
        type (the ACLED typing of `_refine` weighs the classifier against it)."""
        result = Result(document=document)
        anchor = document.published
        if anchor is None:
            anchor = dates.find_dateline(document.text)
            if anchor is not None:
                document.published, document.published_from = anchor, "dateline"
        if anchor is None:
            result.problems.append(
                Problem(document.origin or document.id, Msg.W102.name, Msg.W102.value, "warning", document.id)
            )
        state = DocumentState()
        state.dateline_end = dateline_end(document.text)
        state.published = anchor
        builder = RecordBuilder(self.actors, self.span_tagger)
        mentions: list[Mention] = []
        home = regions_of(document.source_home)
        votes: Counter[tuple[str, str]] = Counter()  # regions of the document's places
        unscored = unscorable(document.text)
        if unscored is not None:
            result.problems.append(Problem(document.origin or document.id, unscored[0], unscored[1], "warning", document.id))
            parsed = []
        reading = DocumentProgress(self.budget)
        roles = self.attack_roles.for_document(document.text) if self.attack_roles else None
        for sdoc, offset in parsed:
            state.offset = offset
            times = dates.find_time_expressions(sdoc, anchor)
            place_mentions, place_ctx = places.document_places(sdoc, source_home=home)
            votes.update(place_ctx.admin1s)
            expressions = DocumentExpressions(sdoc, times, place_mentions)
            sents = [sent for sent in sdoc.sents if not sent.text.isspace()]
            for sent, sentence_reading in zip(sents, readings.read_parsed([s.text for s in sents]), strict=True):
                if not reading.next_sentence(offset + sent.start_char):
                    break
                self._sentence(
                    builder, document, sent, offset, anchor, expressions, state, mentions, result,
                    sentence_reading, readings.decision_thresholds,
                )
                if roles is not None:
                    roles.read(sent, offset)
            if reading.cut_at is not None:
                result.problems.append(reading.warning(document))
                break
        clusters = merge(mentions)
        events = [c.event for c in clusters]
        fill_targets(events)
        if roles is not None:
            roles.attach(events)
        result.events = events
        result.regions = focus_regions(votes)
        return result, [acled_evidence(c) for c in clusters]

    def _sentence(
        self,
        builder: RecordBuilder,
        document: Document,
        sent: Span,
        offset: int,
        anchor: date | None,
        expressions: DocumentExpressions,
        state: DocumentState,
        mentions: list[Mention],
        result: Result,
        reading: Reading,
        thresholds: Thresholds,
    ) -> None:
        """The events of one sentence: the model decides whether and what (decision.py), the
        frames give who, whom, trigger and modality."""
        types = coded_types(reading)
        if not types:
            return
        frames = self.frames.find(sent)
        triggerless = not frames
        if triggerless:
            # no trigger word: the model may still read an event ("the killing of three
            # protesters", a verb the lexicon lacks); its structure comes from the main clause
            frames = self._untriggered(sent, types, thresholds)
        if self.verbs is not None:
            # a user's verb pattern wins over the lexicon's and the model's type, and a verb
            # coded [---] is no event whatever the model reads
            frames = self.verbs.recode(frames)
        context = (builder, document, sent, offset, anchor, expressions, state, mentions, result)
        skipped_before = len(state.skipped)
        held = {t for f in frames for t in (f.trigger, f.clause_head())}
        if self._code_frames(context, frames, types, thresholds, triggerless) or triggerless:
            return
        reasons = {reason for _, reason, text in state.skipped[skipped_before:] if text == sent.text}
        main = main_clause_word(sent)
        if self.verbs is None and reasons <= REREAD_REASONS and main not in held:
            # every trigger was held back as generic or anaphoric (or gave no event): a main
            # clause other than those triggers may still report an event the lexicon does not
            # name, which the model reads. A negated or hypothetical trigger keeps its verdict,
            # or its governor would be coded as what it only plans ("help us deliver" as AID)
            frames = self._untriggered(sent, types, thresholds)
            self._code_frames(context, frames, types, thresholds, True)

    def _untriggered(self, sent: Span, types: dict[str, float], thresholds: Thresholds) -> list[Frame]:
        etype = untriggered_type(types, thresholds)
        return [] if etype is None else [self.frames.frame_at(main_clause_word(sent), etype)]

    def _code_frames(
        self,
        context: tuple[Any, ...],
        frames: list[Frame],
        types: dict[str, float],
        thresholds: Thresholds,
        triggerless: bool,
    ) -> int:
        """Events (and claims) of the sentence's frames; how many were coded."""
        builder, document, sent, offset, anchor, expressions, state, mentions, result = context
        if not frames:
            return 0
        dateline = state.dateline_end if offset == 0 else 0
        anchors = tie_expressions(sent, frames, expressions, dateline)
        setting = SentenceSetting(
            document, sent, offset, anchor, anchors.sentence_places, state, len(frames) > 1
        )
        # fallbacks for frames the parse gave no time or place of their own
        loose_time = anchors.sole_loose_time()
        loose_place = anchors.sole_loose_place() if len(frames) == 1 else []
        coded = 0
        for frame in frames:
            frame = resolve_pronoun_subject(frame)
            sensed, sense_fixed = in_sense(frame)
            if sensed is None:
                # "a heart attack", "beat Chelsea 2-1": no event in the sense its words mark
                state.skipped.append((frame.trigger.text, "sense", sent.text))
                continue
            frame = sensed
            frame_times = anchors.frame_times(frame)
            frame_places = anchors.frame_places(frame)
            verdict = judge(frame, has_time=bool(frame_times), has_place=bool(frame_places))
            period = builder.period(frame_times, anchor)
            if is_aggregate(frame, period is not None):
                result.claims.append(builder.claim(document, frame, sent, offset, period, state))
                coded += 1
                continue
            if verdict.statement:
                # "Israel will evacuate", "Syria will not accept": the statement is the event
                restated = restate(frame, verdict.reason)
                if restated is None:
                    state.skipped.append((frame.trigger.text, verdict.reason, sent.text))
                    continue
                frame = restated
            elif not verdict.factual:
                state.skipped.append((frame.trigger.text, verdict.reason, sent.text))
                continue
            frame, confidence = typed(frame, types, thresholds, sense_fixed=sense_fixed)
            if weak_relation(frame, confidence, thresholds, has_time=bool(frame_times)):
                state.skipped.append((frame.trigger.text, "relation", sent.text))
                continue
            # the sentence's only event owns a place the parser hung elsewhere, and its events
            # a time hung on no frame
            frame_places = frame_places or loose_place
            frame_times = frame_times or loose_time
            present = frame.clause_head().tag_ in ("VBZ", "VBP")
            events = builder.events(frame, frame_times, frame_places, replace(setting, confidence=confidence))
            key = len(mentions) if len(events) > 1 else None  # one frame split by actor pair
            for event in events:
                mentions.append(
                    Mention(
                        event=event, order=len(mentions), specificity=frame.etype.specificity,
                        keeps_own_time=present, frame_key=key, triggerless=triggerless,
                    )
                )
                coded += 1
        return coded


def spans_into_input(result: Result) -> Result:
    """Every span of a result as offsets into the text as given (`Document.input_text`), not
    the cleaned text the stages read, with its text as given: the one place spans are mapped."""
    document = result.document
    given = document.input_text
    records: list[Event | Claim] = [*result.events, *result.claims]
    for record in records:
        sentence = document.text[record.char_start : record.char_end]
        # the sentence without the spaces the parser leaves at its edges
        start = record.char_start + len(sentence) - len(sentence.lstrip())
        record.char_start, record.char_end = document.given_span(start, start + len(sentence.strip()))
        record.sentence = given[record.char_start : record.char_end]
    for event in result.events:
        for role in event.roles:
            role.char_start, role.char_end = document.given_span(role.char_start, role.char_end)
            role.text = given[role.char_start : role.char_end]
    return result


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()
