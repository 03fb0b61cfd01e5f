"""A framework's assessment periods as the province runs them: opened with their due dates for
every commune of the province or for the communes it chooses, and closed once, for good.

A period open to every commune lets each commune start its own assessment (and starts them all
now); a period open to chosen communes has an assessment for each of them and none for the
others, who cannot start one. A period copied from last year waits, with its dates shifted, until
the province opens it. Closing is refused while the province is still appraising a commune; the
communes that never submitted are listed for the appraiser to confirm, and once closed nothing of
the period changes (`assessment.refuse_if_period_closed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from org.models import Unit, UnitLevel
from scoring import handoffs
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    Period,
    PeriodAudience,
    PeriodKind,
)
from scoring.services.assessment import open_assessment
from scoring.services.assignment import leaves
from scoring.services.frameworks import create_period, set_for_unit

# The province is still at work on these: submitted, appraised, answered.
BEING_APPRAISED = (
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.APPRAISED,
    AssessmentStatus.ANSWERED,
)
NOT_SUBMITTED = (AssessmentStatus.DRAFT, AssessmentStatus.APPROVED)


def communes_of(framework: Framework):
    """The active communes and wards of the framework's province, by name."""
    return Unit.objects.filter(
        province_id=framework.province_id, level=UnitLevel.COMMUNE, is_active=True
    ).order_by("name")


def default_name(kind: str, year: int) -> str:
    """A period's name as the province's documents write it (stored data, in Vietnamese)."""
    if kind == PeriodKind.YEAR:
        return f"Đánh giá năm {year}"
    return f"Đánh giá 6 tháng đầu năm {year}"


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _check_dates(department_due: date, submission_due: date, answer_days: int) -> None:
    if department_due > submission_due:
        raise ValidationError(
            _("Departments' self-scores must be due before the submission to the province.")
        )
    if not 1 <= answer_days <= 60:
        raise ValidationError(_("Give the communes from 1 to 60 days to answer the appraisal."))


@transaction.atomic
def open_period(
    framework: Framework,
    *,
    kind: str,
    name: str,
    department_due: date,
    submission_due: date,
    answer_days: int = 5,
    communes: Sequence[Unit] | None = None,
) -> Period:
    """The period opened with its due dates for every commune of the province (`communes` None)
    or for the communes given; each of them gets its assessment now. A period of that kind copied
    from last year (not opened yet) is opened with these dates; one already opened is refused."""
    if kind not in PeriodKind.values:
        raise ValidationError(_("Choose a six-month or a year period."))
    if not name.strip():
        raise ValidationError(_("Name the period."))
    _check_dates(department_due, submission_due, answer_days)
    if communes is not None and not communes:
        raise ValidationError(_("Choose at least one commune or ward."))
    chosen = list(communes_of(framework) if communes is None else communes)
    strangers = [
        u.name
        for u in chosen
        if u.province_id != framework.province_id or u.level != UnitLevel.COMMUNE
    ]
    if strangers:
        raise ValidationError(
            _("Only communes of the framework's province are assessed: %(names)s.")
            % {"names": ", ".join(strangers)}
        )
    if not chosen:
        raise ValidationError(_("The province has no commune or ward to assess."))
    without = [
        u.name
        for u in chosen
        if (s := set_for_unit(framework, u)) is None or not leaves(s).exists()
    ]
    if without:
        raise ValidationError(
            _("The framework has no criteria yet for: %(names)s.") % {"names": ", ".join(without)}
        )
    audience = PeriodAudience.ALL if communes is None else PeriodAudience.CHOSEN
    period = Period.objects.select_for_update().filter(framework=framework, kind=kind).first()
    if period is None:
        period = create_period(
            framework,
            kind=kind,
            name=name.strip(),
            department_due=department_due,
            submission_due=submission_due,
            answer_days=answer_days,
        )
        if period.opened_for != audience:
            period.opened_for = audience
            period.save(update_fields=["opened_for"])
        for unit in chosen:
            open_assessment(period, unit, chosen=True)
        return period
    if period.closed_at is not None:
        raise ValidationError(
            _("The period “%(name)s” was closed on %(day)s.")
            % {"name": period.name, "day": _day(timezone.localdate(period.closed_at))}
        )
    if period.opened_for != PeriodAudience.PLANNED:
        raise ValidationError(
            _("The period “%(name)s” is already open; add communes to it instead.")
            % {"name": period.name}
        )
    period.name = name.strip()
    period.department_due = department_due
    period.submission_due = submission_due
    period.answer_days = answer_days
    period.opened_for = audience
    period.save()
    for unit in chosen:
        open_assessment(period, unit, chosen=True)
    return period


@transaction.atomic
def add_communes(period: Period, communes: Sequence[Unit]) -> list[Assessment]:
    """Communes left out when the period was opened for some: their assessments opened too."""
    period = Period.objects.select_for_update().select_related("framework").get(pk=period.pk)
    if period.opened_for == PeriodAudience.PLANNED:
        raise ValidationError(_("Open the period first."))
    if not communes:
        raise ValidationError(_("Choose at least one commune or ward."))
    return [open_assessment(period, unit, chosen=True) for unit in communes]


@dataclass(frozen=True)
class PeriodClosing:
    """What closing a period leaves: assessments the province is still appraising (closing is
    refused while there are any), those never submitted (they stay as they are, for good), and
    how many are closed with final scores."""

    being_appraised: list[Assessment]
    not_submitted: list[Assessment]
    closed: int

    @property
    def may_close(self) -> bool:
        return not self.being_appraised


def period_closing(period: Period) -> PeriodClosing:
    assessments = list(period.assessments.select_related("unit").order_by("unit__name"))
    return PeriodClosing(
        being_appraised=[a for a in assessments if a.status in BEING_APPRAISED],
        not_submitted=[a for a in assessments if a.status in NOT_SUBMITTED],
        closed=sum(a.status == AssessmentStatus.CLOSED for a in assessments),
    )


@transaction.atomic
def close_period(period: Period) -> Period:
    """The period closed: no assessment of it changes any more. Refused while the province is
    still appraising a commune's, and a second time."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is not None:
        raise ValidationError(
            _("The period “%(name)s” was already closed on %(day)s.")
            % {"name": period.name, "day": _day(timezone.localdate(period.closed_at))}
        )
    if period.opened_for == PeriodAudience.PLANNED:
        raise ValidationError(_("The period was never opened; there is nothing to close."))
    closing = period_closing(period)
    if not closing.may_close:
        raise ValidationError(
            [
                _("The province is still appraising these communes; close their appraisal first:"),
                *(f"{a.unit.name}: {a.get_status_display()}" for a in closing.being_appraised),
            ]
        )
    period.closed_at = clock.now()
    period.save(update_fields=["closed_at"])
    for assessment in closing.not_submitted:
        handoffs.period_closed(assessment)
    return period
