"""Model objects as table rows, and the statements that insert them (both backends).

Queries use `?` placeholders; the PostgreSQL store turns them into `%s`. Every value goes
through a parameter, so no text of a document is ever spliced into SQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventline.model import Actor, Claim, Event

INSERT_FAILURE = (
    "INSERT INTO failures (doc_id, origin, code, reason, attempts, final, failed_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET origin = excluded.origin, "
    "code = excluded.code, reason = excluded.reason, attempts = excluded.attempts, "
    "final = excluded.final, failed_at = excluded.failed_at"
)
INSERT_DOCUMENT_SOURCE = "INSERT INTO document_sources (doc_id, source, regions) VALUES (?, ?, ?)"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _actor_fields(actor: Actor | None) -> tuple[str | None, str | None, str | None, str | None]:
    if actor is None:
        return (None, None, None, None)
    return (actor.country, actor.text, actor.name, actor.code)


def report_row(report: Event) -> tuple[Any, ...]:
    """reports: id, doc_id, event_id, component_id, event_type, date, date_end, country,
    sentence (data is added by the backend)."""
    from eventline.dedupe import event_country

    return (
        report.id,
        report.doc_id,
        report.id,
        report.id,
        report.event_type,
        _iso(report.date),
        _iso(report.date_end),
        event_country(report),
        report.sentence,
    )


INSERT_REPORT = (
    "INSERT INTO reports (id, doc_id, event_id, component_id, event_type, date, date_end, "
    "country, sentence, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


def event_row(event: Event) -> tuple[Any, ...]:
    a1_country, a1_text, a1_name, a1_code = _actor_fields(event.actor1)
    a2_country, a2_text, a2_name, a2_code = _actor_fields(event.actor2)
    place = event.location
    return (
        event.id,
        event.doc_id,
        _iso(event.date),
        _iso(event.date_end),
        event.event_type,
        event.mode,
        place.country if place else None,
        a1_country,
        a2_country,
        a1_text,
        a1_name,
        a1_code,
        a2_text,
        a2_name,
        a2_code,
        place.lat if place else None,
        place.lon if place else None,
        event.fatalities,
        event.fatalities_max,
        event.report_count,
        event.sentence,
    )


INSERT_EVENT = (
    "INSERT INTO events (id, doc_id, date, date_end, event_type, mode, country, actor1_country, "
    "actor2_country, actor1_text, actor1_name, actor1_code, actor2_text, actor2_name, "
    "actor2_code, lat, lon, fatalities, fatalities_max, report_count, sentence, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def claim_row(claim: Claim) -> tuple[Any, ...]:
    a1_country, a1_text, _, _ = _actor_fields(claim.actor1)
    a2_country, a2_text, _, _ = _actor_fields(claim.actor2)
    return (
        claim.id,
        claim.doc_id,
        claim.event_type,
        claim.count,
        _iso(claim.period_start),
        _iso(claim.period_end),
        a1_country,
        a2_country,
        a1_text,
        a2_text,
        claim.sentence,
    )


INSERT_CLAIM = (
    "INSERT INTO claims (id, doc_id, event_type, count, period_start, period_end, "
    "actor1_country, actor2_country, actor1_text, actor2_text, sentence, data) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)

INSERT_DOCUMENT = (
    "INSERT INTO documents (id, title, published, url, source, origin, published_from, text, "
    "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
