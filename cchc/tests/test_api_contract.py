"""The API against its own OpenAPI schema, with schemathesis: every operation, called with a
bearer token of each role on data of two provinces, never answers 500, always answers what the
schema says (body and status code), and never carries another unit's data.

Path identifiers are half the time those of real objects (own, of a sibling commune, of another
province), half the time what hypothesis makes up; query parameters and bodies are generated."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import ignored_auth

from cchc.tests.dataset import TODAY, Dataset, build
from core import clock
from core.api import MAX_ID
from org.access import followed_provinces, visible_units
from org.api import issue_token
from org.models import Unit

# The data are built once for the module; each case runs in its test's transaction.
pytestmark = pytest.mark.django_db

ROLES = ("admin", "appraiser", "leader", "focal", "head", "officer")

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# Which objects of the dataset a path parameter names, by the path's first word.
KEYS = {
    ("plans", "plan_id"): "plan",
    ("tasks", "task_id"): "task",
    ("departments", "department_id"): "department",
    ("people", "person_id"): "person",
    ("scoring", "framework_id"): "framework",
    ("scoring", "period_id"): "period",
    ("scoring", "assessment_id"): "assessment",
    ("inspections", "plan_id"): "inspection_plan",
    ("inspections", "round_id"): "round",
    ("inspections", "finding_id"): "finding",
    ("reports", "period_id"): "reporting_period",
    ("surveys", "campaign_id"): "campaign",
    ("initiatives", "initiative_id"): "initiative",
}
# Operations that show, by design, the other communes of the caller's province: the published
# ranking of a period.
PROVINCE_WIDE = {"/api/scoring/periods/{period_id}/ranking"}


class Contract:
    def __init__(self, data: Dataset, media):
        self.data = data
        self.media = media
        self.tokens = {role: issue_token(data.people[role], "contract") for role in ROLES}
        self.own_codes = {
            role: set(visible_units(data.people[role]).values_list("code", flat=True))
            | set(
                Unit.objects.filter(pk__in=followed_provinces(data.people[role])).values_list(
                    "code", flat=True
                )
            )
            for role in ROLES
        }
        self.province_codes = {
            role: set(
                Unit.objects.filter(
                    province_id__in=followed_provinces(data.people[role])
                ).values_list("code", flat=True)
            )
            for role in ROLES
        }
        self.calls = 0
        self.statuses: dict[int, int] = {}

    def ids(self, path: str, name: str) -> list[Any]:
        key = KEYS.get((path.split("/")[2], name))
        if key is None:
            return []
        return [obj.pk for variant in self.data.things.get(key, {}).values() for obj, _ in variant]


@pytest.fixture(scope="module")
def contract(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Contract]:
    media = tmp_path_factory.mktemp("contract-media")
    # As Django's test client does: a request must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        with clock.as_of(TODAY):
            world = Contract(build(), media)
            yield world
        print(f"\n{world.calls} API calls; status codes {dict(sorted(world.statuses.items()))}")
        transaction.set_rollback(True)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _codes(body: Any) -> Iterator[str]:
    """Every unit or province code in a JSON answer."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in ("unit_code", "province_code") and isinstance(value, str):
                yield value
            else:
                yield from _codes(value)
    elif isinstance(body, list):
        for item in body:
            yield from _codes(item)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, role, contract: Contract):
    path = case.operation.path
    for name, value in list((case.path_parameters or {}).items()):
        known = contract.ids(path, name)
        if known and isinstance(value, int) and 0 < value <= MAX_ID and value % 2 == 0:
            case.path_parameters[name] = known[value // 2 % len(known)]
    with override_settings(MEDIA_ROOT=contract.media), clock.as_of(TODAY):
        response = case.call(headers={"Authorization": f"Bearer {contract.tokens[role]}"})
    contract.calls += 1
    contract.statuses[response.status_code] = contract.statuses.get(response.status_code, 0) + 1
    assert response.status_code < 500, response.text[:500]
    # Schemathesis' own check for ignored authentication would send our token again; it is
    # done here instead: an unknown token is refused.
    case.validate_response(response, excluded_checks=[ignored_auth])
    if role == "admin" and case.method.upper() == case.operation.method.upper():
        with override_settings(MEDIA_ROOT=contract.media), clock.as_of(TODAY):
            stranger = case.call(headers={"Authorization": "Bearer cchc_unknown"})
        # a write without a known token falls back to the session, whose CSRF check refuses it
        refused = (401,) if case.method.upper() == "GET" else (401, 403)
        assert stranger.status_code in refused, stranger.text[:200]
    if response.headers.get("Content-Type", "").startswith("application/json"):
        allowed = contract.own_codes[role]
        if case.operation.path in PROVINCE_WIDE:
            allowed = allowed | contract.province_codes[role]
        foreign = set(_codes(response.json())) - allowed
        assert not foreign, f"{role} read {sorted(foreign)} through {case.formatted_path}"
