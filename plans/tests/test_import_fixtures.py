"""Every fixture plan through the review page, confirmed with no change at all, is saved as
`manage.py import_plan --json` reads it: areas, tasks (content, lead, coordinators, deadline
and milestones), targets (text, comparator, value, unit)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.text import strip_markup
from org.models import Department, Role
from org.services import DepartmentMatcher
from plans.imports.models import DocumentImport, ImportStatus
from plans.models import Plan
from plans.services import is_all_departments_lead

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PLAN_FILES = sorted(
    p
    # the hard ones: tables broken across pages, two-row headers, headings without tabs...
    for folder in ("seeds", "imports", "hard")
    for p in (FIXTURES / folder).iterdir()
    if p.suffix in {".txt", ".docx", ".pdf"} and not p.stem.endswith("_scan")
)
MILESTONE_KINDS = {"date": "due"}


class FormFields(HTMLParser):
    """The fields a browser would send for the page's form, as drawn (nothing changed)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append(
                (name, a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select, self._first, self._chosen = name, None, False
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a and not self._chosen:
                self._chosen = True
                self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._chosen:
                self.fields.append((self._select, self._first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline right after <textarea>.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_of(html: str) -> dict[str, str]:
    start = html.index('<form method="post" class="card extracted">')
    parser = FormFields()
    parser.feed(html[start : html.index("</form>", start)])
    return dict(parser.fields)


def read_by_command(path: Path) -> dict:
    out = io.StringIO()
    call_command("import_plan", str(path), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def assert_saved_as_read(plan: Plan, read: dict, default_lead: Department) -> None:
    assert plan.title == strip_markup(read["document"]["title"]).strip()
    assert (plan.period_start.isoformat(), plan.period_end.isoformat()) == (
        read["period"]["start"],
        read["period"]["end"],
    )
    areas = list(plan.areas.order_by("order"))
    if read["areas"]:
        assert [(a.code, a.name) for a in areas] == [(a["code"], a["name"]) for a in read["areas"]]
    else:
        assert len(areas) == 7  # the usual ones
    matcher = DepartmentMatcher(plan.unit)
    tasks = list(
        plan.tasks.order_by("order")
        .select_related("area", "lead_department")
        .prefetch_related("milestones", "coordinating_departments")
    )
    assert len(tasks) == len(read["tasks"])
    for task, item in zip(tasks, read["tasks"], strict=True):
        where = f"{plan.source_name} task {item['area']}.{item['number']}"
        assert task.area.code == (item["area"] or areas[0].code), where
        assert task.number == item["number"], where
        assert task.content == strip_markup(item["content"]).strip(), where
        assert task.deadline_text == strip_markup(item["deadline_text"]).strip(), where
        assert task.expected_product == strip_markup(item["product"]).strip(), where
        written = strip_markup(item["lead"]).strip()
        found = matcher.match(written) if written else None
        if is_all_departments_lead(written):  # every department, each its own part
            assert task.all_departments and task.lead_department == default_lead, where
        elif found is not None:
            assert task.lead_department == found, where
        else:  # a body that is no department: the area's default lead, the words kept
            assert task.lead_department == default_lead, where
            if written:
                assert task.other_coordinators.startswith(written), where
        for name in item["coordinators"]:
            department = matcher.match(name)
            if department is not None and department != task.lead_department:
                assert department in task.coordinating_departments.all(), (where, name)
            elif department is None:
                assert name in task.other_coordinators, (where, name)
        saved = [(m.kind, m.start, m.due, m.period) for m in task.milestones.all()]
        expected = [
            (
                MILESTONE_KINDS.get(m["kind"], m["kind"]),
                m["start"] and m["start"],
                m["due"],
                m["period"],
            )
            for m in item["milestones"]
        ]
        saved = [(k, s and s.isoformat(), d and d.isoformat(), p) for k, s, d, p in saved]
        assert saved == expected, where
    targets = list(plan.targets.order_by("order").select_related("area"))
    assert len(targets) == len(read["targets"])
    for target, item in zip(targets, read["targets"], strict=True):
        where = f"{plan.source_name} target {item['code']}"
        assert target.text == strip_markup(item["text"]).strip(), where
        if item["comparator"] == "qualitative":
            direction = item.get("direction")
            wanted = f"{direction}_than_baseline" if direction else "unknown"
            assert target.comparator == wanted, where
            assert target.baseline_year == item.get("baseline_year"), where
        else:
            assert target.comparator == item["comparator"], where
            assert target.value == _number(item["value"]), where
            assert target.value_max == _number(item["value_max"]), where
            assert target.unit_label == item["unit"], where
        if item["area"] and target.area is not None:
            assert target.area.code == item["area"], where


@pytest.fixture
def commune(world):
    for name in ("Trung tâm Phục vụ hành chính công", "Phòng Kinh tế, Hạ tầng và Đô thị"):
        Department.objects.create(unit=world.thanhdong, name=name)
    return world


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.name)
def test_a_fixture_plan_confirmed_unchanged_is_saved_as_the_command_reads_it(client, commune, path):
    read = read_by_command(path)
    client.force_login(commune.people[Role.FOCAL])
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    assert client.post(reverse("import_upload"), {"files": [upload]}).status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    document = DocumentImport.objects.get()
    assert document.status == ImportStatus.READY, document.error
    url = reverse("import_review", args=[document.pk])
    fields = form_of(client.get(url).content.decode())
    response = client.post(url, {**fields, "action": "confirm"})
    assert response.status_code == 302, response.context and (
        response.context["errors"],
        [t["errors"] for t in response.context["tasks"] if t["errors"]],
        [b["errors"] for b in response.context["bodies"] if b["errors"]],
    )
    plan = Plan.objects.get()
    assert plan.status == "draft" and plan.source_name == path.name
    assert_saved_as_read(plan, read, commune.vhxh)
    # No vague or outside body became a department.
    names = Department.objects.filter(unit=commune.thanhdong).values_list("name", flat=True)
    assert not [n for n in names if n.lower().startswith(("các ", "sở ", "mặt trận"))]
