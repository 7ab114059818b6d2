"""Dense sentence vectors: read from the installed package only, deterministic, unit length."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from eventline.extraction import sentence_vectors
from eventline.extraction.sentence_vectors import DIMENSIONS, SentenceVectors, encode


def test_the_table_loads_from_the_package_without_network_or_cache(no_network, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setattr(sentence_vectors, "_table", None)  # load afresh under the guard
    vectors = encode(["Police arrested 12 protesters in Kano."])
    assert vectors.shape == (1, DIMENSIONS)
    assert list(home.iterdir()) == []  # nothing written outside the package
    weights, tokenizer = sentence_vectors.package_files()
    assert weights.is_file() and tokenizer.is_file()


def test_a_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(sentence_vectors, "PACKAGE", "no_such_package_for_vectors")
    with pytest.raises(FileNotFoundError, match="no_such_package_for_vectors"):
        sentence_vectors.package_files()


def test_vectors_are_deterministic_unit_length_and_zero_for_empty_text():
    texts = ["Troops shelled the rebel town.", "", "The ministers met for talks."]
    first, second = encode(texts), encode(list(reversed(texts)))[::-1]
    assert first.dtype == np.float32 and first.shape == (3, DIMENSIONS)
    np.testing.assert_array_equal(first, second)  # a row does not depend on its batch
    assert np.allclose(np.linalg.norm(first[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not first[1].any()


def test_similar_events_lie_closer_than_unrelated_sentences():
    shelled, attacked, weather = encode(
        ["Troops shelled the rebel town.", "The army bombarded the insurgents' village.",
         "Shares rose in early trading on Monday."]
    )  # fmt: skip
    assert float(shelled @ attacked) > float(shelled @ weather)


def test_every_casing_reads_as_the_lower_case():
    upper, title, lower = encode(
        ["POLICE ARREST 12 PROTESTERS", "Police Arrest 12 Protesters", "police arrest 12 protesters"]
    )
    np.testing.assert_array_equal(upper, lower)
    np.testing.assert_array_equal(title, lower)


def test_the_transformer_pickles_without_weights():
    data = pickle.dumps(SentenceVectors())
    assert len(data) < 1_000
    restored = pickle.loads(data)  # noqa: S301 - our own object
    np.testing.assert_array_equal(restored.transform(["Rebels attacked"]), encode(["Rebels attacked"]))


def test_the_package_is_not_imported():
    """Only the package's files are read: its import configures the root logger."""
    code = (
        "import sys, logging\n"
        "from eventline.extraction.sentence_vectors import encode\n"
        "encode(['Rebels attacked'])\n"
        "assert 'wordllama' not in sys.modules, 'package imported'\n"
        "assert not logging.getLogger().handlers, 'root logger configured'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_kept_vectors_equal_fresh_ones_and_stay_bounded(monkeypatch):
    texts = ["Rebels shelled the town.", "Talks resumed in Doha.", "Rebels shelled the town."]
    fresh = sentence_vectors._encoded(texts)
    monkeypatch.setattr(sentence_vectors, "KEPT_VECTORS", 2)
    for _ in range(2):
        assert np.array_equal(sentence_vectors.encode(texts), fresh)
        assert np.array_equal(sentence_vectors.encode(texts[1:]), fresh[1:])
    assert len(sentence_vectors._kept) <= 2
