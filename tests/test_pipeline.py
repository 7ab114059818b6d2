"""The pipeline as a library: typed results, no exception escaping for any text."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventline
from eventline.ingest import read_text
from eventline.model import Claim, Event, Result
from eventline.pipeline import Pipeline, chunks

PIPELINE = Pipeline()
WORDS = [
    "rebels", "attacked", "the", "army", "base", "in", "Gao", "on", "Monday", "killing", "three",
    "soldiers", "police", "arrested", "protesters", "Kyiv", "shelled", "drones", "since", "Oct.",
    "17", "at", "least", "not", "would", "said", "officials", "U.S.", "airstrikes", "Iran-backed",
    "militias", ",", ".", "\n\n", "—", "“", "”", "'s", "2023", "last", "week", "no", "casualties",
]


def test_extract_returns_typed_records() -> None:
    result = eventline.extract(
        "Rebels attacked an army base in Gao on Monday, killing three soldiers, officials said.",
        published="2024-03-06",
    )
    assert isinstance(result, Result)
    assert all(isinstance(e, Event) for e in result.events) and all(isinstance(c, Claim) for c in result.claims)
    event = result.events[0]
    assert event.event_type == "ASSAULT" and event.date == date(2024, 3, 4) and event.fatalities == 3
    assert event.location is not None and event.location.country == "MLI"
    assert event.actor1 is not None and event.actor1.sector == "REB"


def test_same_text_same_ids() -> None:
    text = "Police arrested 12 protesters in Nairobi on Friday."
    first = eventline.extract(text, published="2024-06-29")
    second = eventline.extract(text, published="2024-06-29")
    assert [e.to_dict() for e in first.events] == [e.to_dict() for e in second.events]


def test_round_trip_through_dicts() -> None:
    result = eventline.extract("Gunmen killed five villagers in Zamfara on Tuesday.", published="2024-05-02")
    for event in result.events:
        assert Event.from_dict(event.to_dict()) == event


def test_long_text_is_read_in_parts() -> None:
    paragraph = "The weather stayed mild and the shops were quiet for the season.\n\n"
    text = paragraph * 3000 + "Gunmen killed five villagers in Zamfara on Tuesday.\n"
    parts = chunks(text, limit=50_000)
    assert len(parts) > 1 and "".join(p for _, p in parts) == text
    result = PIPELINE.extract_text(text, published="2024-05-02")
    assert [e.fatalities for e in result.events] == [5]
    event = result.events[0]
    assert text[event.char_start : event.char_end].strip() == event.sentence


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=40), min_size=600, max_size=600))
def test_no_exception_escapes(documents: list[list[str]]) -> None:
    """Thousands of random documents (four batches of 600) through the batched pipeline."""
    texts = [" ".join(words) or "." for words in documents]
    docs = [read_text(text, published=date(2023, 11, 22)) for text in texts]
    results = list(PIPELINE.process_many(docs, batch_size=64))
    assert len(results) == len(docs)
    failures = [p for r in results for p in r.problems if p.code == "E201"]
    assert not failures, failures[:3]


def test_statements_are_coded_as_intent_refusal_and_demand() -> None:
    types = {
        text: [e.event_type for e in eventline.extract(text, published="2024-01-10").events]
        for text in (
            "Palestinian leaders said they would boycott all contact with the United States.",
            "Syria says it will not accept any more refugees from Iraq.",
            "Turkey will allow Kurdish refugees to return home from Iraq.",
            "The Red Cross said US forces must ensure security in Basra.",
        )
    }
    assert list(types.values()) == [["THREATEN"], ["REJECT"], ["AGREE"], ["REQUEST"]]


def test_coordinated_states_give_one_event_each() -> None:
    result = PIPELINE.extract_text("Jordan and Britain signed a trade agreement with Egypt on Monday.", published="2024-03-06")
    pairs = {(e.actor1.country, e.actor2.country) for e in result.events if e.actor1 and e.actor2}
    assert pairs == {("JOR", "EGY"), ("GBR", "EGY")}
    assert len({e.id for e in result.events}) == len(result.events)


def test_one_attack_by_allies_stays_one_event() -> None:
    for text in (
        "Militants attacked U.S. and coalition forces at the base on Monday.",
        "US and British warplanes struck Houthi targets across Yemen on Friday.",
    ):
        result = PIPELINE.extract_text(text, published="2024-03-06")
        assert len([e for e in result.events if e.event_type == "ASSAULT"]) == 1, text


def test_an_attack_and_its_toll_in_one_sentence_are_one_event() -> None:
    result = eventline.extract(
        "Suicide bombers struck a market in Konduga, Borno state, on Saturday, killing at "
        "least 12 people, emergency officials said.",
        published="2024-06-30",
    )
    assert [(e.event_type, e.fatalities, str(e.date)) for e in result.events] == [
        ("ASSAULT", 12, "2024-06-29")
    ]


def test_the_day_a_statement_was_made_does_not_date_the_event() -> None:
    result = eventline.extract(
        "The militants were targeted because the drone found their launch site, the "
        "spokeswoman said on Tuesday.",
        published="2024-03-06",
    )
    assert [(e.event_type, e.date) for e in result.events] == [("ASSAULT", None)]


BATCH_TEXTS = [
    "Rebels attacked an army post in Gao on Monday, killing three soldiers.",
    "Russian drones struck Kharkiv on Tuesday, officials said.",
    "Police arrested 40 protesters in Kidal on Friday.",
]


def _spy_classifier(monkeypatch, calls: list[list[str]], fail_on: str | None = None) -> None:
    """Record each call of the model's ACLED head (and fail it on texts naming `fail_on`)."""
    from eventline.extraction import acled
    from eventline.extraction.event_model import EventModel

    real = acled._classifier()

    class SpyHead:
        def __init__(self, head) -> None:
            self.head, self.classes_ = head, head.classes_

        def predict_proba(self, texts):
            calls.append(list(texts))
            if fail_on is not None and any(fail_on in t for t in texts):
                raise RuntimeError("classifier failed")
            return self.head.predict_proba(texts)

    class Spy:
        heads = {name: SpyHead(h) if name == acled.ACLED_HEAD else h for name, h in real.heads.items()}

        def type_thresholds(self) -> dict[str, float]:
            return real.type_thresholds()

        head_probabilities = EventModel.head_probabilities  # the real reading of the spied heads

        def candidate_reader(self) -> Spy:  # no encoder-backed reader
            return self

    monkeypatch.setattr(acled, "_classifier", Spy)


def test_acled_types_of_a_batch_come_from_one_classifier_call(monkeypatch) -> None:
    docs = [read_text(t, published=date(2024, 3, 8)) for t in BATCH_TEXTS]
    one_by_one = [[e.to_dict() for e in PIPELINE.process(d).events] for d in docs]
    calls: list[list[str]] = []
    _spy_classifier(monkeypatch, calls)
    batched = [[e.to_dict() for e in r.events] for r in PIPELINE.process_many(docs)]
    assert len(calls) == 1 and len(calls[0]) == len(BATCH_TEXTS)
    assert batched == one_by_one and all(batched)


def test_a_failing_classifier_call_costs_only_its_document(monkeypatch) -> None:
    docs = [read_text(t, published=date(2024, 3, 8)) for t in BATCH_TEXTS]
    calls: list[list[str]] = []
    _spy_classifier(monkeypatch, calls, fail_on="Kidal")
    results = list(PIPELINE.process_many(docs))
    assert [bool(r.events) for r in results] == [True, True, False]
    assert [p.code for p in results[2].problems] == ["E201"]
    assert not results[0].problems and not results[1].problems
    assert len(calls) == 1 + len(docs)  # the batch, then each document on its own


IDLE_SENTENCES = [  # written for this test: news-like sentences that report no political event
    "The weather stayed mild and the shops were quiet.",
    "The festival opens on Friday with a concert in the park.",
    "Tickets are available at the box office.",
]


def test_idle_sentences_give_no_event() -> None:
    # an event no trigger word names needs twice its type's threshold: with a bar half the
    # threshold the first of these read as COERCE (eventline/extraction/decision.py)
    for text in IDLE_SENTENCES:
        assert not PIPELINE.extract_text(text).events, text


def test_the_sense_of_a_noun_decides_its_event() -> None:
    # sentences written for this test (eventline/data/noun_senses.yaml)
    assert not PIPELINE.extract_text("The old mayor died of a heart attack at home on Sunday.").events
    (labour,) = PIPELINE.extract_text("Nurses at the city clinic began a strike on Tuesday.").events
    assert labour.event_type == "PROTEST"
    (military,) = PIPELINE.extract_text("The Turkish strike on the depot on Monday was the first.").events
    assert military.event_type == "ASSAULT" and military.actor1 is not None
    assert military.actor1.country == "TUR"


# ---- offsets into the input as given --------------------------------------------------------
# sentences written for this test; the first two carry Windows-1252 punctuation read as Latin-1
REAL_SENTENCES = [
    "The army\x92s spokesman said gunmen killed four farmers near Mopti on Sunday.",
    "Rebels shelled Kharkiv on Tuesday \x97 killing three civilians.",
    "Soldiers attacked a village in northern Nigeria on Monday, killing two people.",
    "Police fired tear gas at protesters in Nairobi on Friday.",
    "An air strike hit a market in Idlib on Wednesday, killing 11 people.",
    "Officials say there have been more than 40 attacks on the city since January.",
]
# what cleaning removes or rewrites around sentences
NOISE = st.lists(
    st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\t", "\x0b", "\x0c", "\r\n", "\r", "\n",
                     " ", "\u00a0", "\u200b", "\ufeff", "\u00ad", "\u2028", "\x85"]),
    max_size=6,
).map("".join)
BREAKS = st.sampled_from([" ", "\r\n", "\t", "\r\n\r\n", "\x00 ", "\n\n\n\n"])


@st.composite
def noisy_documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A text of real sentences with noise around them, and where each sentence lies in it."""
    sentences = draw(st.lists(st.sampled_from(REAL_SENTENCES), min_size=1, max_size=5))
    text, where = draw(NOISE), []
    for sentence in sentences:
        text += draw(NOISE) + draw(BREAKS) + draw(NOISE)
        where.append((len(text), len(text) + len(sentence)))
        text += sentence
    return text + draw(NOISE), where


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noisy_documents())
def test_every_span_indexes_the_text_as_given(document: tuple[str, list[tuple[int, int]]]) -> None:
    text, where = document
    result = PIPELINE.process(read_text(text, published="2024-06-12"))
    records = [*result.events, *result.claims]
    assert records  # every sentence above tells an event or a claim
    for record in records:
        assert text[record.char_start : record.char_end] == record.sentence
        # and the span is one whole sentence of the input, not a shifted one
        assert (record.char_start, record.char_end) in where, (record.sentence, where)


def test_spans_of_a_shortened_document_index_it_too() -> None:
    text = "\r\n\r\n  Police fired tear gas at protesters in Nairobi on Friday." + "[" * 3000 + "]" * 3000
    result = PIPELINE.process(read_text(text, published="2024-06-12"))
    event = result.events[0]
    assert text[event.char_start : event.char_end] == event.sentence
    assert event.sentence.startswith("Police fired")


def test_a_document_past_its_budget_is_cut_at_a_sentence_with_a_warning() -> None:
    from eventline.budget import Budget

    text = "\n\n".join(REAL_SENTENCES[2:5])
    pipeline = Pipeline(budget=Budget(sentences=2))
    result = pipeline.process(read_text(text, published="2024-06-12", origin="long.txt"))
    assert {e.sentence for e in result.events} <= set(REAL_SENTENCES[2:4])
    (warning,) = [p for p in result.problems if p.code == "W106"]
    kept = len("\n\n".join(REAL_SENTENCES[2:4])) + 2
    assert warning.origin == "long.txt" and warning.severity == "warning"
    assert f"first {kept} of {len(text)} characters (2 sentences)" in warning.message
    assert not [p for p in PIPELINE.process(read_text(text, published="2024-06-12")).problems if p.code == "W106"]


def test_attack_roles_point_into_the_input_as_given() -> None:
    # upper-case wire copy with Windows line ends: cleaning changes the text, spans must not move
    text = (
        "SAN SALVADOR, 12 JAN 90 -- URBAN GUERRILLAS OF THE FARABUNDO MARTI NATIONAL LIBERATION\r\n"
        "FRONT (FMLN) TODAY BLEW UP THE LAS CANAS BRIDGE WITH DYNAMITE AND MACHINEGUNNED A\r\n"
        "POLICE PATROL, KILLING TWO POLICEMEN, THE NATIONAL POLICE REPORTED.\r\n"
    )
    result = PIPELINE.extract_text(text, published="1990-01-12")
    roles = [role for event in result.events for role in event.roles]
    assert {role.role for role in roles} >= {"physical_target"}
    for role in roles:
        assert text[role.char_start : role.char_end] == role.text
        assert role.text == role.text.strip() and "--" not in role.text  # the dateline is blanked
    assert all(not e.roles for e in result.events if e.quad_class != 4)


def _dyads(text: str) -> set[tuple[str | None, str | None]]:
    result = PIPELINE.extract_text(text, published="2024-03-06")
    return {
        (e.actor1.country if e.actor1 else None, e.actor2.country if e.actor2 else None)
        for e in result.events
    }


def test_the_first_actor_named_after_the_verb_is_the_target_when_the_parse_gives_none() -> None:
    assert ("PRK", "KOR") in _dyads("Pyongyang on Thursday fired two artillery shells at Seoul.")
    assert ("ALB", "SRB") in _dyads("Albania on Friday denounced as an ugly crime Serbia's suppression of unrest.")


def test_a_name_no_dictionary_knows_is_coded_by_its_apposition() -> None:
    result = PIPELINE.extract_text(
        "Salaheddine Sidhoum, Algeria's leading human rights activist, staged a hunger strike on Sunday.",
        published="2024-03-06",
    )
    actor = result.events[0].actor1
    assert actor is not None and actor.country == "DZA" and actor.text == "Salaheddine Sidhoum"


def test_protesters_in_a_capital_are_of_its_country() -> None:
    result = PIPELINE.extract_text(
        "Demonstrators in Baghdad blocked a road to protest against the United States.",
        published="2024-03-06",
    )
    assert any(e.actor1 is not None and e.actor1.code == "IRQOPP" for e in result.events)


def test_people_force_is_used_on_stay_the_target_and_take_the_event_country() -> None:
    result = PIPELINE.extract_text("Police fired on protesters in Algiers on Monday.", published="2024-03-06")
    codes = {(e.actor1.code, e.actor2.code) for e in result.events if e.actor1 and e.actor2}
    assert ("DZACOP", "DZAOPP") in codes


def test_the_event_model_reads_each_sentence_of_a_batch_once(monkeypatch) -> None:
    # sentences without a trigger word are read before the parse (does the prefilter keep
    # them?), and so are the later sentences it keeps (could any of their events be kept?);
    # a sentence read before the parse is not read again
    from eventline import prefilter

    monkeypatch.setattr(prefilter, "model_keeps", lambda reading, thresholds: True)
    texts = [
        "Rebels attacked an army base in Gao on Monday. The weather stayed mild over the town.",
        "Police arrested 12 protesters in Nairobi on Friday. The students went home after dark.",
    ]
    docs = [read_text(t, published=date(2024, 3, 8)) for t in texts]
    expected = [[e.to_dict() for e in PIPELINE.process(d).events] for d in docs]
    calls: list[list[str]] = []
    model_class = type(PIPELINE.model)
    real_read = model_class.read

    def counting_read(self, sentences, *, labels=False):
        if not labels:  # the ACLED typing reads its events' sentences with the label heads
            calls.append(list(sentences))
        return real_read(self, sentences, labels=labels)

    monkeypatch.setattr(model_class, "read", counting_read)
    results = [[e.to_dict() for e in r.events] for r in PIPELINE.process_many(docs)]
    read = [sentence for call in calls for sentence in call]
    assert results == expected and all(results)
    assert len(calls) == 2  # one call before the parse, one after it, for the whole batch
    assert len(read) == len(set(read))
    assert set(calls[0]) == {"The weather stayed mild over the town.", "The students went home after dark."}
    assert "Rebels attacked an army base in Gao on Monday." in calls[1]


def test_a_sentence_whose_every_event_would_be_dropped_is_not_parsed(monkeypatch) -> None:
    from eventline.extraction.readings import SentenceReadings

    text = (
        "Rebels attacked an army base in Gao on Monday.\n\n"
        "Police arrested 12 protesters in Nairobi on Friday."
    )
    both = PIPELINE.extract_text(text, published="2024-03-08")
    assert {e.trigger for e in both.events} >= {"attacked", "arrested"}
    real_drops = SentenceReadings.drops

    def dropping(self, sentences):
        real_drops(self, sentences)  # the QuadClass head still reads what it would
        return ["Nairobi" in sentence for sentence in sentences]

    monkeypatch.setattr(SentenceReadings, "drops", dropping)
    parsed: list[str] = []
    real_masked = type(PIPELINE)._masked

    def watching(self, prepared, readings):
        parsed.extend(real_masked(self, prepared, readings))
        return parsed[-len(prepared):]

    monkeypatch.setattr(type(PIPELINE), "_masked", watching)
    one = PIPELINE.extract_text(text, published="2024-03-08")
    assert "attacked" in {e.trigger for e in one.events}
    assert "arrested" not in {e.trigger for e in one.events}
    assert "Nairobi" not in parsed[0] and len(parsed[0]) == len(text)  # blanked, offsets kept


def test_a_long_document_holds_the_readings_of_its_chunks_in_flight_only(monkeypatch) -> None:
    import functools

    from eventline import pipeline as pipeline_module

    held: list[int] = []
    real_read = pipeline_module.SentenceReadings.read

    def watching_read(self, sentences):
        answer = real_read(self, sentences)
        held.append(len(self.known))
        return answer

    monkeypatch.setattr(pipeline_module, "CHUNK_CHARS", 2_000)
    monkeypatch.setattr(pipeline_module, "chunks", functools.partial(chunks, limit=2_000))
    monkeypatch.setattr(pipeline_module.SentenceReadings, "read", watching_read)
    text = "".join(
        f"Gunmen killed {n} villagers in Zamfara on Tuesday. The weather stayed mild on day {n}.\n\n"
        for n in range(300)
    )
    result = PIPELINE.extract_text(text, published="2024-05-02")
    assert result.events and result.events[0].report_count == 300  # one attack told 300 times
    assert 0 < max(held) < 150  # about two chunks' sentences (some 40 each), not all 600
