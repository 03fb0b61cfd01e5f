"""The JSON API: token authentication and the same scoping as the pages."""

from __future__ import annotations

import pytest

from org.api import issue_token
from org.models import ApiToken, Role


@pytest.fixture
def token_of(world):
    def make(role) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.people[role], 'test')}"}

    return make


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/units" in schema["paths"] and "/api/people" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_without_credentials_the_api_refuses(client, db):
    assert client.get("/api/units").status_code == 401
    assert client.get("/api/units", HTTP_AUTHORIZATION="Bearer sai").status_code == 401


def test_token_is_stored_as_a_hash(world):
    token = issue_token(world.people[Role.FOCAL], "hệ thống khác")
    record = ApiToken.objects.get()
    assert token not in (record.digest, record.prefix) and token.startswith(record.prefix)


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        (Role.FOCAL, {"31-TD"}),
        (Role.APPRAISER, {"31", "31-TD", "31-TT"}),
        (Role.ADMIN, {"31", "31-TD", "31-TT", "38", "38-DQ"}),
    ],
)
def test_units_are_scoped(client, token_of, role, codes):
    body = client.get("/api/units", **token_of(role)).json()
    assert {u["code"] for u in body["items"]} == codes


def test_another_communes_records_are_not_found(client, world, token_of):
    headers = token_of(Role.FOCAL)
    assert client.get("/api/units/38-DQ", **headers).status_code == 404
    assert client.get(f"/api/departments/{world.other_vhxh.pk}", **headers).status_code == 404
    other = world.people["other_focal"]
    assert client.get(f"/api/people/{other.pk}", **headers).status_code == 404
    people = client.get("/api/people", **headers).json()["items"]
    assert other.pk not in {p["id"] for p in people}


def test_departments_and_search_without_diacritics(client, world, token_of):
    headers = token_of(Role.LEADER)
    departments = client.get("/api/units/31-TD/departments", **headers).json()
    assert {d["short_name"] for d in departments} == {"VHXH", "VP"}
    found = client.get("/api/people", {"q": "nguyen van"}, **headers).json()["items"]
    assert found and all(p["unit_code"] == "31-TD" for p in found)


def test_revoked_token_stops_working(client, world, token_of):
    headers = token_of(Role.FOCAL)
    ApiToken.objects.update(revoked=True)
    assert client.get("/api/me", **headers).status_code == 401


def test_me_names_roles(client, token_of):
    body = client.get("/api/me", **token_of(Role.FOCAL)).json()
    assert body["username"] == "focal" and body["roles"]


def test_create_api_token_command(world, capsys, client):
    from django.core.management import call_command

    call_command("create_api_token", "focal", "phần mềm một cửa")
    token = capsys.readouterr().out.strip()
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["username"] == "focal"
