"""Every page and API operation, tried by every role on what is its own and what is not.

The URLs come from the resolver and the API operations from the OpenAPI schema, so a new page
is tried without anyone listing it; a URL name missing from `DECLARED` fails, naming itself.

For each URL the test builds its parameters from objects of three variants (cchc/tests/dataset.py):
"own" (Thành Đông, or Hải Phòng for what belongs to a province), "sibling" (Thái Tân, another
commune of the same province) and "far" (Đông Quang or Thanh Hoá, another province). Each object
has an audience, the units whose people may read it. Every role (system administrator, province
appraiser, commune leadership, focal officer, department head, officer, and a focal officer of
another province) sends a GET and a POST for each:

- an object outside the role's reach (audience and the role's units do not meet) is 403 or 404,
  by GET and by POST, and the request changes no row;
- no request answers 500;
- no page shown with 200 carries the marker of an object outside the role's reach;
- no request changes a row of a unit outside the role's reach (rows are compared before and
  after each request, which is then rolled back, so every request sees the same data).

How to declare a new URL: add its name to `DECLARED` with what it expects and how to build its
parameters, e.g. `"request_detail": unit(pk("request"))` (the pk of the "request" objects of the
dataset, one per variant), `"request_list": LOGGED_IN`, `"unit_import": ADMIN`. A URL that takes
an object of a new kind also needs that object in cchc/tests/dataset.py (`data.add(key, variant,
obj, audience)`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.api import api
from cchc.tests.dataset import TODAY, VARIANTS, Dataset, build
from core import clock

# --- who is tried --------------------------------------------------------------------------

ALL = frozenset({"HP", "TD", "TT", "TH", "DQ"})
# the units each role reaches: its own, and for the appraiser its province's communes
ROLES: dict[str, frozenset[str]] = {
    "admin": ALL,
    "appraiser": frozenset({"HP", "TD", "TT"}),
    "leader": frozenset({"TD"}),
    "focal": frozenset({"TD"}),
    "head": frozenset({"TD"}),
    "officer": frozenset({"TD"}),
    "other": frozenset({"DQ"}),
    "ministry": ALL,
}
# the units whose rows each role may change: those it reaches, but the ministry (Bộ Nội vụ)
# reads every unit and changes none
WRITES: dict[str, frozenset[str]] = {**ROLES, "ministry": frozenset()}
COMMUNE_ROLES = ("leader", "focal", "head", "officer", "other")
DENIED = (403, 404)


# --- what each URL expects -------------------------------------------------------------------

PUBLIC = "public"  # no login needed
LOGGED_IN = "logged in"  # any logged-in person; no object in the URL
UNIT = "unit"  # an object in the URL: only those it belongs to reach it
ADMIN = "admin"  # the system administrator only
STAFF = "staff"  # the Django admin site: staff only

Params = Callable[[Dataset], Iterator[tuple[str, dict, frozenset[str]]]]


@dataclass(frozen=True)
class Expect:
    kind: str
    params: Params | None = None
    # roles refused (403/404) even on what they reach: pages of the province, of the focal officer…
    refused: tuple[str, ...] = ()
    # what a POST sends (a dict, or a function of the dataset and the variant)
    post: dict | Callable[[Dataset, str], dict] | None = None
    json: bool = False  # the POST body is JSON (API)
    # what is tried: a page that does the same for any method is tried by GET only
    methods: tuple[str, ...] = ("GET", "POST")


def pk(key: str, arg: str = "pk", **extra) -> Params:
    """The pk of each object filed under `key`, one set of parameters per object."""

    def params(data: Dataset):
        for variant in VARIANTS:
            for obj, audience in data.things.get(key, {}).get(variant, []):
                yield variant, {arg: obj.pk, **extra}, audience

    return params


def code(key: str = "unit", arg: str = "code") -> Params:
    def params(data: Dataset):
        for variant in VARIANTS:
            for unit, audience in data.things[key].get(variant, []):
                yield variant, {arg: unit.code}, audience

    return params


def token(kind: str) -> Params:
    def params(data: Dataset):
        for variant in VARIANTS:
            if kind in ("token", "kiosk_token"):
                campaign = data.get("campaign", variant)
                yield variant, {"token": getattr(campaign, kind)}, ALL
            else:
                yield variant, {"token": data.tokens[f"{kind}-{variant}"]}, ALL

    return params


def history(data: Dataset):
    """The history of one object of every kind recorded, as its model names it in the URL."""
    seen = set()
    for variants in data.things.values():
        for variant in VARIANTS:
            for obj, audience in variants.get(variant, [])[:1]:
                if not auditlog.contains(type(obj)) or (type(obj), variant) in seen:
                    continue
                seen.add((type(obj), variant))
                yield variant, {"model_name": obj._meta.model_name, "pk": obj.pk}, audience


def findings_action(data: Dataset):
    for action in ("verify", "return", "close", "reopen"):
        yield from pk("finding", action=action)(data)


# a file to download does the same for any method: tried by GET
DOWNLOAD = {"methods": ("GET",)}


def unit(params: Params, **options) -> Expect:
    return Expect(UNIT, params, **options)


def province(**options) -> Expect:
    """A page of the province's (or the administrator's): a commune's people are refused."""
    return Expect(LOGGED_IN, refused=COMMUNE_ROLES, **options)


# One line per URL name. An API operation is declared under its URL name ("api:get_plan").
DECLARED: dict[str, Expect] = {
    # Django's own
    "login": Expect(PUBLIC),
    "favicon": Expect(PUBLIC),
    "logout": Expect(PUBLIC),
    "password_change": Expect(LOGGED_IN),
    "password_change_done": Expect(LOGGED_IN),
    "password_reset": Expect(PUBLIC),
    "password_reset_done": Expect(PUBLIC),
    "password_reset_confirm": Expect(
        PUBLIC, lambda data: iter([("own", {"uidb64": "MQ", "token": "x-y"}, ALL)])
    ),
    "password_reset_complete": Expect(PUBLIC),
    "set_language": Expect(PUBLIC, post={"language": "en", "next": "/"}),
    "healthz": Expect(PUBLIC),
    "admin:*": Expect(STAFF),
    # the API (operations from its OpenAPI schema)
    "api:openapi-json": Expect(PUBLIC),
    "api:openapi-view": Expect(PUBLIC),
    "api:api-root": Expect(PUBLIC),
    "api:me": Expect(LOGGED_IN),
    "api:list_units": Expect(LOGGED_IN),
    "api:get_unit": unit(code()),
    "api:unit_departments": unit(code()),
    "api:get_department": unit(pk("department", "department_id")),
    "api:list_people": Expect(LOGGED_IN),
    "api:get_person": unit(pk("person", "person_id")),
    "api:list_plans": Expect(LOGGED_IN),
    "api:get_plan": unit(pk("plan", "plan_id")),
    "api:plan_tasks": unit(pk("plan", "plan_id")),
    "api:get_task": unit(pk("task", "task_id")),
    "api:report_progress": unit(
        pk("task", "task_id"), post={"note": "Đã làm xong", "percent": 90}, json=True
    ),
    "api:plan_targets": unit(pk("plan", "plan_id")),
    "api:parse": Expect(LOGGED_IN),
    "api:list_frameworks": Expect(LOGGED_IN),
    "api:get_framework": unit(pk("framework", "framework_id")),
    "api:framework_criteria": unit(pk("framework", "framework_id")),
    "api:list_periods": Expect(LOGGED_IN),
    "api:period_ranking": unit(pk("period", "period_id")),
    "api:list_assessments": Expect(LOGGED_IN),
    "api:get_assessment": unit(pk("assessment", "assessment_id")),
    "api:assessment_scores": unit(pk("assessment", "assessment_id")),
    "api:assessment_results": unit(pk("assessment", "assessment_id")),
    "api:list_inspection_plans": Expect(LOGGED_IN),
    "api:get_inspection_plan": unit(pk("inspection_plan", "plan_id")),
    "api:inspection_rounds": unit(pk("inspection_plan", "plan_id")),
    "api:get_round": unit(pk("round", "round_id")),
    "api:list_findings": Expect(LOGGED_IN),
    "api:get_finding": unit(pk("finding", "finding_id")),
    "api:list_reporting_periods": Expect(LOGGED_IN),
    "api:get_reporting_period": unit(pk("reporting_period", "period_id")),
    "api:reporting_period_docx": unit(pk("reporting_period", "period_id"), **DOWNLOAD),
    "api:reporting_period_annex": unit(pk("reporting_period", "period_id"), **DOWNLOAD),
    "api:list_campaigns": Expect(LOGGED_IN),
    "api:get_campaign": unit(pk("campaign", "campaign_id")),
    "api:campaign_results": unit(pk("campaign", "campaign_id")),
    "api:list_initiatives": Expect(LOGGED_IN),
    "api:get_initiative": unit(pk("initiative", "initiative_id")),
    # org
    "home": Expect(LOGGED_IN),
    "start": Expect(LOGGED_IN),
    "switch_unit": Expect(LOGGED_IN),
    "unit_list": Expect(LOGGED_IN),
    "unit_import": Expect(ADMIN),
    "unit_import_template": Expect(LOGGED_IN, **DOWNLOAD),  # a blank form
    "unit_detail": unit(code()),
    "department_create": unit(code()),
    "department_import": unit(code()),
    "person_create": unit(code()),
    "department_list": Expect(LOGGED_IN),
    "department_import_template": Expect(LOGGED_IN, **DOWNLOAD),
    "department_detail": unit(pk("department")),
    "department_edit": unit(pk("department")),
    "person_list": Expect(LOGGED_IN),
    "person_detail": unit(pk("person")),
    "person_reset_two_factor": unit(pk("person")),
    # one's own sign-in: nothing of anyone else's in the URL
    "account_security": Expect(LOGGED_IN),
    "two_factor_verify": Expect(LOGGED_IN),
    "two_factor_enrol": Expect(LOGGED_IN),
    "two_factor_codes": Expect(LOGGED_IN),
    "two_factor_codes_txt": Expect(LOGGED_IN, **DOWNLOAD),
    "two_factor_new_codes": Expect(LOGGED_IN),
    "two_factor_remove": Expect(LOGGED_IN),
    "history": unit(history, methods=("GET",)),
    # plans
    "plan_list": Expect(LOGGED_IN),
    "plan_create": Expect(LOGGED_IN),
    "my_tasks": Expect(LOGGED_IN),
    "board": Expect(LOGGED_IN),
    "calendar": Expect(LOGGED_IN),
    "dashboard": Expect(LOGGED_IN),
    "ical_feed": Expect(PUBLIC, token("ical-person")),
    "calendar_feed_list": Expect(LOGGED_IN),
    "calendar_feed_revoke": Expect(LOGGED_IN),
    "plan_detail": unit(pk("plan")),
    "plan_edit": unit(pk("plan")),
    "plan_move": unit(pk("plan"), post={"status": "approved"}),
    "plan_roll_over": unit(pk("plan")),
    "plan_export": unit(pk("plan"), **DOWNLOAD),
    "plan_source": unit(pk("plan"), **DOWNLOAD),
    "plan_import": unit(pk("plan")),
    "task_create": unit(pk("plan")),
    "deadline_preview": unit(pk("plan")),
    "target_create": unit(pk("plan")),
    "target_measure_any": unit(pk("plan")),
    "task_detail": unit(pk("task")),
    "task_edit": unit(pk("task")),
    "task_progress": unit(pk("task"), post={"note": "Đã làm", "percent": "60"}),
    "task_closing": unit(pk("task")),
    "task_comment": unit(pk("task"), post={"text": "Ý kiến"}),
    "task_part_progress": unit(pk("task_part"), post={"note": "Đã làm", "percent": "60"}),
    "milestone_trigger": unit(pk("milestone"), post={"due": "2026-11-30"}),
    "evidence_download": unit(pk("evidence"), **DOWNLOAD),
    "target_measure": unit(
        pk("target"), post={"value": "80", "period_label": "Quý III", "source": "Báo cáo"}
    ),
    "department_tasks": unit(pk("department")),
    "import_upload": Expect(LOGGED_IN),
    "import_batch": unit(pk("import_batch")),
    "import_review": unit(pk("document_import")),
    # notify
    "notify_inbox": Expect(LOGGED_IN),
    "notify_mark_read": Expect(LOGGED_IN),
    "notify_preferences": Expect(LOGGED_IN),
    "notify_work": Expect(LOGGED_IN),
    # reports
    "report_home": Expect(LOGGED_IN),
    "report_period": unit(pk("reporting_period")),
    "report_edit": unit(pk("reporting_period")),
    "report_docx": unit(pk("reporting_period"), **DOWNLOAD),
    "report_pdf": unit(pk("reporting_period"), **DOWNLOAD),
    "report_annex": unit(pk("reporting_period"), **DOWNLOAD),
    "report_contribution": unit(pk("contribution")),
    "report_plan_document": unit(pk("plan"), **DOWNLOAD),
    "report_plan_pdf": unit(pk("plan"), **DOWNLOAD),
    # scoring
    "scoring_home": Expect(LOGGED_IN),
    "scoring_framework": unit(pk("framework")),
    "scoring_framework_export": unit(pk("framework"), **DOWNLOAD),
    "scoring_framework_import": unit(pk("framework")),
    "scoring_framework_copy": unit(pk("framework")),
    "scoring_assignments": unit(pk("framework")),
    "scoring_open": unit(pk("period")),
    "scoring_ranking": unit(pk("period")),
    "scoring_ranking_export": unit(pk("period"), **DOWNLOAD),
    "scoring_assessment": unit(pk("assessment")),
    "scoring_action": unit(pk("assessment"), post={"action": "submit"}),
    "scoring_results": unit(pk("assessment")),
    "scoring_results_export": unit(pk("assessment"), **DOWNLOAD),
    "scoring_score": unit(pk("score")),
    "scoring_evidence": unit(pk("score_evidence"), **DOWNLOAD),
    "scoring_grid": unit(pk("assessment")),
    "scoring_score_row": unit(pk("score")),
    "scoring_framework_new": province(),
    "scoring_framework_edit": unit(pk("framework")),
    "scoring_set_add": unit(pk("framework")),
    "scoring_criterion_new": unit(pk("criteria_set")),
    "scoring_criterion_edit": unit(pk("criterion")),
    "scoring_criterion_delete": unit(pk("criterion")),
    "scoring_criterion_rule": unit(pk("criterion")),
    "scoring_period_open": unit(pk("framework")),
    "scoring_period_communes": unit(pk("period")),
    "scoring_period_close": unit(pk("period")),
    "scoring_period_refresh": unit(pk("period")),
    "scoring_assessment_list": Expect(LOGGED_IN),
    # inspections
    "inspection_home": Expect(LOGGED_IN),
    "inspection_plan_create": Expect(LOGGED_IN),
    "inspection_plan_import": Expect(LOGGED_IN),
    "inspection_plan_detail": unit(pk("inspection_plan")),
    "inspection_plan_edit": unit(pk("inspection_plan")),
    "inspection_round_create": unit(pk("inspection_plan")),
    "inspection_plan_target": unit(pk("inspection_plan")),
    "inspection_summary": unit(pk("inspection_plan")),
    "inspection_round_detail": unit(pk("round")),
    "inspection_round_update": unit(pk("round")),
    "inspection_round_delete": unit(pk("round")),
    "inspection_team_add": unit(pk("round")),
    "inspection_subject_add": unit(pk("round")),
    "finding_create": unit(pk("round")),
    "inspection_conclusion": unit(pk("round"), **DOWNLOAD),
    "inspection_conclusion_pdf": unit(pk("round"), **DOWNLOAD),
    "inspection_subject_detail": unit(pk("subject")),
    "inspection_attachment": unit(pk("attachment"), **DOWNLOAD),
    "finding_list": Expect(LOGGED_IN),
    "finding_detail": unit(pk("finding")),
    "finding_edit": unit(pk("finding")),
    "finding_respond": unit(pk("finding"), post={"text": "Đã khắc phục"}),
    "finding_action": unit(findings_action, post={"text": "Đã xem"}),
    "inspection_department": unit(pk("department")),
    # oversight
    "oversight_board": province(),
    "oversight_export": province(**DOWNLOAD),
    "oversight_report_docx": province(**DOWNLOAD),
    "oversight_report_pdf": province(**DOWNLOAD),
    "oversight_report_xlsx": province(**DOWNLOAD),
    # the provinces ranked: the ministry and the system administrator only
    "ministry_ranking": Expect(LOGGED_IN, refused=("appraiser", *COMMUNE_ROLES)),
    # the province's requests
    "request_list": Expect(LOGGED_IN),
    "request_create": Expect(LOGGED_IN),
    "request_detail": unit(pk("request")),
    "request_move_due": unit(pk("request"), post={"due": "2026-10-30", "reason": "Gia hạn"}),
    "request_withdraw": unit(pk("request"), post={"reason": "Không cần nữa"}),
    "request_answer": unit(pk("recipient"), post={"answer": "Đã gửi"}),
    "request_return": unit(pk("recipient"), post={"note": "Bổ sung"}),
    "request_file": unit(pk("request_file"), **DOWNLOAD),
    # initiatives
    "initiative_list": Expect(LOGGED_IN),
    "initiative_create": Expect(LOGGED_IN),
    "initiative_goal": Expect(LOGGED_IN),
    "initiative_detail": unit(pk("initiative")),
    "initiative_edit": unit(pk("initiative")),
    "initiative_document": unit(pk("initiative_document"), **DOWNLOAD),
    # surveys
    "survey_home": Expect(LOGGED_IN),
    "survey_questionnaire_create": Expect(LOGGED_IN),
    "survey_questionnaire_default": Expect(LOGGED_IN),
    "survey_questionnaire": unit(pk("questionnaire")),
    "survey_campaign_create": Expect(LOGGED_IN),
    "survey_campaign": unit(pk("campaign")),
    "survey_campaign_edit": unit(pk("campaign")),
    "survey_campaign_close": unit(pk("campaign")),
    "survey_responses": unit(pk("campaign")),
    "survey_texts": unit(pk("campaign")),
    "survey_export": unit(pk("campaign"), **DOWNLOAD),
    "survey_poster": unit(pk("campaign"), **DOWNLOAD),
    "survey_paper": unit(pk("campaign")),
    "survey_kiosk": Expect(PUBLIC, token("kiosk_token")),
    "survey_kiosk_thanks": Expect(PUBLIC, token("kiosk_token")),
    "survey_answer": Expect(PUBLIC, token("token")),
    "survey_thanks": Expect(PUBLIC, token("token")),
}


# --- the URLs, as the resolver has them ------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "plan_detail", "api:get_plan", or the route itself when unnamed
    route: str
    namespace: str


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = namespace
            if p.namespace:
                inner = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
            yield Route(name, route, namespace)


ROUTES = sorted({r.name: r for r in _walk(get_resolver().url_patterns)}.values(), key=str)


def declaration(route: Route) -> Expect | None:
    return DECLARED.get(route.name) or (
        DECLARED.get(f"{route.namespace}:*") if route.namespace else None
    )


# --- the data, once for the module -----------------------------------------------------------


SKIPPED_APPS = {"sessions", "contenttypes", "axes"}


@functools.cache
def _models_by_table() -> dict[str, type]:
    return {
        m._meta.db_table: m
        for m in apps.get_models(include_auto_created=True)  # with many-to-many tables
        if m._meta.app_label not in SKIPPED_APPS and m._meta.label != "auth.Permission"
    }


def _row_hash(values) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


APPEND_ONLY = {"auditlog_logentry"}  # rows are only ever added: read the new ones


def snapshot(tables=None, baseline=None) -> dict[str, dict]:
    """The rows of every table that holds work (or of `tables`), as a hash per primary key."""
    rows = {}
    for table, model in _models_by_table().items():
        if tables is not None and table not in tables:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        query = model._base_manager.order_by("pk")
        known = {}
        if baseline is not None and table in APPEND_ONLY and baseline.get(table):
            last = max(baseline[table])
            query = query.filter(pk__gt=last)
            known = baseline[table]
        rows[table] = {**known} | {
            values[0]: _row_hash(values) for values in query.values_list("pk", *fields)
        }
    return rows


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Writes:
    """The tables written by the statements run while it listens."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            self.tables.add(match[1])
        return execute(sql, params, many, context)


@dataclass
class World:
    data: Dataset
    clients: dict[str, tuple[Client, SimpleCookie]]
    baseline: dict[str, dict]
    media: object
    report: dict = field(default_factory=lambda: {"requests": 0, "cases": set()})


@pytest.fixture(scope="module")
def attack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("attack-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        data = build()
        clients = {}
        for role in ROLES:
            client = Client()
            client.force_login(data.people[role])
            clients[role] = (client, SimpleCookie(client.cookies.output(header="", sep="\n")))
        clients["anonymous"] = (Client(), SimpleCookie())
        world = World(data, clients, snapshot(), media)
        quiet = logging.getLogger("django.request")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # thousands of expected 403 and 404
        with clock.as_of(TODAY):
            yield world
        quiet.setLevel(level)
        report = world.report
        print(
            f"\n{report['requests']} requests, {len(report['cases'])} role × URL × variant cases;"
            f" {report.get('t_request', 0):.0f}s in requests, {report.get('t_check', 0):.0f}s "
            "comparing rows"
        )
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _attack_media(request, settings):
    if "attack" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("attack").media


# --- one request, rolled back ----------------------------------------------------------------


@dataclass
class Outcome:
    status: int
    body: str
    error: str = ""
    # rows changed: (model label, pk, unit key of the row or None, "created"/"changed"/"deleted")
    changes: list[tuple[str, object, str | None, str]] = field(default_factory=list)
    # what the rows created or changed point to: (model label, pk, field, unit key of the target)
    links: list[tuple[str, object, str, str | None]] = field(default_factory=list)


def _links(world: World, model, pk) -> list[tuple[str, object, str, str | None]]:
    """The units of the rows a row points to."""
    obj = model._base_manager.filter(pk=pk).first()
    found = []
    for f in model._meta.concrete_fields:
        target = f.related_model if f.is_relation else None
        if target is None or not hasattr(target, "scope_unit_id"):
            continue
        value = getattr(obj, f.attname, None) if obj is not None else None
        if value is not None:
            unit = _unit_of(world, target, value)
            found.append((model._meta.label, pk, f.name, unit))
    return found


def _unit_of(world: World, model, pk) -> str | None:
    obj = model._base_manager.filter(pk=pk).first()
    if obj is None or not hasattr(obj, "scope_unit_id"):
        return None
    try:
        return world.data.unit_key(obj.scope_unit_id())
    except Exception:  # a row whose links are gone with the request
        return None


def attempt(world: World, who: str, method: str, url: str, payload=None, as_json=False) -> Outcome:
    client, cookies = world.clients[who]
    client.cookies = SimpleCookie(cookies.output(header="", sep="\n"))
    cache.clear()
    world.report["requests"] += 1
    writes = Writes()
    started = time.perf_counter()
    with transaction.atomic():
        error = ""
        try:
            # its own savepoint: a database error inside leaves the transaction usable
            with connection.execute_wrapper(writes), transaction.atomic():
                if method == "GET":
                    response = client.get(url)
                elif as_json:
                    response = client.post(url, json.dumps(payload or {}), "application/json")
                else:
                    response = client.post(url, payload or {})
            status = response.status_code
            body = ""
            kind = response.get("Content-Type", "")
            if kind.startswith(("text/", "application/json")) and not response.streaming:
                body = response.content.decode(errors="replace")
        except Exception as exc:  # the test client re-raises what the view raised
            status, body, error = 500, "", f"{type(exc).__name__}: {exc}"
        world.report["t_request"] = world.report.get("t_request", 0) + time.perf_counter() - started
        started = time.perf_counter()
        changes: list = []
        links: list = []
        deleted: list = []
        for table, rows in snapshot(writes.tables, world.baseline).items():
            old = world.baseline.get(table, {})
            if rows == old:
                continue
            model = _models_by_table()[table]
            label = model._meta.label
            for row_pk, digest in rows.items():
                if row_pk in old and old[row_pk] == digest:
                    continue
                how = "changed" if row_pk in old else "created"
                changes.append((label, row_pk, _unit_of(world, model, row_pk), how))
                links += _links(world, model, row_pk)
            deleted += [(model, row_pk) for row_pk in old if row_pk not in rows]
        transaction.set_rollback(True)
    world.report["t_check"] = world.report.get("t_check", 0) + time.perf_counter() - started
    for model, row_pk in deleted:  # back after the rollback: whose they were
        changes.append((model._meta.label, row_pk, _unit_of(world, model, row_pk), "deleted"))
    return Outcome(status, body, error, changes, links)


# --- the checks ------------------------------------------------------------------------------

GENERIC_POST = {
    "note": "Nội dung",
    "text": "Nội dung",
    "title": "Tiêu đề",
    "name": "Tên",
    "content": "Nội dung",
    "reason": "Lý do",
    "percent": "50",
    "value": "1",
    "confirmed": "1",
}
# rows a request may write for anyone: the session, the login's time, the bell
BOOKKEEPING = {"org.User"}


def _foreign_markers(world: World, who: str) -> list[str]:
    reach = ROLES[who]
    return [m for m, audience in world.data.markers.items() if not audience & reach]


def _forbidden_units(who: str) -> frozenset[str]:
    return ALL - WRITES[who]


PROVINCE_OF = {"HP": "HP", "TD": "HP", "TT": "HP", "TH": "TH", "DQ": "TH"}


def _foreign_units(who: str) -> frozenset[str]:
    """Units whose rows the role's rows must not point to: all but its own and its province."""
    reach = ROLES[who]
    return ALL - reach - {PROVINCE_OF[u] for u in reach}


def _check(world, failures, label, who, outcome: Outcome, *, foreign: bool, refused: bool):
    if outcome.status >= 500:
        failures.append(f"{label} as {who}: {outcome.status} {outcome.error}")
        return
    if foreign or refused:
        if outcome.status not in DENIED and outcome.status != 405:
            failures.append(f"{label} as {who}: {outcome.status}, expected 403/404")
        if outcome.changes:
            failures.append(f"{label} as {who}: refused request changed {outcome.changes[:5]}")
        return
    if outcome.status == 200 and outcome.body:
        body = outcome.body.lower()
        shown = [m for m in _foreign_markers(world, who) if m in body]
        if shown:
            failures.append(f"{label} as {who}: shows {shown}")
    forbidden = _forbidden_units(who)
    touched = [c for c in outcome.changes if c[2] in forbidden and c[0] not in BOOKKEEPING]
    if touched:
        failures.append(f"{label} as {who}: changed rows of units it does not reach {touched[:5]}")
    linked = [link for link in outcome.links if link[3] in _foreign_units(who)]
    if linked:
        failures.append(f"{label} as {who}: linked its rows to others' {linked[:5]}")


def _post_payload(expect: Expect, data: Dataset, variant: str) -> dict:
    if expect.post is None:
        return dict(GENERIC_POST)
    if callable(expect.post):
        return expect.post(data, variant)
    return dict(expect.post)


# fields of forms that choose an object, and the kind of object each chooses
CHOSEN = {
    "department": "department",
    "lead_department": "department",
    "responsible_department": "department",
    "coordinating_departments": "department",
    "monitoring_department": "department",
    "assignees": "person",
    "person": "person",
    "responsible_person": "person",
    "people": "person",
    "user": "person",
    "signer": "person",
    "milestone": "milestone",
    "task": "task",
    "target": "target",
    "plan": "plan",
    "cchc_plan": "plan",
    "round": "round",
}


def _with_others(payload: dict, data: Dataset, who: str, as_json: bool) -> dict:
    """The payload choosing, where a form lets one choose, objects of a unit out of reach."""
    if as_json or who in ("admin", "ministry"):
        return payload
    variant = next(
        v
        for v in ("sibling", "far", "own")
        if not any(aud & ROLES[who] for _obj, aud in data.things["plan"][v])
    )
    chosen = {name: data.get(key, variant).pk for name, key in CHOSEN.items()}
    return chosen | payload


def _try_unit(world: World, route: Route, expect: Expect, failures: list[str]) -> None:
    data = world.data
    for variant, kwargs, audience in expect.params(data):
        url = reverse(route.name, kwargs=kwargs)
        for method in expect.methods:
            payload = _post_payload(expect, data, variant) if method == "POST" else None
            if variant == "own":
                anonymous = attempt(world, "anonymous", method, url, payload, expect.json)
                if anonymous.status not in (302, 401, 403, 404, 405) or anonymous.changes:
                    failures.append(
                        f"{method} {url} anonymous: {anonymous.status} {anonymous.error}"
                    )
            for who, reach in ROLES.items():
                if who == "admin" and variant != "own":
                    continue  # reaches everything: one variant shows the page works for it
                foreign = not (audience & reach)
                sent = payload
                if method == "POST" and not foreign:
                    sent = _with_others(payload, data, who, expect.json)
                outcome = attempt(world, who, method, url, sent, expect.json)
                world.report["cases"].add((route.name, who, variant, method))
                _check(
                    world,
                    failures,
                    f"{method} {url} ({variant})",
                    who,
                    outcome,
                    foreign=foreign,
                    refused=who in expect.refused,
                )


QUERY_KEYS = ("unit", "commune", "department", "plan", "period", "round", "assessment")


def _foreign_query(data: Dataset, who: str) -> str | None:
    """A query string naming objects the role does not reach, as list pages' filters take them:
    of the nearest unit out of its reach."""
    for variant in ("sibling", "far", "own"):
        unit = next(
            (u for u, aud in data.things["unit"].get(variant, []) if not aud & ROLES[who]), None
        )
        if unit is None:
            continue
        values = {
            "unit": unit.code,
            "commune": unit.pk,
            "department": data.get("department", variant).pk,
            "plan": data.get("plan", variant).pk,
            "period": data.get("reporting_period", variant).pk,
            "round": data.get("round", variant).pk,
            "assessment": data.get("assessment", variant).pk,
        }
        return "&".join(f"{k}={values[k]}" for k in QUERY_KEYS)
    return None


def _try_plain(world: World, route: Route, expect: Expect, failures: list[str]) -> None:
    """A URL without an object: every role, with and without filters naming others' objects."""
    if expect.params is not None:
        for variant, kwargs, _audience in expect.params(world.data):
            _try_public(world, reverse(route.name, kwargs=kwargs), failures, variant)
        return
    url = reverse(route.name)
    for method in expect.methods:
        anonymous = attempt(world, "anonymous", method, url, GENERIC_POST)
        if expect.kind == LOGGED_IN and (
            anonymous.status not in (302, 401, 403, 405) or anonymous.changes
        ):
            failures.append(f"{method} {url} anonymous: {anonymous.status} {anonymous.error}")
        if expect.kind == PUBLIC and anonymous.status >= 500:
            failures.append(f"{method} {url} anonymous: {anonymous.status} {anonymous.error}")
        for who in ROLES:
            refused = who in expect.refused
            urls = [url]
            query = _foreign_query(world.data, who) if method == "GET" else None
            if query:
                urls.append(f"{url}?{query}")
            for target in urls:
                payload = None
                if method == "POST":
                    payload = _post_payload(expect, world.data, "own")
                    payload = _with_others(payload, world.data, who, expect.json)
                outcome = attempt(world, who, method, target, payload, expect.json)
                world.report["cases"].add((route.name, who, "-", method))
                _check(
                    world,
                    failures,
                    f"{method} {target}",
                    who,
                    outcome,
                    foreign=False,
                    refused=refused and method == "GET",
                )


def _try_public(world: World, url: str, failures: list[str], variant: str) -> None:
    for who in ("anonymous", *ROLES):
        for method in ("GET", "POST"):
            outcome = attempt(world, who, method, url, GENERIC_POST)
            if outcome.status >= 500:
                failures.append(f"{method} {url} as {who}: {outcome.status} {outcome.error}")


ADMIN_LOGIN = "/admin/login/"


def _admin_url(route: Route, data: Dataset) -> str:
    """The admin URL with a real object where it takes one."""
    path = route.route
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", path)
    if match:
        model = apps.get_model(match[1], match[2])
        first = model._base_manager.order_by("pk").first()
        path = path.replace("<path:object_id>", str(first.pk if first else 1))
    path = path.replace("^(?P<app_label>", "").replace(")/$", "/")
    if "|" in path:  # the app list: its first app
        _head, apps_part = path.split("admin/", 1)
        path = "admin/" + apps_part.split("|", 1)[0] + "/"
    path = path.replace("(?P<url>.*)$", "nowhere/")
    return "/" + path


# the admin site lets in staff only, whatever the role: tried with the most and the least a
# person of the system may do, and the administrator (GET only: its forms are Django's)
STAFF_TRIED = ("anonymous", "appraiser", "officer", "admin")


def _try_staff(world: World, route: Route, failures: list[str]) -> None:
    url = _admin_url(route, world.data)
    for who in STAFF_TRIED:
        for method in ("GET",) if who == "admin" else ("GET", "POST"):
            outcome = attempt(world, who, method, url, GENERIC_POST)
            world.report["cases"].add((route.name, who, "-", method))
            if outcome.status >= 500:
                failures.append(f"{method} {url} as {who}: {outcome.status} {outcome.error}")
                continue
            if who == "admin" or route.name in ("admin:login", "admin:logout"):
                continue
            if outcome.changes:
                failures.append(f"{method} {url} as {who}: changed {outcome.changes[:5]}")
            if outcome.status == 200:
                failures.append(f"{method} {url} as {who}: 200 on the admin site")


def _try_admin(world: World, route: Route, expect: Expect, failures: list[str]) -> None:
    url = reverse(route.name)
    for who in ("anonymous", *ROLES):
        for method in ("GET", "POST"):
            outcome = attempt(world, who, method, url, GENERIC_POST)
            world.report["cases"].add((route.name, who, "-", method))
            if who == "admin":
                if outcome.status >= 500:
                    failures.append(f"{method} {url} as admin: {outcome.status} {outcome.error}")
                continue
            allowed = (302, 401, 403, 404, 405) if who == "anonymous" else (403, 404, 405)
            if outcome.status not in allowed or outcome.changes:
                failures.append(
                    f"{method} {url} as {who}: {outcome.status} {outcome.error} "
                    f"{outcome.changes[:3]}"
                )


# --- the tests -------------------------------------------------------------------------------


def test_every_url_is_declared():
    missing = [r.name for r in ROUTES if declaration(r) is None]
    assert not missing, (
        "URL names without a declared expectation in cchc/tests/test_permissions.py DECLARED: "
        + ", ".join(missing)
    )


def test_no_declaration_is_left_over():
    names = {r.name for r in ROUTES} | {f"{r.namespace}:*" for r in ROUTES if r.namespace}
    stale = sorted(set(DECLARED) - names)
    assert not stale, f"declared but no such URL name: {', '.join(stale)}"


def _api_paths() -> dict[str, str]:
    """URL name of each API route, by its OpenAPI path ("/api/plans/{plan_id}")."""
    found = {}
    for r in ROUTES:
        if r.namespace == "api":
            found["/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.route)] = r.name
    return found


def test_every_api_operation_is_declared():
    schema = api.get_openapi_schema()
    paths = _api_paths()
    operations = [(method, path) for path, ops in schema["paths"].items() for method in ops]
    assert len(operations) >= 14
    undeclared = [
        f"{method.upper()} {path}" for method, path in operations if paths.get(path) not in DECLARED
    ]
    assert not undeclared, f"API operations without a declaration: {undeclared}"
    posts = {paths[p] for m, p in operations if m == "post"}
    for name in posts:
        assert DECLARED[name].post is not None, f"{name} takes a POST body: declare it"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_url_keeps_to_its_audience(route: Route, attack: World, db):
    expect = declaration(route)
    if expect is None:
        pytest.fail(
            f"URL name {route.name!r} ({route.route}) has no declared expectation: add it to "
            "DECLARED in cchc/tests/test_permissions.py"
        )
    failures: list[str] = []
    if expect.kind == STAFF:
        _try_staff(attack, route, failures)
    elif expect.kind == ADMIN:
        _try_admin(attack, route, expect, failures)
    elif expect.kind == UNIT:
        _try_unit(attack, route, expect, failures)
    else:
        _try_plain(attack, route, expect, failures)
    assert not failures, "\n".join(failures)
