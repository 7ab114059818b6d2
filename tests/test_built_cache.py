import pickle
from pathlib import Path

from eventline.built_cache import BUILT_DIR, cached_build, fingerprint
from eventline.resolve.actor_index import BUILDERS, DATA_DIR
from eventline.resolve.actors import ActorDictionary
from eventline.resolve.places.gazetteer import Gazetteer

BUILDER = ("eventline.built_cache",)


class Built:
    def __init__(self, words: dict[str, int]) -> None:
        self.words = words


def _sources(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "names.csv").write_text("name\nHamas\n", encoding="utf-8")
    return sources


def test_built_once_then_read_back(tmp_path: Path) -> None:
    sources, folder, builds = _sources(tmp_path), tmp_path / "built", []

    def build() -> Built:
        builds.append(1)
        return Built({"hamas": 1})

    first = cached_build(Built, build, [sources], BUILDER, folder)
    second = cached_build(Built, build, [sources], BUILDER, folder)
    assert len(builds) == 1
    assert second.words == first.words == {"hamas": 1}
    assert second is not first  # each load is a copy of its own: a user's files change it
    assert len(list(folder.glob("Built-*.pickle"))) == 1


def test_changed_source_is_rebuilt_and_old_file_removed(tmp_path: Path) -> None:
    sources, folder = _sources(tmp_path), tmp_path / "built"
    before = fingerprint(Built, [sources], BUILDER)
    cached_build(Built, lambda: Built({"old": 1}), [sources], BUILDER, folder)
    (sources / "names.csv").write_text("name\nHamas\nHezbollah\n", encoding="utf-8")
    assert fingerprint(Built, [sources], BUILDER) != before
    assert cached_build(Built, lambda: Built({"new": 1}), [sources], BUILDER, folder).words == {"new": 1}
    assert [p.name for p in folder.glob("Built-*.pickle")] == [f"Built-{fingerprint(Built, [sources], BUILDER)}.pickle"]


def test_damaged_or_foreign_file_is_rebuilt(tmp_path: Path) -> None:
    sources, folder = _sources(tmp_path), tmp_path / "built"
    folder.mkdir()
    path = folder / f"Built-{fingerprint(Built, [sources], BUILDER)}.pickle"
    path.write_bytes(b"not a pickle")
    assert cached_build(Built, lambda: Built({"a": 1}), [sources], BUILDER, folder).words == {"a": 1}
    path.write_bytes(pickle.dumps({"a": 2}))  # readable, but not what was built
    assert cached_build(Built, lambda: Built({"a": 3}), [sources], BUILDER, folder).words == {"a": 3}


def test_unwritable_folder_still_builds(tmp_path: Path) -> None:
    sources = _sources(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")  # a file where the folder would be
    assert cached_build(Built, lambda: Built({"a": 1}), [sources], BUILDER, blocker / "built").words == {"a": 1}


def test_shipped_index_read_back_equals_a_fresh_build() -> None:
    ActorDictionary.load()  # writes the built index if no process has
    assert list(BUILT_DIR.glob(f"ActorDictionary-{fingerprint(ActorDictionary, [DATA_DIR], BUILDERS)}.pickle"))
    assert vars(ActorDictionary.load()) == vars(ActorDictionary.load_shipped())


def test_gazetteer_read_back_equals_a_fresh_build() -> None:
    Gazetteer.load()
    assert vars(Gazetteer.load()) == vars(Gazetteer.build())
