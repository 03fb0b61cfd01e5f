"""Objects of every kind in three communes of two provinces, for the permission test.

Hải Phòng (HP) has Thành Đông (TD) and Thái Tân (TT); Thanh Hoá (TH) has Đông Quang (DQ), as in
the `world` fixture of org/tests/conftest.py. Every object is made through the apps' services
(or, where a service would need a document to read, created the way the service stores it), and
filed under a key ("plan", "task", …) and a variant:

- "own": of Thành Đông (or, for what belongs to a province, of Hải Phòng);
- "sibling": of Thái Tân, another commune of the same province;
- "far": of Đông Quang (or Thanh Hoá), another province.

Each object is filed with its audience, the units whose people may read it. Texts shown in lists
carry a marker (`mk-<key>-<variant>`) so that a page can be searched for what it must not show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Model

from core import clock
from core.files import UploadedFile
from initiatives import services as initiative_services
from inspections import services as inspection_services
from inspections.models import Severity, TeamRole
from org.models import Department, Role, Unit, UnitKind, User
from org.tests.factories import DepartmentFactory, UnitFactory, person_with_role
from plans import services as plan_services
from plans.ical import feed_token
from plans.imports.models import DocumentImport, ImportBatch, ImportStatus
from plans.models import MilestoneKind, Plan
from province_requests import services as request_services
from province_requests.models import RequestKind
from reports import services as report_services
from scoring import services as scoring_services
from scoring.models import Method, UnitGroup
from surveys import services as survey_services

TODAY = date(2026, 9, 20)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

VARIANTS = ("own", "sibling", "far")
D = Decimal


def pdf(name: str = "minh-chung.pdf") -> UploadedFile:
    return UploadedFile(name, io.BytesIO(PDF))


def marker(key: str, variant: str) -> str:
    return f"mk-{key}-{variant}"


@dataclass
class Dataset:
    units: dict[str, Unit]
    people: dict[str, User]
    # key -> variant -> [(object, audience)]
    things: dict[str, dict[str, list[tuple[Model, frozenset[str]]]]] = field(default_factory=dict)
    # marker text -> audience
    markers: dict[str, frozenset[str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, variant: str, obj: Model, audience, mark: bool = False) -> Model:
        audience = frozenset(audience)
        self.things.setdefault(key, {}).setdefault(variant, []).append((obj, audience))
        if mark:
            self.markers[marker(key, variant)] = audience
        return obj

    def get(self, key: str, variant: str) -> Model:
        return self.things[key][variant][0][0]

    def unit_key(self, unit_id: int | None) -> str | None:
        for key, unit in self.units.items():
            if unit.pk == unit_id:
                return key
        return None


def _criteria() -> list[scoring_services.CriterionData]:
    C = scoring_services.CriterionData
    return [
        C("1", "Chỉ đạo, điều hành", D(6), Method.SUM),
        C("1.1", "Ban hành kế hoạch CCHC năm", D(2), Method.YES_NO),
        C("1.2", "Báo cáo đúng hạn", D(4), Method.DEDUCTION, deduction=D("0.5"), floor=D(1)),
        C("2", "Thủ tục hành chính", D(4), Method.SUM),
        C("2.1", "Niêm yết TTHC", D(4), Method.MANUAL),
    ]


def _province_work(data: Dataset, province: Unit, variant: str, appraiser: User) -> None:
    """A framework with its criteria and a period."""
    audience = {data.unit_key(province.pk)}
    framework = scoring_services.create_framework(
        province, year=2026, name=f"Bộ tiêu chí {marker('framework', variant)}"
    )
    # read by the communes it assesses (their focal officers assign its criteria)
    communes = {data.unit_key(u.pk) for u in Unit.objects.filter(parent=province)}
    data.add("framework", variant, framework, audience | communes, mark=True)
    criteria_set = scoring_services.add_set(
        framework, UnitGroup.COMMUNE_LEVEL, "Xã, phường", _criteria()
    )
    data.add("criteria_set", variant, criteria_set, audience)
    data.add("criterion", variant, criteria_set.criteria.get(code="2.1"), audience)
    period = scoring_services.create_period(
        framework,
        kind="six_month",
        name="6 tháng 2026",
        department_due=date(2026, 10, 10),
        submission_due=date(2026, 10, 20),
    )
    data.add("period", variant, period, audience | communes)


def _commune_work(
    data: Dataset, unit: Unit, variant: str, department: Department, people: dict[str, User]
) -> None:
    audience = {data.unit_key(unit.pk)}
    focal, officer = people["focal"], people["officer"]

    def add(key, obj, mark=False):
        return data.add(key, variant, obj, audience, mark)

    add("unit", unit)
    add("department", department)
    add("person", officer)

    # plans: a plan with two tasks (one waiting for a trigger), progress with a file, a comment,
    # a target with a measurement
    plan = plan_services.create_plan(
        unit,
        title=f"Kế hoạch CCHC {marker('plan', variant)}",
        number="16/KH-UBND",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    add("plan", plan, mark=True)
    area = plan.areas.get(order=1)
    task = plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=area,
            content=f"Nhiệm vụ {marker('task', variant)}",
            lead_department=department,
            deadline_text="Trước ngày 30/10/2026",
            assignees=[officer],
        ),
    )
    add("task", task, mark=True)
    waiting = plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=area,
            content="Thực hiện theo chỉ đạo",
            lead_department=department,
            deadline_text="Theo chỉ đạo của cấp trên",
        ),
    )
    add("milestone", waiting.milestones.get(kind=MilestoneKind.TRIGGER))
    shared = plan_services.save_task(
        plan,
        plan_services.TaskData(
            area=area,
            content="Thực hiện quy chế văn hóa công vụ",
            lead_department=department,
            deadline_text="Năm 2026",
            all_departments=True,
        ),
    )
    add("task_part", shared.parts.get(department=department))
    update = plan_services.add_progress(
        task,
        officer,
        plan_services.ProgressData(f"Đã làm {marker('progress', variant)}", 40, files=[pdf()]),
    )
    add("evidence", update.files.get())
    plan_services.add_comment(task, officer, f"Ý kiến {marker('comment', variant)}")
    target = plan_services.add_target(plan, "Tối thiểu 90% hồ sơ giải quyết đúng hạn")
    plan_services.record_measurement(
        target, value=D(95), period_label="Quý II/2026", source="Báo cáo", by=focal
    )
    add("target", target)

    # a plan document read from a file
    batch = ImportBatch.objects.create(unit=unit, created_by=focal)
    add("import_batch", batch)
    document = DocumentImport(
        batch=batch,
        original_name=f"{marker('import', variant)}.txt",
        status=ImportStatus.FAILED,
        error="Không đọc được tệp",
    )
    document.file.save("ke-hoach.txt", ContentFile(b"Ke hoach"), save=False)
    document.save()
    add("document_import", document, mark=True)

    # reports: the plan's periods, the departments' parts and the assembled report
    periods = report_services.ensure_periods(plan)
    period = next(p for p in periods if p.kind == "quarter" and p.number == 3)
    report_services.open_contributions(period)
    add("reporting_period", period)
    add("contribution", period.contributions.first())
    report_services.assemble_report(period, by=focal)

    # inspections: a plan, a round with its team, a department inspected, a finding, a file
    inspection = inspection_services.create_plan(
        unit,
        title=f"Kiểm tra CCHC {marker('inspection', variant)}",
        year=2026,
        lead_department=department,
        template=inspection_services.default_template(),
    )
    add("inspection_plan", inspection, mark=True)
    round_ = inspection_services.add_round(
        inspection, name="Đợt 1", start=date(2026, 10, 5), end=date(2026, 10, 15)
    )
    add("round", round_)
    inspection_services.add_team_member(round_, role=TeamRole.LEADER, user=focal)
    subject = inspection_services.add_subject(round_, department, person=officer)
    add("subject", subject)
    finding = inspection_services.record_finding(
        round_,
        focal,
        inspection_services.FindingData(
            description=f"Chưa niêm yết TTHC {marker('finding', variant)}",
            department=department,
            responsible_department=department,
            responsible_person=officer,
            deadline=date(2026, 12, 15),
            severity=Severity.MEDIUM,
        ),
    )
    add("finding", finding, mark=True)
    add("attachment", inspection_services.store_attachment(round_, pdf(), focal, subject=subject))

    # initiatives
    initiative = initiative_services.save_initiative(
        unit,
        initiative_services.InitiativeData(
            title=f"Sáng kiến {marker('initiative', variant)}",
            authors="Nguyễn Văn A",
            problem="Hồ sơ chậm",
            solution="Số hóa",
            department=department,
        ),
        by=focal,
    )
    add("initiative", initiative, mark=True)
    add("initiative_document", initiative_services.add_document(initiative, pdf(), focal))

    # surveys: a questionnaire and a campaign with one answer
    questionnaire = survey_services.create_default_questionnaire(unit)
    questionnaire.title = f"Phiếu {marker('questionnaire', variant)}"
    questionnaire.save()
    add("questionnaire", questionnaire, mark=True)
    campaign = survey_services.save_campaign(
        unit,
        survey_services.CampaignData(
            questionnaire=questionnaire,
            title=f"Khảo sát {marker('campaign', variant)}",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
            department=department,
        ),
        by=focal,
    )
    add("campaign", campaign, mark=True)

    data.tokens[f"ical-person-{variant}"] = feed_token("person", officer.pk)
    data.tokens[f"ical-department-{variant}"] = feed_token("department", department.pk)


def _scoring(data: Dataset, unit: Unit, variant: str, department: Department, focal: User):
    """The commune's self-assessment in its province's period, with an evidence file."""
    province_variant = "far" if variant == "far" else "own"
    criteria_set = data.get("criteria_set", province_variant)
    for criterion in criteria_set.criteria.filter(is_leaf=True):
        scoring_services.assign(unit, criterion, department)
    assessment = scoring_services.open_assessment(data.get("period", province_variant), unit)
    audience = {data.unit_key(unit.pk)}
    data.add("assessment", variant, assessment, audience)
    score = assessment.scores.get(criterion__code="2.1")
    data.add("score", variant, score, audience)
    evidence = scoring_services.add_evidence_file(
        score,
        focal,
        "minh-chung.pdf",
        io.BytesIO(PDF),
        scoring_services.EvidenceData(title="Minh chứng"),
    )
    data.add("score_evidence", variant, evidence, audience)


def _requests(data: Dataset, focal: dict[str, User], appraisers: dict[str, User]) -> None:
    """Hải Phòng asks both its communes (own) and Thái Tân alone (sibling); Thanh Hoá asks
    Đông Quang (far). Each commune answers with a file."""
    u = data.units

    def send(province, communes, variant, by):
        return request_services.send_request(
            province,
            request_services.RequestData(
                kind=RequestKind.REPORT,
                title=f"Báo cáo {marker('request', variant)}",
                due=date(2026, 9, 30),
                letter_number="125/SNV-CCHC",
                letter_date=date(2026, 9, 18),
            ),
            communes=communes,
            letter=[pdf("cong-van.pdf")],
            by=by,
        )

    sent = {
        "own": send(u["HP"], [u["TD"], u["TT"]], "own", appraisers["HP"]),
        "sibling": send(u["HP"], [u["TT"]], "sibling", appraisers["HP"]),
        "far": send(u["TH"], [u["DQ"]], "far", appraisers["TH"]),
    }
    audiences = {"own": {"HP", "TD", "TT"}, "sibling": {"HP", "TT"}, "far": {"TH", "DQ"}}
    for variant, request in sent.items():
        data.add("request", variant, request, audiences[variant], mark=True)
        data.add("request_file", variant, request.files.get(), audiences[variant])
    answering = {"own": "TD", "sibling": "TT", "far": "DQ"}
    for variant, commune in answering.items():
        request = sent[variant]
        recipient = request.recipients.get(unit=u[commune])
        recipient = request_services.answer_request(
            recipient,
            request_services.AnswerData(answer=f"Trả lời {marker('answer', variant)}"),
            files=[pdf("tra-loi.pdf")],
            by=focal[commune],
        )
        data.add("recipient", variant, recipient, {commune}, mark=True)
        data.add("request_file", variant, recipient.files.get(), {commune})


def build() -> Dataset:
    """Everything, on TODAY."""
    with clock.as_of(TODAY):
        return _build()


def _build() -> Dataset:
    hp = UnitFactory(code="31", name="Hải Phòng", kind=UnitKind.CITY, parent=None)
    td = UnitFactory(code="31-TD", name="Thành Đông", kind=UnitKind.WARD, parent=hp)
    tt = UnitFactory(code="31-TT", name="Thái Tân", kind=UnitKind.COMMUNE, parent=hp)
    th = UnitFactory(code="38", name="Thanh Hoá", kind=UnitKind.PROVINCE, parent=None)
    dq = UnitFactory(code="38-DQ", name="Đông Quang", kind=UnitKind.WARD, parent=th)
    vhxh = DepartmentFactory(unit=td, name="Phòng Văn hóa - Xã hội", short_name="VHXH")
    office = DepartmentFactory(
        unit=td, name="Văn phòng HĐND và UBND", short_name="VP", kind="office"
    )
    tt_economy = DepartmentFactory(unit=tt, name="Phòng Kinh tế")
    dq_vhxh = DepartmentFactory(unit=dq, name="Phòng Văn hóa - Xã hội")
    admin = person_with_role(Role.ADMIN, None, username="admin")
    admin.is_staff = admin.is_superuser = True  # as the demo's system administrator
    admin.save()
    people = {
        "admin": admin,
        "appraiser": person_with_role(Role.APPRAISER, hp, username="appraiser"),
        "leader": person_with_role(Role.LEADER, td, office, username="leader"),
        "focal": person_with_role(Role.FOCAL, td, vhxh, username="focal"),
        "head": person_with_role(Role.DEPARTMENT_HEAD, td, vhxh, username="head"),
        "officer": person_with_role(
            Role.OFFICER,
            td,
            vhxh,
            username="officer",
            full_name=f"Cán bộ {marker('person', 'own')}",
        ),
        "other": person_with_role(Role.FOCAL, dq, dq_vhxh, username="dq_focal"),
        "ministry": person_with_role(Role.MINISTRY, None, username="ministry"),
    }
    tt_people = {
        "focal": person_with_role(Role.FOCAL, tt, tt_economy, username="tt_focal"),
        "officer": person_with_role(
            Role.OFFICER,
            tt,
            tt_economy,
            username="tt_officer",
            full_name=f"Cán bộ {marker('person', 'sibling')}",
        ),
    }
    dq_people = {
        "focal": people["other"],
        "officer": person_with_role(
            Role.OFFICER,
            dq,
            dq_vhxh,
            username="dq_officer",
            full_name=f"Cán bộ {marker('person', 'far')}",
        ),
    }
    th_appraiser = person_with_role(Role.APPRAISER, th, username="th_appraiser")
    data = Dataset(units={"HP": hp, "TD": td, "TT": tt, "TH": th, "DQ": dq}, people=people)
    for variant in ("own", "sibling", "far"):
        data.markers[marker("person", variant)] = frozenset(
            {"own": {"TD"}, "sibling": {"TT"}, "far": {"DQ"}}[variant]
        )
    data.add("unit", "own", hp, {"HP"})
    data.add("unit", "far", th, {"TH"})
    _province_work(data, hp, "own", people["appraiser"])
    _province_work(data, th, "far", th_appraiser)
    td_people = {"focal": people["focal"], "officer": people["officer"]}
    _commune_work(data, td, "own", vhxh, td_people)
    _commune_work(data, tt, "sibling", tt_economy, tt_people)
    _commune_work(data, dq, "far", dq_vhxh, dq_people)
    _scoring(data, td, "own", vhxh, people["focal"])
    _scoring(data, tt, "sibling", tt_economy, tt_people["focal"])
    _scoring(data, dq, "far", dq_vhxh, people["other"])
    _requests(
        data,
        {"TD": people["focal"], "TT": tt_people["focal"], "DQ": people["other"]},
        {"HP": people["appraiser"], "TH": th_appraiser},
    )
    # the statuses as the pages derive them on the first visit of the day
    plan_services.ensure_fresh_statuses(Plan.objects.all())
    return data
