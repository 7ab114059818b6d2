"""eventline.serve.responses: the envelope and the unknown-parameter check."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI, Query
from fastapi.routing import APIRoute

from eventline.serve.params import ApiError
from eventline.serve.responses import (
    OPENAPI_PARAMETERS,
    check_parameters,
    raw_envelope,
    route_parameters,
)


def test_raw_envelope_wraps_json_text() -> None:
    response = raw_envelope('[{"id":"a"}]', {"count": 1, "next": None})
    assert json.loads(response.body) == {
        "ok": True,
        "data": [{"id": "a"}],
        "meta": {"count": 1, "next": None},
    }


def test_declared_and_self_read_parameters_are_both_accepted() -> None:
    app = FastAPI()

    @app.get("/api/x", openapi_extra={OPENAPI_PARAMETERS: [{"name": "raw", "in": "query"}]})
    def endpoint(typed: str | None = Query(None)) -> None:  # noqa: B008
        return None

    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/api/x")
    assert route_parameters(route) == {"typed", "raw"}
    check_parameters(route, ["typed", "raw"])
    with pytest.raises(ApiError) as caught:
        check_parameters(route, ["raw", "rew"])
    assert caught.value.parameter == "rew" and caught.value.status == 400
