"""/openapi.json is valid OpenAPI 3.1, describes exactly the routes the app has, and the answers of the
app match the schemas it gives."""

from __future__ import annotations

from typing import Any

import jsonschema
import orjson
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from streams.api.query import PARAMETERS
from streams.api.web import OPENAPI_PATH
from tests.api.conftest import Served

SPEC: dict[str, Any] = orjson.loads(OPENAPI_PATH.read_bytes())


def test_the_description_is_valid_openapi_3_1() -> None:
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_it_describes_exactly_the_routes_of_the_app(served: Served) -> None:
    app = served.client.server.app
    assert app is not None
    routes = {
        (resource.canonical, route.method)
        for resource in app.router.resources()
        for route in resource
        if route.method != "HEAD" and not resource.canonical.startswith("/static")  # the page's files
    }
    described = {(path, method.upper()) for path, item in SPEC["paths"].items() for method in item}
    assert described == routes


def test_both_event_queries_document_every_parameter_the_parser_takes() -> None:
    for path in ("/api/events", "/api/events.geojson"):
        refs = [p["$ref"].rsplit("/", 1)[-1] for p in SPEC["paths"][path]["get"]["parameters"]]
        assert refs == list(PARAMETERS), path


def schema_of(path: str, status: str, content_type: str) -> jsonschema.Draft202012Validator:
    response = SPEC["paths"][path]["get"]["responses"][status]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = response["content"][content_type]["schema"]
    registry: Registry = Registry().with_resource("urn:openapi", Resource(SPEC, specification=DRAFT202012))
    ref = schema["$ref"].replace("#", "urn:openapi#") if "$ref" in schema else None
    return jsonschema.Draft202012Validator({"$ref": ref} if ref else schema, registry=registry)


async def test_answers_match_the_described_schemas(served: Served) -> None:
    cases = [
        ("/api/events", "/api/events", "200", "application/json"),
        ("/api/events?min_killed=x", "/api/events", "400", "application/json"),
        ("/api/events.geojson", "/api/events.geojson", "200", "application/geo+json"),
        ("/api/events/ev_kharkiv", "/api/events/{event_id}", "200", "application/json"),
        ("/api/events/ev_none", "/api/events/{event_id}", "404", "application/json"),
        ("/ready", "/ready", "503", "application/json"),
    ]
    for url, path, status, content_type in cases:
        response = await served.client.get(url)
        assert str(response.status) == status, url
        assert response.content_type == content_type, url
        schema_of(path, status, content_type).validate(orjson.loads(await response.read()))
