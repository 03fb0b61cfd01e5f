"""The self-assessment of a commune: self-scores with evidence, departments handing in their
scores, the leadership's approval, submission to the province, appraisal, the commune's answer
and the close with final scores.

Every write is atomic and refuses bad input with a ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock, crash
from core.files import EVIDENCE_KINDS, UploadRejected, store_upload
from core.numbers import format_number
from core.versions import fingerprint, refuse_if_changed
from org.models import Department, Unit, User
from scoring import handoffs
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    DeadlineStage,
    Decision,
    DepartmentSubmission,
    EvidenceStage,
    Extension,
    Period,
    PeriodAudience,
    ProposalChoice,
    Score,
    ScoreEvidence,
    Source,
    SubmissionStatus,
    sort_key,
)
from scoring.services.assignment import leaves, sync_submissions, unassigned
from scoring.services.frameworks import set_for_unit
from scoring.services.points import ZERO, check_points, points_for
from scoring.services.proposals import freeze, thaw
from scoring.services.results import recompute

R = TypeVar("R", Assessment, DepartmentSubmission)


def refuse_if_period_closed(period_id: int) -> None:
    """Nothing of a closed period changes any more (read as stored, not as the caller has it)."""
    closed = Period.objects.filter(pk=period_id).values_list("closed_at", flat=True).first()
    if closed is not None:
        raise ValidationError(
            _("The period was closed on %(day)s; nothing in it can change any more.")
            % {"day": timezone.localdate(closed).strftime("%d/%m/%Y")}
        )


@transaction.atomic
def open_assessment(period: Period, unit: Unit, *, chosen: bool = False) -> Assessment:
    """The commune's assessment of the period, with a score row per leaf criterion. A commune
    starts its own in a period open to every commune; the province (`chosen`) opens it for the
    communes it chose."""
    if not unit.is_commune_level or unit.province_id != period.framework.province_id:
        raise ValidationError(_("Only communes of the framework's province are assessed."))
    refuse_if_period_closed(period.pk)
    assessment = Assessment.objects.filter(period=period, unit=unit).first()
    if assessment is None and not chosen:
        if period.opened_for == PeriodAudience.PLANNED:
            raise ValidationError(_("The province has not opened this period yet."))
        if period.opened_for == PeriodAudience.CHOSEN:
            raise ValidationError(
                _("The province did not open this period for %(unit)s.") % {"unit": unit.name}
            )
    if assessment is None:
        criteria_set = set_for_unit(period.framework, unit)
        if criteria_set is None:
            raise ValidationError(_("The framework has no criteria for this kind of unit."))
        assessment = Assessment.objects.create(period=period, unit=unit, criteria_set=criteria_set)
    have = set(assessment.scores.values_list("criterion_id", flat=True))
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c)
        for c in leaves(assessment.criteria_set)
        if c.pk not in have
    )
    sync_submissions(assessment)
    return assessment


def assignment_of(score: Score) -> Assignment | None:
    return Assignment.objects.filter(
        unit_id=score.assessment.unit_id, criterion_id=score.criterion_id
    ).first()


def _submission_of(score: Score) -> DepartmentSubmission | None:
    assignment = assignment_of(score)
    if assignment is None:
        return None
    return DepartmentSubmission.objects.filter(
        assessment_id=score.assessment_id, department_id=assignment.department_id
    ).first()


def _refuse_if_locked(assessment: Assessment) -> None:
    refuse_if_period_closed(assessment.period_id)
    if assessment.is_locked:
        raise ValidationError(
            _("The self-assessment is “%(status)s” and can no longer be changed.")
            % {"status": assessment.get_status_display()}
        )
    if assessment.status == AssessmentStatus.APPROVED:
        raise ValidationError(
            _("The leadership has approved the self-assessment; it can no longer be changed.")
        )


def _refuse_if_handed_in(score: Score) -> None:
    submission = _submission_of(score)
    if submission and submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(
            _("The department has handed in its scores; the focal officer must return them first.")
        )


SCORE_LABELS = {
    "value": gettext_lazy("Self-assessment"),
    "explanation": gettext_lazy("Explanation"),
}


def _score_values(score: Score) -> dict:
    return {"value": score.value, "explanation": score.explanation}


def score_version(score: Score) -> str:
    """The fingerprint a self-score form carries, checked when it is saved."""
    return fingerprint(_score_values(score))


@transaction.atomic
def set_self_score(
    score: Score,
    by: User,
    *,
    value: Decimal | None,
    explanation: str | None = None,
    seen: str | None = None,
) -> Score:
    """A department's self-score: the reported value becomes points by the criterion's rule.
    `seen` is the fingerprint of the values the form showed: a save over someone else's change
    made since is refused (`EditConflict`)."""
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    mine = {"value": value} if explanation is None else {"value": value, "explanation": explanation}
    refuse_if_changed(seen, _score_values(score), labels=SCORE_LABELS, changed=[score], mine=mine)
    assessment = score.assessment
    _refuse_if_locked(assessment)
    _refuse_if_handed_in(score)
    if score.criterion.source == Source.SURVEY:
        raise ValidationError(_("Survey points come from the province, not from self-assessment."))
    if value is None:
        score.value = score.self_points = None
    else:
        score.self_points = points_for(score.criterion, value, assessment.period.framework)
        score.value = value
    if explanation is not None:
        score.explanation = explanation.strip()
    _note_proposal(score)
    score.updated_by = by
    score.save()
    recompute(assessment)
    return score


def _note_proposal(score: Score) -> None:
    """A self-score typed where the data proposes one: the proposal taken, or overridden with
    the explanation as the reason (refused without one)."""
    if score.proposed_value is None or score.value is None:
        score.proposal_choice = ""
        return
    if score.value == score.proposed_value:
        score.proposal_choice, score.override_reason = ProposalChoice.ACCEPTED, ""
        return
    if not score.explanation.strip():
        raise ValidationError(
            _("Explain why criterion %(code)s is scored otherwise than proposed (%(points)s).")
            % {"code": score.criterion.code, "points": format_number(score.proposed_points)}
        )
    score.proposal_choice = ProposalChoice.OVERRIDDEN
    score.override_reason = score.explanation


def _proposed(score: Score) -> Score:
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    if score.proposed_value is None or score.proposed_points is None:
        raise ValidationError(
            _("Criterion %(code)s has no proposal from the system's data.")
            % {"code": score.criterion.code}
        )
    if score.criterion.source == Source.SURVEY:
        raise ValidationError(_("Survey points come from the province, not from self-assessment."))
    _refuse_if_locked(score.assessment)
    _refuse_if_handed_in(score)
    return score


@transaction.atomic
def accept_proposal(score: Score, by: User) -> Score:
    """The department takes the proposed score; the records behind it are its evidence."""
    score = _proposed(score)
    score.value, score.self_points = score.proposed_value, score.proposed_points
    score.proposal_choice = ProposalChoice.ACCEPTED
    score.override_reason = ""
    score.updated_by = by
    score.save()
    recompute(score.assessment)
    return score


@transaction.atomic
def override_proposal(score: Score, by: User, *, value: Decimal | None, reason: str) -> Score:
    """The department scores otherwise than proposed, saying why; the appraiser sees both."""
    score = _proposed(score)
    if value is None:
        raise ValidationError(_("Give the value you score instead of the proposal."))
    if not reason.strip():
        raise ValidationError(
            _("Explain why criterion %(code)s is scored otherwise than proposed (%(points)s).")
            % {"code": score.criterion.code, "points": format_number(score.proposed_points)}
        )
    score.self_points = points_for(score.criterion, value, score.assessment.period.framework)
    score.value = value
    score.proposal_choice = ProposalChoice.OVERRIDDEN
    score.override_reason = reason.strip()
    score.updated_by = by
    score.save()
    recompute(score.assessment)
    return score


@dataclass
class EvidenceData:
    title: str
    document_number: str = ""
    document_date: date | None = None


def _evidence_stage(score: Score) -> str:
    """Evidence is given with the self-score, or later with the answer to the appraisal."""
    # As stored now: the caller's record may have been read before the last step.
    assessment = Assessment.objects.get(pk=score.assessment_id)
    if assessment.status == AssessmentStatus.APPRAISED:
        _refuse_if_answer_late(assessment)
        return EvidenceStage.ANSWER
    _refuse_if_locked(assessment)
    _refuse_if_handed_in(score)
    return EvidenceStage.SELF


def _new_evidence(score: Score, data: EvidenceData, name: str) -> ScoreEvidence:
    """Unsaved evidence of a score that may still change; `name` titles it when untitled."""
    return ScoreEvidence(
        score=score,
        stage=_evidence_stage(score),
        title=(data.title or name).strip()[:500],
        document_number=data.document_number.strip(),
        document_date=data.document_date,
    )


@transaction.atomic
def add_evidence_file(
    score: Score, by: User, name: str, stream: IO[bytes], data: EvidenceData
) -> ScoreEvidence:
    evidence = _new_evidence(score, data, name)
    try:
        return store_upload(evidence, name, stream, EVIDENCE_KINDS, by)
    except UploadRejected as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def link_task_evidence(score: Score, by: User, task_evidence, data: EvidenceData) -> ScoreEvidence:
    """Evidence that is a plan task's product already uploaded: linked, not copied."""
    evidence = _new_evidence(score, data, task_evidence.original_name)
    if task_evidence.task.plan.unit_id != score.assessment.unit_id:
        raise ValidationError(_("The product belongs to another unit's plan."))
    evidence.task_evidence = task_evidence
    evidence.original_name = task_evidence.original_name
    evidence.kind = task_evidence.kind
    evidence.size = task_evidence.size
    evidence.sha256 = task_evidence.sha256
    evidence.uploaded_by = by
    evidence.save()
    return evidence


@transaction.atomic
def add_evidence_link(score: Score, by: User, url: str, data: EvidenceData) -> ScoreEvidence:
    """Evidence published elsewhere (the commune's portal, a shared folder), given by its link."""
    url = url.strip()
    validator = URLValidator(schemes=["http", "https"])
    try:
        validator(url)
    except ValidationError as exc:
        raise ValidationError(
            _("Enter a full web address starting with http:// or https://.")
        ) from exc
    evidence = _new_evidence(score, data, url)
    evidence.link = url
    evidence.original_name, evidence.kind, evidence.size = url[:255], "link", 0
    evidence.uploaded_by = by
    evidence.save()
    return evidence


@transaction.atomic
def remove_evidence(evidence: ScoreEvidence) -> None:
    if _evidence_stage(evidence.score) != evidence.stage:
        raise ValidationError(_("This evidence was given at an earlier stage; it stays."))
    evidence.delete()


@dataclass(frozen=True)
class Problem:
    code: str
    name: str
    message: str
    score_id: int


@dataclass(frozen=True)
class ScoreFacts:
    """What decides whether a score may be handed in."""

    score_id: int
    code: str
    name: str
    source: str
    method: str
    evidence_when_none: bool
    self_points: Decimal | None
    value: Decimal | None
    explanation: str
    # A proposal taken or overridden is proven by the records behind its figure (or by the
    # figure itself when it says there was nothing to count): no upload needed.
    from_records: bool
    evidence: int
    complete_evidence: int


def _problem(facts: ScoreFacts) -> str | None:
    """Why this score cannot be handed in, or None.

    A deduction with nothing to deduct (no occurrence reported) proves itself: it needs neither
    evidence nor an explanation, unless the framework asks for evidence even then.
    """
    if facts.source == Source.SURVEY:
        return None
    points = facts.self_points
    if points is None:
        return _("not scored yet")
    if facts.from_records or (
        facts.method == "deduction" and facts.value == 0 and not facts.evidence_when_none
    ):
        return None
    if points > 0 and not facts.evidence:
        return _("scored above zero without evidence")
    if points > 0 and not facts.complete_evidence and not facts.explanation.strip():
        return _("evidence without a document number and date needs a written explanation")
    if points == 0 and not facts.evidence and not facts.explanation.strip():
        return _("no evidence: write an explanation")
    return None


def _sorted_problems(facts: Iterable[ScoreFacts]) -> list[Problem]:
    found = []
    for f in facts:
        message = _problem(f)
        if message:
            found.append(Problem(f.code, f.name, str(message), f.score_id))
    return sorted(found, key=lambda p: sort_key(p.code))


def problems(scores: Iterable[Score]) -> list[Problem]:
    """Why these scores cannot be handed in: missing scores, evidence and explanations.
    Pass scores with `criterion` selected and `evidence` prefetched."""

    def facts(score: Score) -> ScoreFacts:
        criterion = score.criterion
        items = list(score.evidence.all())
        return ScoreFacts(
            score_id=score.pk,
            code=criterion.code,
            name=criterion.name,
            source=criterion.source,
            method=criterion.method,
            evidence_when_none=criterion.evidence_when_none,
            self_points=score.self_points,
            value=score.value,
            explanation=score.explanation,
            from_records=bool(
                score.proposal_choice and (score.proposal_links or score.proposal_figure)
            ),
            evidence=len(items),
            complete_evidence=sum(1 for e in items if e.is_complete),
        )

    return _sorted_problems(map(facts, scores))


# What a row of the assessment's table shows and what its problems are judged on.
ROW_VALUES = (
    "pk",
    "criterion_id",
    "criterion__code",
    "criterion__name",
    "criterion__max_points",
    "criterion__method",
    "criterion__source",
    "criterion__rule",
    "criterion__evidence_when_none",
    "value",
    "self_points",
    "explanation",
    "appraised_points",
    "appraisal_reason",
    "answer",
    "decision",
    "final_points",
    "proposed_points",
    "proposal_figure",
    "proposal_links",
    "proposal_choice",
    "override_reason",
)


def score_rows(assessment: Assessment, criterion_ids: Iterable[int] | None = None) -> list[dict]:
    """The assessment's scores as plain values (`ROW_VALUES`, and the counts `evidence_count` /
    `complete_evidence_count`), in the framework's order: what a 150-row table reads, without
    building models."""
    scores = assessment.scores.all()
    if criterion_ids is not None:
        scores = scores.filter(criterion_id__in=list(criterion_ids))
    return list(
        scores.annotate(
            evidence_count=Count("evidence"),
            complete_evidence_count=Count(
                "evidence",
                filter=~Q(evidence__document_number="") & Q(evidence__document_date__isnull=False),
            ),
        )
        .values(*ROW_VALUES, "evidence_count", "complete_evidence_count")
        .order_by("criterion__sort")
    )


def row_problems(rows: Iterable[dict]) -> list[Problem]:
    """`problems` of the rows of `score_rows`."""
    return _sorted_problems(
        ScoreFacts(
            score_id=r["pk"],
            code=r["criterion__code"],
            name=r["criterion__name"],
            source=r["criterion__source"],
            method=r["criterion__method"],
            evidence_when_none=r["criterion__evidence_when_none"],
            self_points=r["self_points"],
            value=r["value"],
            explanation=r["explanation"],
            from_records=bool(
                r["proposal_choice"] and (r["proposal_links"] or r["proposal_figure"])
            ),
            evidence=r["evidence_count"],
            complete_evidence=r["complete_evidence_count"],
        )
        for r in rows
    )


def _all_scores(assessment: Assessment):
    return (
        assessment.scores.select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__sort")
    )


def department_scores(assessment: Assessment, department: Department):
    ids = Assignment.objects.filter(
        unit=assessment.unit, department=department, criterion__criteria_set=assessment.criteria_set
    ).values("criterion_id")
    return _all_scores(assessment).filter(criterion_id__in=ids)


def _refuse_problems(scores: Iterable[Score]) -> None:
    found = problems(scores)
    if found:
        lines = [f"{p.code}: {p.message}" for p in found]
        raise ValidationError(
            [_("Nothing was handed in; fix these criteria first:"), *lines], code="problems"
        )


def _move(record: R, status: str, stamp: str, by: User | None = None, *also: str) -> R:
    """The record (a submission or an assessment) moves to `status`; `<stamp>_at` notes when, and
    `<stamp>_by` who, if given. Only these fields (and `also`) are written: the totals kept by
    `recompute` are never overwritten by a record read before them."""
    record.status = status
    fields = ["status", f"{stamp}_at", *also]
    setattr(record, f"{stamp}_at", clock.now())
    if by is not None:
        setattr(record, f"{stamp}_by", by)
        fields.append(f"{stamp}_by")
    record.save(update_fields=fields)
    return record


@transaction.atomic
def submit_department(submission: DepartmentSubmission, by: User) -> DepartmentSubmission:
    _refuse_if_locked(submission.assessment)
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("These scores have already been handed in."))
    _refuse_problems(department_scores(submission.assessment, submission.department))
    # Accepted after its due date too, with the date it was held to: the late mark follows.
    submission.due_when_submitted = submission.assessment.departments_due
    _move(submission, SubmissionStatus.SUBMITTED, "submitted", by, "due_when_submitted")
    handoffs.department_submitted(submission)
    return submission


@transaction.atomic
def review_department(
    submission: DepartmentSubmission, by: User, *, accept: bool, note: str = ""
) -> DepartmentSubmission:
    _refuse_if_locked(submission.assessment)
    if submission.status != SubmissionStatus.SUBMITTED and accept:
        raise ValidationError(_("Only handed-in scores can be accepted."))
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Only handed-in scores can be returned."))
    if not accept and not note.strip():
        raise ValidationError(_("Say what the department must correct."))
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.review_note = note.strip()
    submission.save()
    everyone = not submission.assessment.submissions.exclude(
        status=SubmissionStatus.ACCEPTED
    ).exists()
    handoffs.department_reviewed(submission, ready=accept and everyone)
    if not accept:
        handoffs.department_to_score(submission, note=submission.review_note)
    return submission


@transaction.atomic
def approve(assessment: Assessment, by: User) -> Assessment:
    """The leadership approves the consolidated self-assessment."""
    refuse_if_period_closed(assessment.period_id)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Only a self-assessment being prepared can be approved."))
    missing = [c.code for c in unassigned(assessment.unit, assessment.criteria_set)]
    if missing:
        raise ValidationError(
            _("Criteria not assigned to a department: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    waiting = [
        s.department.name
        for s in assessment.submissions.select_related("department")
        if s.status != SubmissionStatus.ACCEPTED
    ]
    if waiting:
        raise ValidationError(
            _("The focal officer has not accepted the scores of: %(names)s.")
            % {"names": "; ".join(waiting)}
        )
    _refuse_problems(_all_scores(assessment))
    _move(assessment, AssessmentStatus.APPROVED, "approved", by)
    handoffs.approved(assessment)
    return assessment


@transaction.atomic
def submit(assessment: Assessment, by: User) -> Assessment:
    """Sent to the province; from now on the commune's scores are locked."""
    refuse_if_period_closed(assessment.period_id)
    if assessment.status != AssessmentStatus.APPROVED:
        raise ValidationError(_("The leadership must approve the self-assessment first."))
    assessment.due_when_submitted = assessment.due
    _move(assessment, AssessmentStatus.SUBMITTED, "submitted", by, "due_when_submitted")
    freeze(assessment)
    handoffs.submitted(assessment)
    crash.point("assessment.submitted")
    return assessment


@transaction.atomic
def withdraw(assessment: Assessment, by: User, *, on: date | None = None) -> Assessment:
    """Before the deadline and before appraisal, the commune takes its submission back."""
    on = on or clock.today()
    refuse_if_period_closed(assessment.period_id)
    if assessment.status not in (AssessmentStatus.APPROVED, AssessmentStatus.SUBMITTED):
        raise ValidationError(_("Only an approved or submitted self-assessment can be withdrawn."))
    if on > assessment.due:
        raise ValidationError(
            _("The deadline of %(due)s has passed; the submission can no longer be withdrawn.")
            % {"due": assessment.due.strftime("%d/%m/%Y")}
        )
    if assessment.scores.exclude(appraised_points=None).exists():
        raise ValidationError(_("The province has started appraising; it cannot be withdrawn."))
    assessment.status = AssessmentStatus.DRAFT
    assessment.approved_by = assessment.approved_at = None
    assessment.submitted_by = assessment.submitted_at = None
    assessment.due_when_submitted = None
    assessment.save(
        update_fields=[
            "status",
            "approved_by",
            "approved_at",
            "submitted_by",
            "submitted_at",
            "due_when_submitted",
        ]
    )
    # Departments correct their scores: handed-in work goes back to them.
    assessment.submissions.update(status=SubmissionStatus.RETURNED)
    thaw(assessment)
    handoffs.withdrawn(assessment)
    return assessment


# --- appraisal --------------------------------------------------------------------------------


@transaction.atomic
def appraise_score(score: Score, by: User, *, points: Decimal, reason: str = "") -> Score:
    """The province's score of one criterion; the commune's self-score is never touched."""
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    if score.assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Appraisal is done while the self-assessment is submitted."))
    points = score.assessment.period.framework.round(points)
    check_points(score.criterion, points)
    if (
        score.criterion.source != Source.SURVEY
        and points != score.self_points
        and not reason.strip()
    ):
        raise ValidationError(
            _("Give the reason for appraising criterion %(code)s differently.")
            % {"code": score.criterion.code}
        )
    score.appraised_points = points
    score.appraisal_reason = reason.strip()
    score.updated_by = by
    score.save()
    recompute(score.assessment)
    return score


@transaction.atomic
def send_appraisal(assessment: Assessment, by: User, *, on: date | None = None) -> Assessment:
    """Send the appraised scores to the commune, which may answer once within the set days."""
    on = on or clock.today()
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted self-assessment can be appraised."))
    # The survey criteria bound to a campaign take its share; the others are typed.
    for score in assessment.scores.filter(
        criterion__source=Source.SURVEY, appraised_points=None, proposed_points__isnull=False
    ):
        score.appraised_points = score.proposed_points
        score.updated_by = by
        score.save()
    missing_survey = assessment.scores.filter(
        criterion__source=Source.SURVEY, appraised_points=None
    ).select_related("criterion")
    if missing_survey:
        raise ValidationError(
            _("Enter the survey points first: %(codes)s.")
            % {"codes": ", ".join(s.criterion.code for s in missing_survey)}
        )
    # Criteria the appraiser left alone keep the commune's score.
    for score in assessment.scores.filter(appraised_points=None):
        score.appraised_points = score.self_points or ZERO
        score.updated_by = by
        score.save()
    assessment.answer_due = on + timedelta(days=assessment.period.answer_days)
    _move(assessment, AssessmentStatus.APPRAISED, "appraised", None, "answer_due")
    recompute(assessment)
    handoffs.appraisal_sent(assessment)
    return assessment


def _refuse_if_answer_late(assessment: Assessment, on: date | None = None) -> None:
    on = on or clock.today()
    if assessment.answer_due and on > assessment.answer_due:
        raise ValidationError(
            _("The time to answer ended on %(due)s.")
            % {"due": assessment.answer_due.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def save_answer(score: Score, by: User, text: str) -> Score:
    """The commune's answer on one criterion, kept until the answer is sent (it may change)."""
    score = Score.objects.select_for_update().select_related("assessment").get(pk=score.pk)
    if score.assessment.status == AssessmentStatus.ANSWERED:
        raise ValidationError(_("The commune has already answered the appraisal once."))
    if score.assessment.status != AssessmentStatus.APPRAISED:
        raise ValidationError(_("There is no appraisal to answer."))
    _refuse_if_answer_late(score.assessment)
    score.answer = text.strip()
    score.updated_by = by
    score.save()
    return score


@transaction.atomic
def answer_appraisal(
    assessment: Assessment,
    by: User,
    answers: dict[int, str] | None = None,
    *,
    on: date | None = None,
) -> Assessment:
    """The commune's one answer (giải trình) to the appraisal, within the set time: the answers
    given here and those already written on the criteria's pages are sent together."""
    if assessment.status == AssessmentStatus.ANSWERED:
        raise ValidationError(_("The commune has already answered the appraisal once."))
    if assessment.status != AssessmentStatus.APPRAISED:
        raise ValidationError(_("There is no appraisal to answer."))
    _refuse_if_answer_late(assessment, on)
    texts = {pk: text.strip() for pk, text in (answers or {}).items() if text and text.strip()}
    scores = {s.pk: s for s in assessment.scores.filter(pk__in=list(texts))}
    if len(scores) != len(texts):
        raise ValidationError(_("An answer refers to a criterion of another assessment."))
    for pk, text in texts.items():
        score = scores[pk]
        score.answer = text
        score.updated_by = by
        score.save()
    if not assessment.scores.exclude(answer="").exists():
        raise ValidationError(_("Write the answer for at least one criterion."))
    _move(assessment, AssessmentStatus.ANSWERED, "answered")
    handoffs.answered(assessment)
    return assessment


@transaction.atomic
def decide_answer(
    score: Score,
    by: User,
    *,
    accept: bool,
    points: Decimal | None = None,
    reason: str = "",
) -> Score:
    """The appraiser's decision on the commune's answer to one criterion: accepted, the score
    becomes `points` (the commune's self-score unless given); kept, the appraised score stays,
    with the reason."""
    score = (
        Score.objects.select_for_update()
        .select_related("assessment__period__framework", "criterion")
        .get(pk=score.pk)
    )
    if score.assessment.status != AssessmentStatus.ANSWERED:
        raise ValidationError(_("Answers are decided once the commune has sent them."))
    if not score.answer:
        raise ValidationError(_("The commune did not answer on this criterion."))
    reason = reason.strip()
    if accept:
        if points is None:
            points = score.self_points if score.self_points is not None else ZERO
        points = score.assessment.period.framework.round(points)
        check_points(score.criterion, points)
        score.decision, score.final_points = Decision.ACCEPTED, points
    else:
        if not reason:
            raise ValidationError(_("Say why the appraised score is kept."))
        score.decision, score.final_points = Decision.KEPT, score.appraised_points
    score.decision_reason = reason
    score.updated_by = by
    score.save()
    recompute(score.assessment)
    return score


@dataclass(frozen=True)
class Change:
    """What closing does to one criterion."""

    score: Score
    appraised: Decimal | None
    final: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.final or ZERO) - (self.appraised or ZERO)


@dataclass(frozen=True)
class Closing:
    changes: list[Change]
    undecided: list[Score]

    @property
    def total_change(self) -> Decimal:
        return sum((c.difference for c in self.changes), ZERO)


def _finals_of(score: Score, finals: dict[int, Decimal]) -> Decimal | None:
    if score.pk in finals:
        return finals[score.pk]
    return score.final_points if score.decision else score.appraised_points


def closing(assessment: Assessment, finals: dict[int, Decimal] | None = None) -> Closing:
    """What closing would change, for the appraiser to confirm: scores whose final differs from
    the appraisal, and answers not decided (they keep the appraised score)."""
    finals = finals or {}
    changes, undecided = [], []
    framework = assessment.period.framework
    for score in assessment.scores.select_related("criterion").order_by("criterion__sort"):
        final = _finals_of(score, finals)
        final = framework.round(final) if final is not None else None
        if final != score.appraised_points:
            changes.append(Change(score, score.appraised_points, final))
        if score.answer and not score.decision:
            undecided.append(score)
    return Closing(changes, undecided)


@transaction.atomic
def close(
    assessment: Assessment,
    by: User,
    finals: dict[int, Decimal] | None = None,
    *,
    on: date | None = None,
) -> Assessment:
    """The province closes with final scores: the decided ones, else the appraised ones, unless
    changed here."""
    on = on or clock.today()
    finals = finals or {}
    if assessment.status not in (AssessmentStatus.APPRAISED, AssessmentStatus.ANSWERED):
        raise ValidationError(_("Only an appraised self-assessment can be closed."))
    if (
        assessment.status == AssessmentStatus.APPRAISED
        and assessment.answer_due
        and on <= assessment.answer_due
    ):
        raise ValidationError(
            _("The commune may still answer until %(due)s.")
            % {"due": assessment.answer_due.strftime("%d/%m/%Y")}
        )
    framework = assessment.period.framework
    for score in assessment.scores.select_related("criterion"):
        final = framework.round(_finals_of(score, finals) or ZERO)
        check_points(score.criterion, final)
        if final != score.final_points:
            score.final_points = final
            score.updated_by = by
            score.save()
    _move(assessment, AssessmentStatus.CLOSED, "closed")
    recompute(assessment)
    handoffs.closed(assessment)
    return assessment


# --- deadlines --------------------------------------------------------------------------------

_STAGE_OPEN = {
    DeadlineStage.DEPARTMENTS: (AssessmentStatus.DRAFT,),
    DeadlineStage.SUBMISSION: (AssessmentStatus.DRAFT, AssessmentStatus.APPROVED),
    DeadlineStage.ANSWER: (AssessmentStatus.APPRAISED,),
}


def deadline(assessment: Assessment, stage: str) -> date | None:
    return {
        DeadlineStage.DEPARTMENTS: assessment.departments_due,
        DeadlineStage.SUBMISSION: assessment.due,
        DeadlineStage.ANSWER: assessment.answer_due,
    }[DeadlineStage(stage)]


@transaction.atomic
def extend_deadline(
    assessment: Assessment, by: User, *, stage: str, due: date, reason: str
) -> Extension:
    """The province moves one of a commune's due dates later, with the reason kept."""
    try:
        stage = DeadlineStage(stage)
    except ValueError as exc:
        raise ValidationError(_("Choose which due date to move.")) from exc
    assessment = (
        Assessment.objects.select_for_update().select_related("period").get(pk=assessment.pk)
    )
    refuse_if_period_closed(assessment.period_id)
    if assessment.status not in _STAGE_OPEN[stage]:
        raise ValidationError(_("That stage is over; its due date can no longer be moved."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for moving the due date."))
    previous = deadline(assessment, stage)
    if previous is not None and due <= previous:
        raise ValidationError(
            _("The new due date must be after %(due)s.") % {"due": previous.strftime("%d/%m/%Y")}
        )
    if stage == DeadlineStage.DEPARTMENTS and due > assessment.due:
        raise ValidationError(
            _("The departments' due date cannot be after the submission's (%(due)s).")
            % {"due": assessment.due.strftime("%d/%m/%Y")}
        )
    field = {
        DeadlineStage.DEPARTMENTS: "department_due",
        DeadlineStage.SUBMISSION: "submission_due",
        DeadlineStage.ANSWER: "answer_due",
    }[stage]
    setattr(assessment, field, due)
    assessment.save(update_fields=[field])
    extension = Extension.objects.create(
        assessment=assessment,
        stage=stage,
        previous_due=previous or due,
        due=due,
        reason=reason.strip(),
        granted_by=by,
    )
    handoffs.deadline_moved(assessment, stage)
    return extension
