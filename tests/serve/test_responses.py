"""eventline.serve.responses: the envelope and the unknown-parameter check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Query
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


@dataclass
class _Inner:
    deep: str | None = None


@dataclass
class _Outer:
    near: Annotated[str | None, Query(alias="near-by")] = None
    inner: Annotated[_Inner | None, Depends(_Inner)] = None


def test_parameters_of_dependencies_and_theirs_are_accepted() -> None:
    app = FastAPI()

    @app.get("/api/y")
    def endpoint(outer: Annotated[_Outer, Depends()], own: str | None = None) -> None:
        return None

    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/api/y")
    assert route_parameters(route) == {"own", "near-by", "deep"}
    with pytest.raises(ApiError) as caught:
        check_parameters(route, ["deep", "near"])
    assert caught.value.parameter == "near"
