"""eventline.extraction.readings: the cheap model reads every sentence for the prefilter; the
encoder-backed model, when the shared model has one, re-reads the parsed sentences and its
readings and thresholds decide their events."""

from eventline.extraction.readings import SentenceReadings
from eventline.training import event_training
from tests.extraction.test_event_model import _examples

SENTENCE = "Militants attacked an army post"


def test_without_an_encoder_the_parsed_sentences_keep_the_cheap_reading():
    cheap = event_training.fit(_examples())
    readings = SentenceReadings(cheap)
    assert readings.read_parsed([SENTENCE]) == readings.read([SENTENCE])
    assert readings.decision_thresholds == readings.thresholds


def test_the_encoder_backed_model_rereads_parsed_sentences_only():
    cheap = event_training.fit(_examples())
    cheap.context = event_training.fit(_examples(flip=True))  # reads the opposite types
    cheap.context.info["type_thresholds"] = {"CONSULT": 0.3}
    readings = SentenceReadings(cheap)
    assert readings.read([SENTENCE])[0].top_type()[0] == "ASSAULT"  # the prefilter's reading
    assert readings.read_parsed([f"  {SENTENCE} "])[0].top_type()[0] == "CONSULT"
    assert readings.decision_thresholds.by_type == {"CONSULT": 0.3}
    readings.forget([SENTENCE])
    assert not readings.known and not readings.parsed


def test_a_swapped_fold_model_brings_its_own_encoder_backed_reader():
    shared, fold = event_training.fit(_examples()), event_training.fit(_examples())
    fold.context = event_training.fit(_examples(flip=True))
    with shared.swapped(fold):
        assert shared.candidate_reader() is fold.context
    assert shared.candidate_reader() is shared
