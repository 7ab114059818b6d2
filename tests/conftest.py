"""Shared fixtures. Gold sets and the seed are read from ../shared; tests skip with a reason if absent."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTLINE_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_bb42351ed44f2379.txt"
EVAL_DEV = SHARED / "eval" / "dev"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED} (set EVENTLINE_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}; it ships in the shared folder beside the repo")
    return SEED


@pytest.fixture(scope="session")
def eval_dev() -> Path:
    if not EVAL_DEV.is_dir():
        pytest.skip(f"gold sets not found at {EVAL_DEV}; evaluation tests need ../shared/eval/dev")
    return EVAL_DEV


@pytest.fixture(scope="session")
def nlp():
    from eventline.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network touched: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
