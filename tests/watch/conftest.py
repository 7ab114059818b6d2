"""Watch fixtures: stores on SQLite and PostgreSQL (as the store tests), and one loaded
pipeline shared by the module's cycles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.store.conftest import store_url  # noqa: F401 - the fixture, for these tests too


@pytest.fixture(scope="module")
def extractor() -> Iterator[object]:
    from eventline.engines.local import LocalExtractor

    with LocalExtractor() as opened:
        yield opened
