"""Store fixtures: every test that takes `store_url` runs on SQLite and on PostgreSQL.

PostgreSQL runs need EVENTLINE_TEST_POSTGRES_URL (scripts/ci-postgres.sh starts a
throwaway server and prints it); each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

POSTGRES_URL = os.environ.get("EVENTLINE_TEST_POSTGRES_URL")


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "events.db")
        return
    if not POSTGRES_URL:
        pytest.skip(
            'EVENTLINE_TEST_POSTGRES_URL is not set; run: eval "$(scripts/ci-postgres.sh start)"'
        )
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_url: str):
    from eventline.store import open_store

    with open_store(store_url) as opened:
        yield opened
