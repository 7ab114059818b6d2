"""A small SQLite store of hand-built events for the API, envelope and browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventline.model import Actor, Claim, Document, Event, Place, Result, stable_id
from eventline.serve.api import create_app
from eventline.store import open_store

US_MIL = Actor(
    text="U.S. warplanes", name="United States military", country="USA", sector="MIL", code="USAMIL"
)
KH = Actor(
    text="Kataib Hezbollah",
    name="Kataib Hezbollah",
    country="IRQ",
    sector="REB",
    code="IRQREB",
    affiliation="IRN",
)
SYR_GOV = Actor(
    text="Syrian police", name="Syrian government", country="SYR", sector="GOV", code="SYRGOV"
)
SYR_CVL = Actor(text="protesters", name="civilians", country="SYR", sector="CVL", code="SYRCVL")

BAGHDAD = Place(text="Baghdad", name="Baghdad", country="IRQ", lat=33.34, lon=44.40, precision=2)
AL_ASAD = Place(
    text="Al Asad Air Base",
    name="Al Asad Air Base",
    country="IRQ",
    lat=33.79,
    lon=42.44,
    precision=1,
)
ERBIL = Place(text="Erbil", name="Erbil", country="IRQ", lat=36.19, lon=44.01, precision=1)
DAMASCUS = Place(text="Damascus", name="Damascus", country="SYR", lat=33.51, lon=36.29, precision=1)
KABUL = Place(text="Kabul", name="Kabul", country="AFG", lat=34.53, lon=69.17, precision=1)

XSS_SENTENCE = (
    "Protesters shouted <script>alert('xss-script')</script> and waved "
    "<img src=x onerror=\"alert('xss-img')\"> signs in Kabul on Friday."
)


def make_event(doc_id: str, sentence: str, trigger: str, **values: object) -> Event:
    start = 0
    return Event(
        id=stable_id(doc_id, start, len(sentence), trigger, prefix="r"),
        doc_id=doc_id,
        sentence=sentence,
        char_start=start,
        char_end=len(sentence),
        trigger=trigger,
        **values,  # type: ignore[arg-type]
    )


def make_document(
    doc_id: str, text: str, published: date, source: str, url: str | None
) -> Document:
    return Document(
        id=doc_id,
        text=text,
        title=f"Report from {source}",
        published=published,
        source=source,
        url=url,
    )


def sample_results() -> list[Result]:
    """Five documents: two tell the same Baghdad strike, one holds markup in its sentence."""
    strike = (
        "U.S. warplanes struck two Kataib Hezbollah facilities south of Baghdad early Wednesday."
    )
    missile = "Iran-backed militants fired a ballistic missile at Al Asad Air Base on Monday night."
    drone = "Kataib Hezbollah drones hit a base near Erbil on Saturday, killing two soldiers."
    arrest = "Syrian police arrested dozens of protesters in Damascus."
    wire = make_document(
        "doc-wire",
        strike + " " + missile,
        date(2023, 11, 22),
        "Example Wire",
        "https://example.org/wire",
    )
    desk = make_document(
        "doc-desk", strike, date(2023, 11, 23), "Other Desk", "https://example.net/desk"
    )
    later = make_document("doc-later", drone, date(2023, 11, 26), "Example Wire", None)
    syria = make_document("doc-syria", arrest, date(2023, 10, 2), "Local Paper", None)
    xss = make_document(
        "doc-xss",
        XSS_SENTENCE,
        date(2023, 9, 16),
        "<b>Bold Source</b>",
        "javascript:alert('xss-url')",
    )

    def strike_event(doc_id: str) -> Event:
        return make_event(
            doc_id,
            strike,
            "struck",
            event_type="ASSAULT",
            mode="aerial",
            cameo="195",
            actor1=US_MIL,
            actor2=KH,
            date=date(2023, 11, 22),
            date_precision="day",
            location=BAGHDAD,
            attribution="U.S. defense officials",
        )

    return [
        Result(
            document=wire,
            events=[
                strike_event("doc-wire"),
                make_event(
                    "doc-wire",
                    missile,
                    "fired",
                    event_type="ASSAULT",
                    mode="heavy-weapons",
                    actor1=KH,
                    actor2=US_MIL,
                    date=date(2023, 11, 20),
                    date_precision="day",
                    location=AL_ASAD,
                ),
            ],
            claims=[
                Claim(
                    id="claim-66",
                    doc_id="doc-wire",
                    sentence="There have been 66 attacks on American troops since Oct. 17.",
                    char_start=0,
                    char_end=60,
                    count=66,
                    event_type="ASSAULT",
                    actor1=KH,
                    actor2=US_MIL,
                    period_start=date(2023, 10, 17),
                    period_end=date(2023, 11, 22),
                    attribution="American officials",
                )
            ],
        ),
        Result(document=desk, events=[strike_event("doc-desk")]),
        Result(
            document=later,
            events=[
                make_event(
                    "doc-later",
                    drone,
                    "hit",
                    event_type="ASSAULT",
                    mode="drone",
                    actor1=KH,
                    actor2=US_MIL,
                    date=date(2023, 11, 25),
                    date_precision="day",
                    location=ERBIL,
                    fatalities=2,
                )
            ],
        ),
        Result(
            document=syria,
            events=[
                make_event(
                    "doc-syria",
                    arrest,
                    "arrested",
                    event_type="COERCE",
                    mode="arrest",
                    actor1=SYR_GOV,
                    actor2=SYR_CVL,
                    date=date(2023, 10, 1),
                    date_precision="day",
                    location=DAMASCUS,
                    fatalities=0,
                ),
                make_event(
                    "doc-syria",
                    "Officials announced new sanctions.",
                    "sanctions",
                    event_type="SANCTION",
                    date_text="some day",
                ),
            ],
        ),
        Result(
            document=xss,
            events=[
                make_event(
                    "doc-xss",
                    XSS_SENTENCE,
                    "shouted",
                    event_type="PROTEST",
                    mode="demo",
                    actor1=Actor(text="<b>protesters</b>", name="<i>protesters</i>", country="AFG"),
                    date=date(2023, 9, 15),
                    date_precision="day",
                    location=KABUL,
                    attribution="<script>alert('xss-attribution')</script>",
                )
            ],
        ),
    ]


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("serve")) / "events.db"
    with open_store(str(path)) as store:
        store.add_results(sample_results())
    return str(path)


@pytest.fixture(scope="session")
def client(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_url)) as test_client:
        yield test_client
