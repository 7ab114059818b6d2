import pytest

from eventline.evaluation import metrics


def test_accuracy_and_macro_f1_on_a_small_case():
    gold = ["A", "A", "B", "C"]
    predicted = ["A", "B", "B", "C"]
    assert metrics.accuracy(gold, predicted) == 0.75
    # A: p=1 r=.5 f=.667; B: p=.5 r=1 f=.667; C: 1
    assert metrics.macro_f1(gold, predicted) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert metrics.weighted_f1(gold, predicted) == pytest.approx((2 * 2 / 3 + 2 / 3 + 1) / 4)


def test_set_prf_counts_each_item_once():
    prf = metrics.set_prf(
        {("USA", "ASSAULT", "IRQ")}, {("USA", "ASSAULT", "IRQ"), ("IRQ", "ASSAULT", "USA")}
    )
    assert (prf.tp, prf.fp, prf.fn) == (1, 1, 0)
    assert prf.precision == 0.5 and prf.recall == 1.0
    assert prf.f1 == pytest.approx(2 / 3)


def test_empty_inputs_give_zero_not_errors():
    assert metrics.accuracy([], []) == 0.0
    assert metrics.PRF().f1 == 0.0
    with pytest.raises(ValueError):
        metrics.accuracy(["A"], [])


def test_token_overlap_and_confusions():
    assert metrics.token_overlap("Israeli army", "the Israeli army") == pytest.approx(0.8)
    assert metrics.token_overlap("", "army") == 0.0
    confusions = metrics.top_confusions(["A", "A", "B"], ["B", "B", "B"])
    assert confusions == [("A", "B", 2)]


def test_spread_takes_items_across_the_whole_sequence():
    items = list(range(10))
    assert metrics.spread(items, 5) == [0, 2, 4, 6, 8]
    assert metrics.spread(items, None) == items
    assert metrics.spread(items, 50) == items


def test_main_event_is_the_most_confident():
    from eventline.model import Actor, Event

    def event(name: str, confidence: float, both: bool) -> Event:
        side = Actor(text="Gondor", country="GON") if both else None
        return Event(
            id=name, doc_id="d", sentence="", char_start=0, char_end=1, event_type="ACCUSE",
            confidence=confidence, actor1=Actor(text="Arnor", country="ARN"), actor2=side,
        )  # fmt: skip

    said, accused = event("said", 0.9, False), event("accused", 0.6, True)
    assert metrics.main_event_of([said, accused]) is said
    assert metrics.main_event_of([accused, event("other", 0.7, False)]).id == "other"
    assert metrics.main_event_of([]) is None
