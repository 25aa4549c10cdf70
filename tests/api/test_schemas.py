"""Integration: the OpenAPI schema is valid OpenAPI 3, every operation declares its security and errors,
and the request schemas (helix.api.schemas) refuse what is not a number or holds a NUL."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from django.test import Client
from pydantic import BaseModel

import helix.api
from helix.api.schemas.base import Input, refuse_nul
from helix.api.urls import api

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


READ = [{"ApiTokenAuth": []}, {"SessionCookieAuth": []}, {}]


WRITE = [{"ApiTokenAuth": []}, {"SessionCookieAuth": []}]


OPERATIONS = {
    ("get", "/api/registry/organisations"): READ,
    ("post", "/api/registry/organisations"): WRITE,
    ("get", "/api/registry/organisations/{slug}"): READ,
    ("patch", "/api/registry/organisations/{slug}"): WRITE,
    ("get", "/api/registry/organisations/{slug}/sites"): READ,
    ("post", "/api/registry/organisations/{slug}/sites"): WRITE,
    ("patch", "/api/registry/organisations/{slug}/sites/{site_id}"): WRITE,
    ("get", "/api/registry/organisations/{slug}/people"): READ,
    ("post", "/api/registry/organisations/{slug}/people"): WRITE,
    ("patch", "/api/registry/organisations/{slug}/people/{person_id}"): WRITE,
    ("get", "/api/registry/clusters"): READ,
    ("get", "/api/registry/clusters/{slug}"): READ,
    ("get", "/api/registry/memberships"): READ,
    ("post", "/api/registry/memberships"): WRITE,
    ("get", "/api/registry/memberships/{membership_id}"): READ,
    ("post", "/api/registry/memberships/{membership_id}/level"): WRITE,
    ("get", "/api/registry/sectors"): READ,
    ("get", "/api/market/listings"): READ,
    ("post", "/api/market/listings"): WRITE,
    ("get", "/api/market/listings/{listing_id}"): READ,
    ("patch", "/api/market/listings/{listing_id}"): WRITE,
    ("post", "/api/market/listings/{listing_id}/status"): WRITE,
    ("get", "/api/market/listings/{listing_id}/matches"): READ,
    ("post", "/api/market/listings/{listing_id}/feedback"): WRITE,
    ("get", "/api/market/organisations/{slug}/matches"): READ,
    ("get", "/api/market/who-meets-whom"): WRITE,
    ("get", "/api/market/meeting-requests"): WRITE,
    ("post", "/api/market/meeting-requests"): WRITE,
    ("post", "/api/market/meeting-requests/{meeting_id}/answer"): WRITE,
    ("get", "/api/projects/projects"): READ,
    ("get", "/api/projects/projects/{project_id}"): READ,
    ("post", "/api/projects/projects/{project_id}/status"): WRITE,
    ("get", "/api/calls/calls"): READ,
    ("get", "/api/calls/calls/{call_key}"): READ,
    ("post", "/api/calls/calls/{call_key}/move"): WRITE,
    ("get", "/api/calls/applications"): WRITE,
    ("post", "/api/calls/applications"): WRITE,
    ("get", "/api/calls/applications/{application_id}"): WRITE,
    ("patch", "/api/calls/applications/{application_id}/answers"): WRITE,
    ("post", "/api/calls/applications/{application_id}/co-applicants"): WRITE,
    ("delete", "/api/calls/applications/{application_id}/co-applicants/{organisation_id}"): WRITE,
    ("post", "/api/calls/applications/{application_id}/attachments/{field}"): WRITE,
    ("post", "/api/calls/applications/{application_id}/submit"): WRITE,
    ("post", "/api/calls/applications/{application_id}/withdraw"): WRITE,
    ("post", "/api/calls/applications/{application_id}/move"): WRITE,
    ("get", "/api/calls/applications/{application_id}/eligibility"): WRITE,
    ("post", "/api/calls/applications/{application_id}/judge"): WRITE,
    ("get", "/api/funds/instruments"): WRITE,
    ("get", "/api/funds/instruments/{key}"): WRITE,
    ("get", "/api/funds/instruments/{key}/entries"): WRITE,
    ("post", "/api/funds/instruments/{key}/commit"): WRITE,
    ("post", "/api/funds/instruments/{key}/disburse"): WRITE,
    ("post", "/api/funds/instruments/{key}/repay"): WRITE,
    ("post", "/api/funds/instruments/{key}/leverage"): WRITE,
    ("post", "/api/funds/instruments/{key}/check"): WRITE,
    ("get", "/api/roadmaps/"): READ,
    ("get", "/api/roadmaps/{key}"): READ,
    ("get", "/api/roadmaps/{key}/what-if"): READ,
    ("post", "/api/roadmaps/{key}/transitions"): WRITE,
    ("post", "/api/roadmaps/{key}/items"): WRITE,
    ("put", "/api/roadmaps/{key}/items/{item}"): WRITE,
    ("post", "/api/roadmaps/{key}/items/{item}/accept"): WRITE,
    ("post", "/api/roadmaps/{key}/items/{item}/progress"): WRITE,
    ("get", "/api/events/events"): READ,
    ("get", "/api/events/events/{event_id}"): READ,
    ("get", "/api/events/events/{event_id}/registrations"): WRITE,
    ("post", "/api/events/events/{event_id}/requests"): WRITE,
    ("post", "/api/events/requests/{request_id}/answer"): WRITE,
    ("post", "/api/events/events/{event_id}/schedules"): WRITE,
    ("get", "/api/events/schedules/{schedule_id}"): WRITE,
    ("post", "/api/events/schedules/{schedule_id}/publish"): WRITE,
    ("get", "/api/events/registrations/{registration_id}/agenda.ics"): WRITE,
    ("post", "/api/events/events/{event_id}/registrations"): WRITE,
    ("post", "/api/events/events/{event_id}/status"): WRITE,
    ("post", "/api/events/requests/{request_id}/cancel"): WRITE,
    ("post", "/api/events/schedules/{schedule_id}/cancel"): WRITE,
    ("get", "/api/symbiosis/flows"): READ,
    ("post", "/api/symbiosis/flows"): WRITE,
    ("get", "/api/symbiosis/flows/{flow_id}"): READ,
    ("get", "/api/symbiosis/waste-codes"): READ,
    ("get", "/api/symbiosis/waste-codes/suggest"): READ,
    ("get", "/api/symbiosis/synergies"): WRITE,
    ("get", "/api/symbiosis/synergies/{synergy_id}"): WRITE,
    ("post", "/api/symbiosis/synergies/{synergy_id}/accept"): WRITE,
    ("post", "/api/symbiosis/synergies/{synergy_id}/move"): WRITE,
    ("post", "/api/symbiosis/synergies/{synergy_id}/reports"): WRITE,
    ("get", "/api/symbiosis/totals"): WRITE,
    ("get", "/api/symbiosis/impact-factors"): READ,
    ("put", "/api/symbiosis/impact-factors/{key}"): WRITE,
    ("post", "/api/symbiosis/match"): WRITE,
    ("post", "/api/symbiosis/allocations"): WRITE,
    ("get", "/api/symbiosis/allocations/{run_id}"): WRITE,
    ("get", "/api/privacy/people/{person_id}/export"): WRITE,
    ("get", "/api/privacy/people/{person_id}/consents"): WRITE,
    ("post", "/api/privacy/people/{person_id}/erase"): WRITE,
    ("get", "/api/me/notifications"): WRITE,
    ("post", "/api/me/notifications/{notification_id}/read"): WRITE,
    ("post", "/api/me/notifications/read-all"): WRITE,
}


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def references(node):
    """Every ``$ref`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


@pytest.fixture
def schema() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3_with_every_operation_and_its_security(schema):
    assert schema["openapi"].startswith("3.")
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Helix API", "1")
    found = {
        (method, path): operation.get("security")
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert found == OPERATIONS
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["type"] == "http"
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    cookie = schema["components"]["securitySchemes"]["SessionCookieAuth"]
    assert (cookie["type"], cookie["in"], cookie["name"]) == ("apiKey", "cookie", "sessionid")


def test_the_schema_is_well_formed(schema):
    """The structural rules of OpenAPI 3 that a generator can get wrong (no validator package installed)."""
    operation_ids = []
    for path, item in schema["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            assert method in HTTP_METHODS
            assert operation["responses"], (method, path)
            assert all(re.fullmatch(r"[1-5]\d\d", code) for code in operation["responses"])
            operation_ids.append(operation["operationId"])
            declared = {
                p["name"] for p in operation.get("parameters", []) if p["in"] == "path" and p["required"]
            }
            assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
            assert {p["in"] for p in operation.get("parameters", [])} <= {"path", "query", "header", "cookie"}
            assert operation.get("tags") in (
                ["organisations"],
                ["clusters"],
                ["memberships"],
                ["sectors"],
                ["listings"],
                ["matches"],
                ["meeting requests"],
                ["events"],
                ["projects"],
                ["calls"],
                ["applications"],
                ["funds"],
                ["roadmaps"],
                ["resource flows"],
                ["synergies"],
                ["privacy"],
                ["notifications"],
            )
    assert len(operation_ids) == len(set(operation_ids))
    refs = set(references(schema))
    assert "#/components/schemas/OrganisationOut" in refs
    assert {
        ref
        for ref in refs
        if ref.removeprefix("#/components/schemas/") not in schema["components"]["schemas"]
    } == set()


def test_every_operation_declares_the_errors_it_can_answer(schema):
    """A token that is wrong gets 401 even on reads, bad parameters 422, a body that is not JSON 400, and
    an object named in the path that is not there (or not yours to see) 404: each must be declared, with
    its body, so that clients (and schemathesis) can rely on the schema."""
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            expected = {"401", "422"} | ({"400"} if "requestBody" in operation else set())
            expected |= {"404"} if "{" in path else set()
            if expected - set(operation["responses"]):
                missing.append((method, path, sorted(expected - set(operation["responses"]))))
    assert missing == []
    unprocessable = schema["paths"]["/api/registry/organisations"]["post"]["responses"]["422"]
    errors = unprocessable["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    field_error = schema["components"]["schemas"][errors]["properties"]["detail"]["items"]["$ref"]
    assert set(schema["components"]["schemas"][field_error.split("/")[-1]]["required"]) == {
        "type",
        "loc",
        "msg",
    }


def test_each_schema_name_stands_for_one_class():
    """The OpenAPI components are named after the classes: two classes of one name made the schema
    describe a listing's matches with the waste-code suggestion's fields (and the pair factors with the
    impact factor's), and the schema checks then failed every match answer."""
    seen: dict[str, list[str]] = {}
    for module in pkgutil.walk_packages(helix.api.__path__, "helix.api."):
        if module.ispkg or ".migrations." in module.name:
            continue
        loaded = importlib.import_module(module.name)
        for cls in vars(loaded).values():
            if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == loaded.__name__:
                seen.setdefault(cls.__name__, []).append(module.name)
    assert {name: modules for name, modules in seen.items() if len(modules) > 1} == {}


def test_every_request_schema_refuses_nan_infinity_and_nul():
    """Each body and query filter is a helix.api.schemas.base.Input (floats finite, no NUL in any string), a
    plain string parameter is PlainText and a plain float parameter finite."""
    unchecked = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if not operation.include_in_schema:
                    continue
                for model in operation.models:
                    for name, field in model.model_fields.items():
                        kind = field.annotation
                        if inspect.isclass(kind) and issubclass(kind, BaseModel):
                            checked = issubclass(kind, Input)
                        elif kind is str:
                            checked = any(getattr(m, "func", None) is refuse_nul for m in field.metadata)
                        elif kind is float:
                            checked = any(getattr(m, "allow_inf_nan", None) is False for m in field.metadata)
                        else:
                            checked = True  # numbers, booleans, choices: nothing more to refuse
                        if not checked:
                            unchecked.append((operation.methods[0], f"{prefix}{path}", name))
    assert unchecked == []


def component(schema: dict, path: str, method: str = "get") -> dict:
    """The component that the success answer of an operation is made of (the items of a list)."""
    answer = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    ref = answer.get("items", answer)["$ref"]
    return schema["components"]["schemas"][ref.split("/")[-1]]


def test_matches_and_suggestions_are_described_by_their_own_schemas(schema):
    assert "listing" in component(schema, "/api/market/listings/{listing_id}/matches")["properties"]
    assert "printed" in component(schema, "/api/symbiosis/waste-codes/suggest")["properties"]
    assert "key" in component(schema, "/api/symbiosis/impact-factors")["properties"]
    pair = component(schema, "/api/market/who-meets-whom")
    factor = pair["properties"]["factors"]["items"]["$ref"].split("/")[-1]
    assert set(schema["components"]["schemas"][factor]["properties"]) == {"name", "value", "detail"}
