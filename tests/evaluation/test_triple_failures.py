"""Which part of a gold triple a record misses, on triples written for the test."""

from eventline.evaluation import triple_failures as tf


def _predicted(*triples, countries=(True, True)):
    return [(triple, *countries) for triple in triples]


def test_all_found_and_extra_triples():
    gold = {("FRA", "ACCUSE", "DEU")}
    assert tf.record_outcome(gold, _predicted(("FRA", "ACCUSE", "DEU")))[0] == tf.ALL_FOUND
    extra = _predicted(("FRA", "ACCUSE", "DEU"), ("DEU", "REJECT", "FRA"))
    assert tf.record_outcome(gold, extra)[0] == tf.ALL_FOUND_EXTRA


def test_no_event_and_wrong_type():
    gold = {("FRA", "ACCUSE", "DEU")}
    assert tf.record_outcome(gold, [])[0] == tf.NO_EVENT
    assert tf.record_outcome(gold, _predicted(("FRA", "REJECT", "DEU")))[0] == tf.WRONG_TYPE


def test_side_states_of_the_best_event_of_the_gold_type():
    gold = {("FRA", "ASSAULT", "---")}
    # the better of two events of the gold type is judged: its target is spurious
    predicted = _predicted(("---", "ASSAULT", "DEU"), ("FRA", "ASSAULT", "DEU"))
    assert tf.record_outcome(gold, predicted) == (tf.TARGET_ONLY, tf.RIGHT, tf.SPURIOUS)
    gold = {("FRA", "ASSAULT", "DEU")}
    missing = tf.record_outcome(gold, _predicted(("---", "ASSAULT", "DEU"), countries=(None, True)))
    assert missing == (tf.SOURCE_ONLY, tf.MISSING, tf.RIGHT)
    # an actor no dictionary knows is there, without a country
    unknown_name = _predicted(("---", "ASSAULT", "DEU"), countries=(False, True))
    unknown = tf.record_outcome(gold, unknown_name)
    assert unknown == (tf.SOURCE_ONLY, tf.NO_COUNTRY, tf.RIGHT)
    sector = tf.record_outcome(
        {("FRA", "ASSAULT", "DEU")}, _predicted(("GOV", "ASSAULT", "ITA"), countries=(False, True))
    )
    assert sector == (tf.BOTH, tf.NO_COUNTRY, tf.WRONG)


def test_joint_sources_found_one_at_a_time():
    gold = {("HUN", "AGREE", "---"), ("ROU", "AGREE", "---")}
    outcome = tf.record_outcome(gold, _predicted(("HUN", "AGREE", "---")))
    assert outcome == (tf.SOME_OF_SEVERAL, tf.RIGHT, tf.RIGHT)


def test_breakdown_counts_and_table():
    outcomes = [
        (tf.ALL_FOUND, tf.RIGHT, tf.RIGHT),
        (tf.NO_EVENT, "", ""),
        (tf.BOTH, tf.NO_COUNTRY, tf.SPURIOUS),
        (tf.TARGET_ONLY, tf.RIGHT, tf.MISSING),
    ]
    table = tf.breakdown(outcomes)
    assert table["records"] == 4
    assert table["outcomes"][tf.NO_EVENT] == 1 and table["outcomes"][tf.WRONG_TYPE] == 0
    assert table["source"] == {tf.MISSING: 0, tf.NO_COUNTRY: 1, tf.WRONG: 0, tf.SPURIOUS: 0}
    assert table["target"][tf.SPURIOUS] == 1 and table["target"][tf.MISSING] == 1
    text = tf.markdown(table)
    assert "| no event | 1 | 0.250 |" in text
    assert "| target missing | 1 | 0.250 |" in text
