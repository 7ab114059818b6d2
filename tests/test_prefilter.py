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
    sentence_spans,
    split_sentences,
    word_forms,
)


def _lexicon(tmp_path: Path, rows: str, cues: str = "") -> prefilter.Lexicon:
    triggers = tmp_path / "triggers.csv"
    triggers.write_text("# a comment line\nlemma,pos,event_type\n" + rows, encoding="utf-8")
    cue_file = tmp_path / "cues.csv"
    cue_file.write_text("word,kind\n" + cues, encoding="utf-8")
    return load_lexicon(triggers, cue_file)


@pytest.fixture()
def lexicon(tmp_path: Path) -> prefilter.Lexicon:
    return _lexicon(
        tmp_path,
        "attack,ANY,ASSAULT\nkill,VERB,ASSAULT\nstrike,ANY,ASSAULT\nseize,VERB,SEIZE\n"
        "open fire,VERB,ASSAULT\n",
        cues="must,demand\n",
    )


def test_word_forms_cover_regular_and_irregular_inflections() -> None:
    assert {"attacks", "attacked", "attacking"} <= word_forms("attack")
    assert {"seized", "seizing", "seizes"} <= word_forms("seize")
    assert {"struck", "strikes", "striking"} <= word_forms("strike")
    assert {"shelled", "shelling"} <= word_forms("shell")
    assert {"clashes", "clashed"} <= word_forms("clash")
    assert {"freed", "freeing"} <= word_forms("free")
    assert "carried" in word_forms("carry")


def test_word_forms_follow_the_part_of_speech() -> None:
    # a noun-only trigger has no verb forms, and "ban" + "d" is another word
    assert word_forms("talk", "NOUN") == {"talk", "talks"}
    assert "band" not in word_forms("ban", "VERB")
    assert "banned" in word_forms("ban", "VERB")


@pytest.mark.parametrize(
    "sentence",
    [
        "Gunmen attacked a police post overnight.",
        "The militants struck two facilities.",
        "Troops opened fire on the crowd.",
        "Officials said the army must withdraw.",
        "Rebels seized the town.",
        "A counter-attack followed at dawn.",  # spaCy reads the token "attack"
        "The attack's toll rose overnight.",
    ],
)
def test_keeps_event_sentences(lexicon: prefilter.Lexicon, sentence: str) -> None:
    assert keep(sentence, lexicon)


@pytest.mark.parametrize(
    "sentence",
    [
        "The weather was mild and the market reopened.",
        "At least 12 people were dead by morning.",  # no trigger: no frame, no event
        "The council will meet on Tuesday.",
        "The fire was open all night.",  # "open fire" only as consecutive words
    ],
)
def test_drops_background_sentences(lexicon: prefilter.Lexicon, sentence: str) -> None:
    assert not keep(sentence, lexicon)


def test_phrase_ending_in_a_preposition_is_indexed_on_its_verb(tmp_path: Path) -> None:
    lexicon = _lexicon(tmp_path, "call for,VERB,REQUEST\n")
    assert keep("The opposition called for new elections.", lexicon)
    # "for" alone is in most sentences: it must not keep one
    assert not keep("The bridge was closed for repairs.", lexicon)


def test_multiword_trigger_needs_the_whole_phrase(tmp_path: Path) -> None:
    lexicon = _lexicon(tmp_path, "hand over,VERB,AID\nrule out,VERB,REJECT\n")
    assert keep("The rebels handed over the prisoners.", lexicon)
    assert keep("Officials ruled out talks.", lexicon)
    assert not keep("Many hands were raised over the vote.", lexicon)
    assert not keep("The new rules apply from Monday.", lexicon)


def test_verb_only_trigger_after_a_determiner_or_preposition_is_a_noun(tmp_path: Path) -> None:
    lexicon = _lexicon(tmp_path, "fire,VERB,ASSAULT\nshare,VERB,COOPERATE\n")
    assert keep("Soldiers fire on the crowd.", lexicon)
    assert keep("The two countries share a border.", lexicon)
    assert keep("This shares the cost.", lexicon)  # "this" may be a subject
    assert keep("Officials said the fire was set, and troops fire at night.", lexicon)
    assert not keep("The fire spread to two houses.", lexicon)
    assert not keep("The town came under fire.", lexicon)
    assert not keep("He sold 5,000 shares of the firm.", lexicon)
    # a year may end the subject: "the law passed in 2009 shares ..." stays a candidate
    assert keep("The law passed in 2009 shares the cost.", lexicon)


def test_noun_only_trigger_after_to_or_a_modal_is_a_verb(tmp_path: Path) -> None:
    lexicon = _lexicon(tmp_path, "talk,NOUN,CONSULT\n")
    assert keep("The talk lasted an hour.", lexicon)
    assert keep("Talks resumed on Monday.", lexicon)
    assert not keep("They want to talk.", lexicon)
    assert not keep("The minister will talk to reporters.", lexicon)


def test_a_verb_row_and_a_noun_row_make_any_use_a_trigger(tmp_path: Path) -> None:
    lexicon = _lexicon(tmp_path, "strike,VERB,ASSAULT\nstrike,NOUN,ASSAULT\n")
    assert keep("The strike ended on Monday.", lexicon)
    assert keep("Drones strike at night.", lexicon)


def test_split_sentences_respects_abbreviations() -> None:
    text = "Gen. Smith met U.S. officials on Oct. 27 in Baghdad. Then he left.\nNext line"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Gen. Smith met U.S. officials on Oct. 27 in Baghdad.",
        "Then he left.",
        "Next line",
    ]


def test_split_sentences_at_quotes_bullets_and_line_breaks() -> None:
    text = (
        "He said so. ``This gives him time.'' Both terms expire. * Ann Lee, a term."
        " She joined Acme Inc.\n\nAcme said no."
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "He said so.",
        "``This gives him time.''",
        "Both terms expire.",
        "* Ann Lee, a term.",
        "She joined Acme Inc.",
        "Acme said no.",
    ]


def test_candidate_spans_keep_first_sentence_and_neighbors(lexicon: prefilter.Lexicon) -> None:
    text = "NAIROBI, Kenya (AP) - Morning. The sun rose. Gunmen attacked a bus. Markets opened."
    sentences = [text[s:e] for s, e in candidate_sentences(text, lexicon=lexicon)]
    assert sentences == ["NAIROBI, Kenya (AP) - Morning.", "Gunmen attacked a bus."]
    wide = candidate_sentences(text, neighbors=1, lexicon=lexicon)
    assert len(wide) == 4


def test_a_sentence_cut_at_a_wrapped_line_is_kept_whole(lexicon: prefilter.Lexicon) -> None:
    # fixed-width wire text: a line that starts with a name is cut off by split_sentences,
    # but the parser reads across the line break, so the kept sentence must be whole
    text = (
        "The sun rose.\n"
        "Rebels attacked the convoy of\n"
        "Colonel Waldemar Quintero, which left this\n"
        "Morning from the city.\n"
        "The weather was mild."
    )
    pieces = [text[s:e] for s, e in split_sentences(text)]
    assert "Colonel Waldemar Quintero, which left this" in pieces
    kept = [text[s:e] for s, e in candidate_sentences(text, keep_first=False, lexicon=lexicon)]
    assert kept == [
        "Rebels attacked the convoy of\nColonel Waldemar Quintero, which left this\nMorning from the city."
    ]
    # a blank line, or a line that ends a sentence, still ends it
    apart = "Gunmen attacked a bus\n\nMarkets opened\nSchools closed.\nRebels seized it.\nSun"
    kept = [apart[s:e] for s, e in candidate_sentences(apart, keep_first=False, lexicon=lexicon)]
    assert kept == ["Gunmen attacked a bus", "Rebels seized it."]
    assert [apart[s:e] for s, e in sentence_spans(apart)][1] == "Markets opened\nSchools closed."


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


def test_reasons_name_what_kept_a_sentence(lexicon: prefilter.Lexicon) -> None:
    assert prefilter.reasons("Troops opened fire and killed two.", lexicon) == [
        "opened fire",
        "killed",
    ]
    assert prefilter.reasons("The weather was mild.", lexicon) == []


def test_model_keeps_a_sentence_the_pipeline_may_code_without_a_trigger_word() -> None:
    from eventline.extraction import decision
    from eventline.extraction.event_model import Reading

    thresholds = decision.Thresholds({"ASSAULT": 0.2, "PROTEST": 0.1}, 0.4)
    below = prefilter.MODEL_EVENT_BAR - 0.01
    # a type at the bar from which the pipeline codes an event no trigger word names
    for etype in ("ASSAULT", "PROTEST", "ACCUSE"):
        bar = decision.triggerless_bar(etype, thresholds)
        assert prefilter.model_keeps(Reading(event=below, types={etype: bar}), thresholds)
        assert not prefilter.model_keeps(Reading(event=below, types={etype: bar - 0.01}), thresholds)
    assert prefilter.model_keeps(Reading(event=prefilter.MODEL_EVENT_BAR, types={}), thresholds)
    assert not prefilter.model_keeps(Reading(event=below, types={}), thresholds)
