"""The OpenAPI document itself: every component name means one shape, and every operation
documents its error statuses in the one error shape (issue 9, finding 7)."""

from __future__ import annotations

import json
import typing
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from learnloop.api.router import api

ERROR_REFS = {"#/components/schemas/Error", "#/components/schemas/ConflictError"}


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def _models_in(annotation: Any, seen: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models_in(arg, seen)


def _schema_classes() -> set[type[BaseModel]]:
    """Every pydantic class the operations use for parameters, bodies and responses."""
    seen: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    _models_in(model, seen)
    return seen


def test_every_component_name_means_one_shape(document: dict[str, Any]) -> None:
    """Two classes with one name overwrite each other in the document: the invitations list
    was once documented with the meeting invitees' fields."""
    shapes: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes():
        if cls.__name__ in document["components"]["schemas"]:
            schema = cls.model_json_schema(mode="serialization", by_alias=True)
            shapes[cls.__name__].add(json.dumps(schema, sort_keys=True))
    clashes = sorted(name for name, variants in shapes.items() if len(variants) > 1)
    assert clashes == []


def test_the_invitations_list_is_documented_with_the_invitation_fields(
    document: dict[str, Any],
) -> None:
    operation = document["paths"]["/api/teams/{slug}/invitations"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    fields = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"id", "email", "role", "status", "expires_at"}


def test_every_operation_documents_its_error_statuses(document: dict[str, Any]) -> None:
    """401 everywhere (a token or a session is required); 404 where the path names something;
    400 where a body can be other than JSON; 422 where a query parameter or a body field can
    have the wrong type; each in the one error shape."""
    missing: list[str] = []
    for label, operation in _operations(document):
        responses = {int(code): body for code, body in operation["responses"].items()}
        expected = {401}
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add(404)
        if "requestBody" in operation:
            expected |= {400, 422}  # a body that is not JSON; a field of the wrong type
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected.add(422)
        missing += [f"{label}: {code}" for code in sorted(expected - set(responses))]
        for code, body in responses.items():
            if code >= 400:
                schema = body["content"]["application/json"]["schema"]
                assert schema["$ref"] in ERROR_REFS, f"{label} {code}"
    assert missing == []


def test_the_error_schema_is_the_one_error_shape(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["Error"]["required"] == ["error"]
    detail = schemas[schemas["Error"]["properties"]["error"]["$ref"].rsplit("/", 1)[1]]
    assert set(detail["required"]) == {"code", "message", "fields"}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_operation_id_is_unique_and_every_ref_resolves(document: dict[str, Any]) -> None:
    """What a viewer needs to draw the document (decision 0182): an operation is found by its
    operationId, and a schema by its ``$ref``."""
    ids = [operation["operationId"] for _, operation in _operations(document)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    schemas = document["components"]["schemas"]
    refs = set(_refs(document))
    assert refs, "the document uses references"
    unresolved = sorted(r for r in refs if r.rsplit("/", 1)[-1] not in schemas)
    assert unresolved == []
    assert all(r.startswith("#/components/schemas/") for r in refs)


#: Request-body objects keyed by data rather than by a schema, each checked by its service,
#: which refuses a key it does not know, naming it (decision 0235).
KEYED_BY_DATA = {
    "ReviewUpdateIn.content",  # the review's section keys (reviews/content.py)
    "AnswerIn.answers",  # the round's question keys (surveys/services.py)
    "JournalEntryIn.answers",  # the framework's prompt keys (journal/services.py)
    "JournalEntryPatch.answers",
    "CsvImportIn.mapping",  # the import's target fields (transfer/csv_import.py)
}


def _open_objects(schema: dict[str, Any], where: str, schemas: dict[str, Any]) -> list[str]:
    """The objects in ``schema`` that take properties the schema does not name."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _open_objects(schemas[name], name, schemas)
    found = [
        problem
        for key in ("anyOf", "oneOf", "allOf")
        for option in schema.get(key, [])
        for problem in _open_objects(option, where, schemas)
    ]
    if "items" in schema:
        found += _open_objects(schema["items"], where, schemas)
    if schema.get("type") == "object" or "properties" in schema:
        if "properties" in schema:
            if schema.get("additionalProperties") is not False:
                found.append(where)
            for name, prop in schema["properties"].items():
                found += _open_objects(prop, f"{where}.{name}", schemas)
        elif where not in KEYED_BY_DATA:
            found.append(where)
    return found


def test_every_request_body_refuses_properties_it_does_not_name(document: dict[str, Any]) -> None:
    """A client that misspells a field gets a 422 naming it, not a 2xx that dropped it; the
    document says so with ``additionalProperties: false`` on every object a body holds."""
    schemas = document["components"]["schemas"]
    bodies = [
        (label, content["schema"])
        for label, operation in _operations(document)
        for content in operation.get("requestBody", {}).get("content", {}).values()
    ]
    assert len(bodies) > 70
    open_objects = sorted(
        {
            f"{label}: {where}"
            for label, body in bodies
            for where in _open_objects(body, label, schemas)
        }
    )
    assert open_objects == []
