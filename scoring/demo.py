"""Demo PAR-index data: the sample framework for Thanh Hoá (38) 2026 and its six-month period,
which ranks four communes of the province:

- Đông Quang, the seeds' commune: its criteria assigned from seed 000's section II, the
  self-assessment under way (part of the criteria scored, with evidence);
- three sample wards, since province 38 has only one real demo commune, clearly marked as such
  ("Mẫu 1–3 (đơn vị mẫu)", codes 38-MAU-1..3), each carried through the services on the days it
  would have happened (June and July 2026): Mẫu 1 submitted mid June, appraised in July with two
  scores lowered with the reasons, answered on one of them and closed with final scores; Mẫu 2
  submitted at the end of June and waiting in the province appraiser's queue; Mẫu 3 approved by
  its leadership, not yet submitted.

Each sample ward has a focal officer and a chairperson who did its part (nobody signs in as
them: they have no password); the province's part is the Thanh Hoá appraiser's
(`sonoivu.thanhhoa`). Loading again changes nothing: each ward is carried only as far as its
stage, from wherever it stands. `manage.py load_scoring_samples` loads the sample wards alone.

Hải Phòng (31) and Hà Tĩnh (42) have the same sample framework, their demo communes at other
stages: see `load_haiphong` and `load_hatinh` below.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from core import clock
from org.demo import SAMPLE_PDF, seed_text
from org.models import Department, Role, Unit, UnitKind, User
from org.services import create_person
from scoring import services
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    CriterionKind,
    Method,
    PeriodKind,
    Source,
    SubmissionStatus,
)
from scoring.sample import load_sample

APPRAISER = "sonoivu.thanhhoa"  # the Thanh Hoá Department of Home Affairs' appraiser


@dataclass(frozen=True)
class SampleWard:
    code: str
    name: str
    level: int  # how well it does, 1 the best
    focal: str  # its CCHC focal officer's and its chairperson's names
    leader: str
    days: dict[str, date]  # the day of each step it has gone through, in order

    @property
    def username(self) -> str:
        return self.code.removeprefix("38-").lower().replace("-", "")


def _june(day: int) -> date:
    return date(2026, 6, day)


def _july(day: int) -> date:
    return date(2026, 7, day)


# The six-month period's departments' scores are due on 21/6, the submission on 30/6.
SAMPLE_WARDS = [
    SampleWard("38-MAU-1", "Mẫu 1 (đơn vị mẫu)", 1, "Lê Thị Mai", "Trần Văn Bình", {
        "score": _june(8), "hand_in": _june(12), "accept": _june(15), "approve": _june(16),
        "submit": _june(17), "appraise": _july(6), "send": _july(7), "answer": _july(10),
        "close": _july(20),
    }),
    SampleWard("38-MAU-2", "Mẫu 2 (đơn vị mẫu)", 2, "Phạm Thị Lan", "Nguyễn Đức Thắng", {
        "score": _june(15), "hand_in": _june(19), "accept": _june(22), "approve": _june(24),
        "submit": _june(26),
    }),
    SampleWard("38-MAU-3", "Mẫu 3 (đơn vị mẫu)", 3, "Hoàng Thị Thu", "Vũ Minh Quang", {
        "score": _june(18), "hand_in": _june(24), "accept": _june(27), "approve": _june(29),
    }),
]  # fmt: skip

# Mẫu 1's appraisal: two scores lowered with the reason, the survey's points per question; the
# ward answers on 2.1 (with the report) and 7.3; the province accepts the first, keeps the second.
LOWERED = {
    "2.1": (
        Decimal(1),
        "Minh chứng mới có kế hoạch theo dõi thi hành pháp luật, chưa có báo cáo kết quả "
        "kiểm tra, điều tra tình hình thi hành pháp luật 6 tháng.",
    ),
    "7.3": (
        Decimal(1),
        "Kiểm tra ngày 02/7/2026: Cổng thông tin điện tử của phường chưa cập nhật lịch công "
        "tác và văn bản chỉ đạo, điều hành tháng 5, 6.",
    ),
}
ANSWERED = "2.1"
ANSWER = (
    "Phường đã ban hành Báo cáo số 45/BC-UBND ngày 20/6/2026 về kết quả theo dõi tình hình thi "
    "hành pháp luật 6 tháng đầu năm; đề nghị Sở Nội vụ xem xét, giữ điểm tự chấm."
)
KEPT = "7.3"
KEPT_ANSWER = "Phường đã cập nhật lịch công tác và văn bản tháng 5, 6 lên Cổng ngày 05/7/2026."
KEPT_REASON = "Việc cập nhật thực hiện sau thời điểm kiểm tra (02/7/2026); giữ điểm thẩm định."
SURVEY_SHARES = (Decimal("0.86"), Decimal("0.82"), Decimal("0.84"), Decimal("0.8"), Decimal("0.78"))

WHY_ZERO = {
    CriterionKind.PENALTY: "Không phát sinh trường hợp nào trong kỳ đánh giá.",
    CriterionKind.BONUS: "Chưa có kết quả được công nhận trong kỳ đánh giá.",
    CriterionKind.REGULAR: "Chưa đạt yêu cầu trong kỳ đánh giá; tiếp tục thực hiện trong 6 tháng "
    "cuối năm.",
}


def _value(criterion, level: int) -> Decimal:
    """A plausible reported value: level 0 is the best commune."""
    if criterion.method == Method.YES_NO:
        return Decimal(0 if (level and criterion.pk % (5 - level) == 0) else 1)
    if criterion.method == Method.TIERS:
        return Decimal((100, 90, 85, 70)[(criterion.pk + level) % 4 if level else 0])
    if criterion.method == Method.DEDUCTION:
        return Decimal((criterion.pk + level) % 3 if level else 0)
    top = criterion.max_points
    return (top * Decimal((100, 80, 70, 60)[level % 4]) / 100).quantize(Decimal("0.01"))


def _score_all(
    assessment: Assessment,
    by: User,
    level: int,
    share: int = 100,
    departments: tuple[set[int], bool] | None = None,
    bound: bool = True,
) -> None:
    """Score the first `share` % of the self-assessed criteria not scored yet; a score above zero
    gets its evidence, one of zero without evidence the reason why. `departments` (ids, True)
    keeps the criteria of those departments only, (ids, False) leaves them out; `bound` False
    leaves the criteria scored from the data to their proposals."""
    framework = assessment.period.framework
    scores = assessment.scores.select_related("criterion").exclude(criterion__source=Source.SURVEY)
    if not bound:
        scores = scores.filter(criterion__rule="")
    if departments is not None:
        ids, keep = departments
        theirs = Assignment.objects.filter(
            unit_id=assessment.unit_id, department_id__in=ids
        ).values("criterion_id")
        scores = (
            scores.filter(criterion_id__in=theirs)
            if keep
            else scores.exclude(criterion_id__in=theirs)
        )
    scores = list(scores.order_by("criterion__sort"))
    for index, score in enumerate(scores):
        if index * 100 >= share * len(scores):
            break
        criterion = score.criterion
        if score.self_points is None:
            value = _value(criterion, level)
            zero = not services.points_for(criterion, value, framework)
            why = WHY_ZERO[criterion.kind] if zero else ""
            score = services.set_self_score(score, by, value=value, explanation=why)
        has_evidence = score.evidence.exists()
        if score.self_points and not has_evidence:
            services.add_evidence_file(
                score,
                by,
                "minh-chung.pdf",
                io.BytesIO(SAMPLE_PDF),
                services.EvidenceData(
                    f"Minh chứng tiêu chí {criterion.code}",
                    f"{10 + index}/KH-UBND",
                    date(2026, 1, 5 + index % 20),
                ),
            )
        elif score.self_points == 0 and not has_evidence and not score.explanation:
            services.set_self_score(
                score, by, value=score.value, explanation=WHY_ZERO[criterion.kind]
            )


def _fresh(assessment: Assessment) -> Assessment:
    """The assessment as stored: services save the whole record they are given."""
    return Assessment.objects.select_related("period__framework").get(pk=assessment.pk)


@dataclass(frozen=True)
class WardPeople:
    focal: User
    leader: User
    appraiser: User | None


def _carry(ward: SampleWard, assessment: Assessment, people: WardPeople) -> None:
    """Take the ward's assessment through its steps, each on its day, up to its stage; steps
    already taken are passed over."""
    days, focal = ward.days, people.focal
    if _fresh(assessment).status == AssessmentStatus.DRAFT:
        with clock.as_of(days["score"]):
            _score_all(assessment, focal, ward.level)
        if "hand_in" in days:  # the focal officer hands the division's scores in for it
            with clock.as_of(days["hand_in"]):
                for part in assessment.submissions.filter(
                    status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
                ):
                    services.submit_department(part, focal)
        if "accept" in days:
            with clock.as_of(days["accept"]):
                for part in assessment.submissions.filter(status=SubmissionStatus.SUBMITTED):
                    services.review_department(part, focal, accept=True)
        if "approve" in days:
            with clock.as_of(days["approve"]):
                services.approve(_fresh(assessment), people.leader)
    if "submit" in days and _fresh(assessment).status == AssessmentStatus.APPROVED:
        with clock.as_of(days["submit"]):
            services.submit(_fresh(assessment), focal)
    if "appraise" in days and _fresh(assessment).status == AssessmentStatus.SUBMITTED:
        with clock.as_of(days["appraise"]):
            _appraise(assessment, people.appraiser)
        with clock.as_of(days["send"]):
            services.send_appraisal(_fresh(assessment), people.appraiser)
    if "answer" in days and _fresh(assessment).status == AssessmentStatus.APPRAISED:
        with clock.as_of(days["answer"]):
            _answer(assessment, focal)
    if "close" in days and _fresh(assessment).status in (
        AssessmentStatus.APPRAISED,
        AssessmentStatus.ANSWERED,
    ):
        with clock.as_of(days["close"]):
            # The answer on 2.1 is accepted (the self-score counts); 7.3 keeps its appraisal.
            accepted = assessment.scores.get(criterion__code=ANSWERED)
            services.decide_answer(accepted, people.appraiser, accept=True)
            kept = assessment.scores.get(criterion__code=KEPT)
            services.decide_answer(kept, people.appraiser, accept=False, reason=KEPT_REASON)
            services.close(_fresh(assessment), people.appraiser)


def _answer(assessment: Assessment, focal: User) -> None:
    """The ward answers two lowered scores, one of them with the report it speaks of."""
    answered = assessment.scores.get(criterion__code=ANSWERED)
    services.save_answer(answered, focal, ANSWER)
    services.add_evidence_file(
        answered,
        focal,
        "bao-cao-45-BC-UBND.pdf",
        io.BytesIO(SAMPLE_PDF),
        services.EvidenceData(
            "Báo cáo kết quả theo dõi tình hình thi hành pháp luật 6 tháng đầu năm 2026",
            "45/BC-UBND",
            _june(20),
        ),
    )
    services.save_answer(assessment.scores.get(criterion__code=KEPT), focal, KEPT_ANSWER)
    services.answer_appraisal(_fresh(assessment), focal)


def _appraise(assessment: Assessment, appraiser: User | None) -> None:
    surveyed = assessment.scores.filter(criterion__source=Source.SURVEY).select_related("criterion")
    for score, share in zip(surveyed.order_by("criterion__sort"), SURVEY_SHARES, strict=False):
        if score.appraised_points is None:
            points = score.criterion.max_points * share
            services.appraise_score(score, appraiser, points=points)
    for code, (points, reason) in LOWERED.items():
        score = assessment.scores.get(criterion__code=code)
        if score.appraised_points is None:
            services.appraise_score(score, appraiser, points=points, reason=reason)


@transaction.atomic
def load() -> None:
    province = Unit.objects.get(code="38")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)

    dongquang = Unit.objects.get(code="38-DONGQUANG")
    services.assign_from_document(dongquang, criteria_set, seed_text("000"))
    culture = Department.objects.get(unit=dongquang, short_name="VHXH")
    for criterion in services.unassigned(dongquang, criteria_set):
        services.assign(dongquang, criterion, culture)  # by hand: the focal officer's division
    focal = User.objects.get(username="dongquang.daumoi")
    officer = User.objects.get(username="dongquang.ttpvhcc")
    for assignment in Assignment.objects.filter(unit=dongquang, department__short_name="TTPVHCC"):
        assignment.people.set([officer])
    assessment = services.open_assessment(period, dongquang)
    if not assessment.scores.exclude(self_points=None).exists():
        # The criteria bound to the data wait for their proposals, made when the page opens.
        _score_all(assessment, focal, 0, share=60, bound=False)

    load_sample_communes()
    load_haiphong()
    load_hatinh()


def _person(ward: SampleWard, unit: Unit, role: str, suffix: str, name: str, position: str):
    """One of the ward's people: named in its history, nobody signs in as them."""
    username = f"{ward.username}.{suffix}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_person(
            unit, username=username, full_name=name, role=role, position=position
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_sample_communes() -> list[Unit]:
    """The three sample wards of province 38, each with its focal officer and chairperson,
    carried to its stage of the six-month period (idempotent)."""
    province = Unit.objects.get(code="38")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)
    appraiser = User.objects.filter(username=APPRAISER).first()
    units = []
    for ward in SAMPLE_WARDS:
        unit, _created = Unit.objects.get_or_create(
            code=ward.code, defaults={"name": ward.name, "kind": UnitKind.WARD, "parent": province}
        )
        department, _created = Department.objects.get_or_create(
            unit=unit, name="Phòng Văn hóa - Xã hội", defaults={"short_name": "VHXH"}
        )
        people = WardPeople(
            focal=_person(ward, unit, Role.FOCAL, "daumoi", ward.focal, "Công chức đầu mối CCHC"),
            leader=_person(ward, unit, Role.LEADER, "chutich", ward.leader, "Chủ tịch UBND phường"),
            appraiser=appraiser,
        )
        for criterion in services.unassigned(unit, criteria_set):
            services.assign(unit, criterion, department)
        with clock.as_of(ward.days["score"]):
            sample = services.open_assessment(period, unit)
        _carry(ward, sample, people)
        units.append(unit)
    return units


# --- Hải Phòng (31): its two real demo communes in the sample framework's six-month period ---

HAIPHONG_APPRAISER = "sonoivu.haiphong"

# Each commune's criteria go first to the departments its own plan gives duties to (seed 001 for
# Thành Đông, 002 for Thái Tân); the rest to the division of its CCHC focal officer, by hand.
HAIPHONG_SEEDS = {"31-THANHDONG": "001", "31-THAITAN": "002"}
HAIPHONG_PEOPLE = {
    "31-THANHDONG": ("thanhdong.daumoi", "thanhdong.chutich"),
    "31-THAITAN": ("thaitan.daumoi", "thaitan.phochutich"),
}
LATE_PART = "KT"  # Thái Tân's economy division hands its part in after the departments' due date


def _appraisal_day() -> date:
    """The day the province sent Thành Đông its appraisal: recent, so that the ward's time to
    answer (five days) is still running when the demo is looked at."""
    return max(_july(8), clock.today() - timedelta(days=1))


def _assign_haiphong(unit: Unit, criteria_set) -> None:
    services.assign_from_document(unit, criteria_set, seed_text(HAIPHONG_SEEDS[unit.code]))
    culture = Department.objects.get(unit=unit, short_name="VHXH")
    for criterion in services.unassigned(unit, criteria_set):
        services.assign(unit, criterion, culture)


def _carry_thaitan(assessment: Assessment, focal: User) -> None:
    """Thái Tân is still scoring: its economy division handed its part in three days after the
    departments' due date (marked late); the focal officer has scored half of the rest."""
    if _fresh(assessment).status != AssessmentStatus.DRAFT:
        return
    economy = Department.objects.get(unit=assessment.unit, short_name=LATE_PART)
    head = User.objects.get(username="thaitan.kinhte")
    part = assessment.submissions.filter(department=economy).first()
    if part is not None and part.status == SubmissionStatus.DRAFT:
        with clock.as_of(_june(23)):
            _score_all(assessment, head, 2, departments=({economy.pk}, True))
        with clock.as_of(_june(24)):
            services.submit_department(part, head)
    with clock.as_of(_june(26)):
        _score_all(assessment, focal, 2, share=50, departments=({economy.pk}, False))


@transaction.atomic
def load_haiphong() -> list[Assessment]:
    """The sample framework for Hải Phòng 2026 and its six-month period, in which Thành Đông
    submitted on time and was appraised (its answer is due) and Thái Tân is still scoring, one
    department's part handed in late (idempotent)."""
    province = Unit.objects.get(code="31")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)
    appraiser = User.objects.filter(username=HAIPHONG_APPRAISER).first()
    assessments = []
    for code, (focal_name, leader_name) in HAIPHONG_PEOPLE.items():
        unit = Unit.objects.get(code=code)
        _assign_haiphong(unit, criteria_set)
        focal = User.objects.get(username=focal_name)
        people = WardPeople(focal, User.objects.get(username=leader_name), appraiser)
        with clock.as_of(_june(10)):
            assessment = services.open_assessment(period, unit)
        if code == "31-THANHDONG":
            days = {
                "score": _june(10), "hand_in": _june(18), "accept": _june(22),
                "approve": _june(24), "submit": _june(26),
                "appraise": _appraisal_day(), "send": _appraisal_day(),
            }  # fmt: skip
            ward = SampleWard(code, unit.name, 1, focal.full_name, people.leader.full_name, days)
            _carry(ward, assessment, people)
        else:
            _carry_thaitan(assessment, focal)
        assessments.append(_fresh(assessment))
    return assessments


# --- Hà Tĩnh (42): Thành Sen in the sample framework's six-month period ---

HATINH_APPRAISER = "sonoivu.hatinh"


@transaction.atomic
def load_hatinh() -> Assessment:
    """The sample framework for Hà Tĩnh 2026 and its six-month period, in which Thành Sen, with
    no department head holding an account, was scored by its focal officer, approved and
    submitted on the due date: it waits in the province appraiser's queue (idempotent)."""
    province = Unit.objects.get(code="42")
    framework = load_sample(province, 2026)
    criteria_set = framework.sets.get()
    period = framework.periods.get(kind=PeriodKind.SIX_MONTH)
    unit = Unit.objects.get(code="42-THANHSEN")
    culture = Department.objects.get(unit=unit, short_name="VHXH")
    for criterion in services.unassigned(unit, criteria_set):
        services.assign(unit, criterion, culture)  # the focal officer's division answers for all
    focal = User.objects.get(username="thanhsen.daumoi")
    leader = User.objects.get(username="thanhsen.phochutich")
    appraiser = User.objects.filter(username=HATINH_APPRAISER).first()
    with clock.as_of(_june(9)):
        assessment = services.open_assessment(period, unit)
    days = {
        "score": _june(9), "hand_in": _june(19), "accept": _june(22), "approve": _june(26),
        "submit": _june(30),
    }  # fmt: skip
    ward = SampleWard(unit.code, unit.name, 2, focal.full_name, leader.full_name, days)
    _carry(ward, assessment, WardPeople(focal, leader, appraiser))
    return _fresh(assessment)
