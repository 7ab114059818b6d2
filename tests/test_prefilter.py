"""The prefilter keeps event sentences, drops background, and never shifts offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventline import prefilter
from eventline.prefilter import (
    candidate_sentences,
    keep,
    load_lexicon,
    mask_text,
    split_sentences,
    word_forms,
)


@pytest.fixture()
def lexicon(tmp_path: Path) -> prefilter.Lexicon:
    triggers = tmp_path / "triggers.csv"
    triggers.write_text(
        "# a comment line\nlemma,pos,event_type\nattack,ANY,ASSAULT\nkill,VERB,ASSAULT\n"
        "strike,ANY,ASSAULT\nseize,VERB,SEIZE\nopen fire,VERB,ASSAULT\n",
        encoding="utf-8",
    )
    cues = tmp_path / "cues.csv"
    cues.write_text("word,kind\ndead,casualty\ntally,claim\n", encoding="utf-8")
    return load_lexicon(triggers, cues)


def test_word_forms_cover_regular_and_irregular_inflections() -> None:
    assert {"attacks", "attacked", "attacking"} <= word_forms("attack")
    assert {"seized", "seizing", "seizes"} <= word_forms("seize")
    assert {"struck", "strikes", "striking"} <= word_forms("strike")
    assert {"shelled", "shelling"} <= word_forms("shell")
    assert "carried" in word_forms("carry")


@pytest.mark.parametrize(
    "sentence",
    [
        "Gunmen attacked a police post overnight.",
        "The militants struck two facilities.",
        "Troops opened fire on the crowd.",
        "At least 12 people were dead by morning.",
        "Rebels seized the town.",
    ],
)
def test_keeps_event_sentences(lexicon: prefilter.Lexicon, sentence: str) -> None:
    assert keep(sentence, lexicon)


@pytest.mark.parametrize(
    "sentence",
    [
        "The weather was mild and the market reopened.",
        "Officials kept a tally of the talks.",  # a claim word needs a number
        "The council will meet on Tuesday.",
    ],
)
def test_drops_background_sentences(lexicon: prefilter.Lexicon, sentence: str) -> None:
    assert not keep(sentence, lexicon)


def test_phrase_ending_in_a_preposition_is_indexed_on_its_verb(tmp_path: Path) -> None:
    triggers = tmp_path / "triggers.csv"
    triggers.write_text("lemma,pos,event_type\ncall for,VERB,REQUEST\n", encoding="utf-8")
    lexicon = load_lexicon(triggers, tmp_path / "no-cues.csv")
    assert keep("The opposition called for new elections.", lexicon)
    # "for" alone is in most sentences: it must not keep one
    assert not keep("The bridge was closed for repairs.", lexicon)


def test_claim_word_with_number_is_kept(lexicon: prefilter.Lexicon) -> None:
    assert keep("The tally reached 66 since October.", lexicon)


def test_split_sentences_respects_abbreviations() -> None:
    text = "Gen. Smith met U.S. officials on Oct. 27 in Baghdad. Then he left.\nNext line"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Gen. Smith met U.S. officials on Oct. 27 in Baghdad.",
        "Then he left.",
        "Next line",
    ]


def test_candidate_spans_keep_first_sentence_and_neighbors(lexicon: prefilter.Lexicon) -> None:
    text = "NAIROBI, Kenya (AP) - Morning. The sun rose. Gunmen attacked a bus. Markets opened."
    sentences = [text[s:e] for s, e in candidate_sentences(text, lexicon=lexicon)]
    assert sentences == ["NAIROBI, Kenya (AP) - Morning.", "Gunmen attacked a bus."]
    wide = candidate_sentences(text, neighbors=1, lexicon=lexicon)
    assert len(wide) == 4


def test_mask_keeps_offsets_and_separates_kept_sentences(lexicon: prefilter.Lexicon) -> None:
    text = "Gunmen attacked a bus. The sun rose over the hills. Rebels seized the town."
    spans = candidate_sentences(text, keep_first=False, lexicon=lexicon)
    masked = mask_text(text, spans)
    assert len(masked) == len(text)
    for start, end in spans:
        assert masked[start:end] == text[start:end]
    assert "sun" not in masked
    assert "\n\n" in masked  # dropped text between kept sentences becomes a blank line


def test_without_lexicon_everything_is_kept(tmp_path: Path) -> None:
    empty = load_lexicon(tmp_path / "missing.csv", tmp_path / "missing-cues.csv")
    assert not empty.enabled
    assert keep("Nothing happens here.", empty)
    text = "One. Two. Three."
    assert candidate_sentences(text, lexicon=empty) == split_sentences(text)


def test_env_switch_disables_filtering(
    lexicon: prefilter.Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(prefilter.DISABLE_ENV, "0")
    assert keep("The weather was mild.", lexicon)


def test_shipped_lexicon_keeps_seed_event_sentences(seed_path: Path) -> None:
    if not prefilter.TRIGGERS_FILE.is_file():
        pytest.skip("eventline/data/triggers.csv is not there yet")
    text = seed_path.read_text(encoding="utf-8")
    kept = " ".join(text[s:e] for s, e in candidate_sentences(text))
    for phrase in ("conducted a new round of airstrikes", "fired on and killed", "66 strikes"):
        assert phrase in kept
