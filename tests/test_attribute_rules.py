"""The attribute ruler's matches by table are the matches of spaCy's own ruler."""

import importlib
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

from eventline import attribute_rules
from eventline.attribute_rules import RuleTable, use_rule_table
from eventline.nlp import MODEL_PACKAGE, load_nlp

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
ODD = "Gon na let 's go. There is a man who ai n't here.  \n\n  OK!! They got ta leave, don't they? 12 U.S. troops"


@pytest.fixture(scope="module")
def shipped():
    """The model package as it ships, its ruler matching with spaCy's Matcher."""
    return importlib.import_module(MODEL_PACKAGE).load()


def _texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in EXAMPLES] + [ODD, "", " "]


def test_every_rule_of_the_shipped_ruler_is_read(shipped) -> None:
    assert RuleTable.of(shipped.get_pipe("attribute_ruler")) is not None


def test_the_table_finds_the_matches_spacy_finds(shipped) -> None:
    ruler = shipped.get_pipe("attribute_ruler")
    table = RuleTable.of(ruler)
    assert table is not None and EXAMPLES
    with shipped.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(shipped.pipe(_texts()))
    for doc in docs:
        assert table.match(doc) == sorted(set(ruler.match(doc)))
    assert any(len(table.multi(doc)) for doc in docs)  # the several-token rules ("gon na") are found


def test_parses_get_the_attributes_the_shipped_model_gives(shipped) -> None:
    tabled = importlib.import_module(MODEL_PACKAGE).load()
    use_rule_table(tabled)
    assert tabled.get_pipe("attribute_ruler").match != shipped.get_pipe("attribute_ruler").match
    columns = [TAG, POS, MORPH, LEMMA, DEP]
    for text in _texts():
        assert (tabled(text).to_array(columns) == shipped(text).to_array(columns)).all()


def test_eventline_parses_with_the_table() -> None:
    ruler = load_nlp().get_pipe("attribute_ruler")
    assert getattr(ruler.match, "__self__", None).__class__ is RuleTable


def test_a_rule_the_table_cannot_read_leaves_spacys_ruler() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "us"}]], {"LEMMA": "we"})
    assert RuleTable.of(ruler) is not None
    ruler.add([[{"LENGTH": {">": 3}}]], {"LEMMA": "long"})
    assert RuleTable.of(ruler) is None
    match = ruler.match
    use_rule_table(nlp)
    assert ruler.match == match


def test_the_table_is_bounded(shipped, monkeypatch) -> None:
    table = RuleTable.of(shipped.get_pipe("attribute_ruler"))
    assert table is not None
    monkeypatch.setattr(attribute_rules, "TABLE_SIZE", 5)
    with shipped.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = shipped(ODD)
    table.match(doc)
    assert len(table.known) <= 6


def test_rules_added_later_are_matched_by_spacy() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "us"}]], {"LEMMA": "we"})
    use_rule_table(nlp)
    ruler.add([[{"LOWER": "them"}]], {"LEMMA": "they"})
    assert [t.lemma_ for t in nlp("us and them")] == ["we", "", "they"]
