"""Targets as whole phrases: the candidates the parse gives, the choice among them, and the
shipped ranker on sentences of the kinds a coder codes."""

import pytest

from eventline.extraction.frames import FrameFinder
from eventline.extraction.span_tagger import load_tagger, role_marks
from eventline.extraction.target_spans import Candidate, TargetRanker, candidates, choose, labelled
from eventline.nlp import load_nlp


def _texts(sentence: str) -> set[str]:
    doc = load_nlp()(sentence)
    return {doc[c.start : c.end].text for c in candidates(doc)}


def test_candidates_keep_whole_phrases_and_their_cuts() -> None:
    texts = _texts("Army units launched an assault on the last rebel stronghold in the valley.")
    assert "the last rebel stronghold in the valley" in texts
    assert "the last rebel stronghold" in texts
    assert "Army units" in texts


def test_candidates_split_coordination_and_relative_clauses() -> None:
    texts = _texts("Police detained protesters and journalists who had gathered outside the court.")
    assert {"protesters", "journalists", "the court"} <= texts
    assert "protesters and journalists who had gathered outside the court" in texts


def test_candidates_take_a_place_the_parse_hung_from_the_verb() -> None:
    texts = _texts("Drones struck militants in North Waziristan on Sunday.")
    assert "militants in North Waziristan" in texts
    assert "militants in North Waziristan on Sunday" not in texts


def test_candidates_keep_the_governing_preposition_or_leave_out_the_article() -> None:
    assert "on rebel positions in the hills" in _texts(
        "The air force carried out raids on rebel positions in the hills."
    )
    assert "British and French proposals" in _texts("The ministry rejected the British and French proposals.")


def test_candidates_end_after_the_first_modifier() -> None:
    texts = _texts("Militants in the eastern province near the border on Monday attacked a convoy.")
    assert "Militants in the eastern province near the border" in texts


def test_candidate_offsets_are_relative_to_the_sentence() -> None:
    doc = load_nlp()("It rained. Rebels shelled the town.")
    sent = list(doc.sents)[1]
    found = candidates(sent)
    assert found and all(0 <= c.start < c.end <= len(sent) for c in found)
    assert "the town" in {sent[c.start : c.end].text for c in found}


def test_choose_takes_the_likeliest_and_only_likely_others_that_do_not_overlap() -> None:
    doc = load_nlp()("Rebels shelled the town and the airport.")
    head = doc[0]
    found = [Candidate(2, 4, head, "full"), Candidate(2, 7, head, "full"), Candidate(5, 7, head, "full")]
    assert choose(found, [0.4, 0.3, 0.02]) == [(2, 4)]
    assert choose(found, [0.6, 0.55, 0.7]) == [(2, 4), (5, 7)]
    assert choose(found, [0.01, 0.02, 0.03]) == []


def test_labels_mark_exact_gold_spans_only() -> None:
    head = load_nlp()("x")[0]
    found = [Candidate(0, 2, head, "full"), Candidate(0, 3, head, "full")]
    assert labelled(found, {(0, 3)}) == [0, 1]


def test_a_ranker_learns_objects_from_a_few_sentences() -> None:
    nlp = load_nlp()
    finder = FrameFinder()
    train = [
        ("Rebels attacked the army base.", (2, 5)),
        ("Police arrested the opposition leader.", (2, 5)),
        ("Soldiers shelled the northern villages.", (2, 5)),
        ("The court released three journalists.", (3, 5)),
    ]
    docs = [nlp(text) for text, _ in train]
    marks = [role_marks(doc, finder) for doc in docs]
    ranker = TargetRanker.fit_parts(docs, marks, [{span} for _, span in train])
    doc = nlp("Militants attacked the police station.")
    assert ranker.targets(doc, role_marks(doc, finder)) == [(2, 5)]


SHIPPED = [
    ("The government expelled two foreign journalists.", "two foreign journalists"),
    ("Russia imposed sanctions on Ukraine.", "Ukraine"),
    ("Turkey opened its borders to Syrian refugees.", "Syrian refugees"),
    ("Egypt condemned Russia's shelling of Kharkiv.", "Russia's shelling of Kharkiv"),
    (
        "Police arrested the opposition leader, a former minister, on Monday.",
        "the opposition leader, a former minister",
    ),
]


@pytest.mark.parametrize(("sentence", "target"), SHIPPED)
def test_shipped_ranker_finds_the_target_phrase(sentence: str, target: str) -> None:
    tagger = load_tagger()
    if tagger is None or tagger.targets is None:
        pytest.skip("the span tagger has not been trained (scripts/train_span_tagger.py)")
    sent = next(load_nlp()(sentence).sents)
    assert target in [span.text for role, span in tagger.spans(sent) if role == "T"]
