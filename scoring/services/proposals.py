"""Scores proposed from the records the system holds, for the criteria bound to a data rule.

While the self-assessment is a draft, each bound criterion's proposal (points, the figure, the
period it covers, the records behind it) is recomputed when its page is opened, and written only
where it changed. The department accepts it (the self-score becomes it, and follows it while the
draft lasts) or overrides it with a reason. At submission the proposals are computed one last
time and frozen; a proposal never changes a submitted or appraised score. Accepting and
overriding are `assessment.accept_proposal` and `assessment.override_proposal`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from core import clock
from core.domains import CriterionFacts, FactItem, FactsQuery, plugins
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Assignment,
    DepartmentSubmission,
    Period,
    PeriodKind,
    ProposalChoice,
    Score,
    Source,
    SubmissionStatus,
)
from scoring.services import rules
from scoring.services.points import points_for
from scoring.services.results import recompute

log = logging.getLogger(__name__)

PROPOSAL_FIELDS = (
    "proposed_value",
    "proposed_points",
    "proposal_figure",
    "proposal_period",
    "proposal_links",
)


def window(period: Period) -> tuple[date, date]:
    """The days a period's figures cover: the first six months, or the whole year."""
    year = period.framework.year
    end = date(year, 6, 30) if period.kind == PeriodKind.SIX_MONTH else date(year, 12, 31)
    return date(year, 1, 1), end


def query_for(assessment: Assessment, on: date | None = None) -> FactsQuery:
    start, end = window(assessment.period)
    return FactsQuery(
        unit_id=assessment.unit_id,
        year=assessment.period.framework.year,
        start=start,
        end=end,
        on=on or clock.today(),
    )


def gather(query: FactsQuery, names: set[str]) -> dict[str, list[FactItem]]:
    """The facts asked for, each domain asked once."""
    found: dict[str, list[FactItem]] = {}
    for source in plugins(CriterionFacts):
        wanted = names & set(source.FACTS)
        if wanted:
            found.update(source.criterion_facts(query, wanted))
    for name in names - set(found):
        found[name] = []  # a domain not installed holds nothing
    return found


def _bound(assessment: Assessment):
    return (
        assessment.scores.exclude(criterion__rule="")
        .select_related("criterion")
        .order_by("criterion__sort")
    )


def _computed(score: Score, facts, query: FactsQuery, framework) -> dict | None:
    """The proposal's fields for a score, or None when its rule no longer fits the criterion."""
    criterion = score.criterion
    try:
        params = rules.check(criterion, criterion.rule, criterion.rule_params)
        outcome = rules.RULES[criterion.rule].compute(criterion, params, facts, query)
        points = None
        if outcome.value is not None:
            if criterion.source == Source.SURVEY:
                points = framework.round(rules.survey_points(criterion, outcome.share))
                points = min(points, criterion.max_points)
            else:
                points = points_for(criterion, outcome.value, framework)
    except (ValidationError, KeyError, ValueError):
        return None
    cutoff = min(query.on, query.end)
    return {
        "proposed_value": outcome.value,
        "proposed_points": points,
        "proposal_figure": outcome.figure,
        "proposal_period": f"{query.start:%d/%m/%Y} – {cutoff:%d/%m/%Y}",
        "proposal_links": outcome.links,
    }


def _same(score: Score, fields: dict) -> bool:
    for name, value in fields.items():
        current = getattr(score, name)
        if isinstance(value, Decimal) or isinstance(current, Decimal):
            if (current is None) != (value is None) or (
                current is not None and Decimal(current) != Decimal(value)
            ):
                return False
        elif current != value:
            return False
    return True


def _follows(score: Score, handed_in: set[int]) -> bool:
    """An accepted self-score follows its proposal while the department may still change it."""
    return (
        score.proposal_choice == ProposalChoice.ACCEPTED
        and score.criterion.source != Source.SURVEY
        and score.pk not in handed_in
    )


def _handed_in(assessment: Assessment) -> set[int]:
    departments = DepartmentSubmission.objects.filter(
        assessment=assessment,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED],
    ).values("department_id")
    criteria = Assignment.objects.filter(
        unit_id=assessment.unit_id, department_id__in=departments
    ).values("criterion_id")
    return set(assessment.scores.filter(criterion_id__in=criteria).values_list("pk", flat=True))


@transaction.atomic
def _compute(assessment: Assessment, *, on: date | None = None, freeze: bool = False) -> int:
    scores = list(_bound(assessment))
    if not scores:
        return 0
    framework = assessment.period.framework
    query = query_for(assessment, on)
    names = {name for s in scores for name in rules.RULES[s.criterion.rule].facts}
    facts = gather(query, names)
    handed_in = _handed_in(assessment) if not freeze else set()
    now = clock.now()
    changed = 0
    moved = False
    for score in scores:
        fields = _computed(score, facts, query, framework)
        if fields is None:
            fields = dict.fromkeys(PROPOSAL_FIELDS)
            fields.update(proposal_figure="", proposal_period="", proposal_links=[])
        update = set()
        if not _same(score, fields):
            for name, value in fields.items():
                setattr(score, name, value)
            update |= set(PROPOSAL_FIELDS)
            if (
                not freeze
                and _follows(score, handed_in)
                and score.proposed_value is not None
                and score.value != score.proposed_value
            ):
                score.value, score.self_points = score.proposed_value, score.proposed_points
                update |= {"value", "self_points"}
                moved = True
        if freeze:
            score.proposal_frozen_at = now
            update.add("proposal_frozen_at")
        if update:
            score.proposal_computed_at = now
            update.add("proposal_computed_at")
            # One by one, so that the history keeps every proposal and what it was made of.
            score.save(update_fields=sorted(update))
            changed += 1
    # Checked now, changed or not (one statement, nothing for the history to keep).
    Score.objects.filter(pk__in=[s.pk for s in scores]).update(proposal_computed_at=now)
    if moved:
        recompute(assessment)
    return changed


def refresh(assessment: Assessment, *, on: date | None = None) -> int:
    """Recompute the draft's proposals; returns how many changed. A self-assessment past the
    draft keeps its proposals as they stood."""
    if assessment.status != AssessmentStatus.DRAFT:
        return 0
    return _compute(assessment, on=on)


def refresh_if_stale(assessment: Assessment, seconds: int | None = None) -> int:
    """`refresh`, unless the proposals were checked less than `seconds` ago (the setting
    SCORING_PROPOSALS_FRESH_SECONDS, 60 by default): a page opened again and again reads the
    records once a minute at most. A criterion's page always recomputes (`refresh`)."""
    if assessment.status != AssessmentStatus.DRAFT:
        return 0
    if seconds is None:
        seconds = getattr(settings, "SCORING_PROPOSALS_FRESH_SECONDS", 60)
    oldest = (
        assessment.scores.exclude(criterion__rule="")
        .order_by(F("proposal_computed_at").asc(nulls_first=True))
        .values_list("proposal_computed_at", flat=True)
        .first()
    )
    if oldest is not None and clock.now() - oldest < timedelta(seconds=seconds):
        return 0
    return _compute(assessment)


@dataclass
class RefreshReport:
    """What a period-wide recomputation did: drafts checked, drafts whose proposals changed,
    proposals changed, the drafts that failed (by id) and the time taken."""

    assessments: int = 0
    changed_assessments: int = 0
    proposals_changed: int = 0
    failed: list[int] = field(default_factory=list)
    seconds: float = 0.0
    assessment_seconds: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "assessments": self.assessments,
            "changed_assessments": self.changed_assessments,
            "proposals_changed": self.proposals_changed,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
        }


def _refresh_one(pk: int, on: date | None) -> int | None:
    """One draft's proposals in a transaction of their own; None when it is no longer a draft.
    The row is locked and its status read again: a draft submitted meanwhile keeps its frozen
    proposals."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("period__framework")
            .filter(pk=pk, status=AssessmentStatus.DRAFT)
            .first()
        )
        if assessment is None:
            return None
        return _compute(assessment, on=on)


def refresh_period(period: Period, *, on: date | None = None) -> RefreshReport:
    """Recompute the proposals of every draft self-assessment of `period`, each in its own
    transaction: a draft that fails is logged and left as it was, the others go on. A closed
    period changes no more."""
    report = RefreshReport()
    started = time.perf_counter()
    if Period.objects.filter(pk=period.pk, closed_at__isnull=False).exists():
        return report
    drafts = list(
        Assessment.objects.filter(period=period, status=AssessmentStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in drafts:
        began = time.perf_counter()
        try:
            changed = _refresh_one(pk, on)
        except Exception:
            log.exception("Proposals of assessment %s could not be recomputed", pk)
            report.failed.append(pk)
            continue
        finally:
            report.assessment_seconds.append(time.perf_counter() - began)
        if changed is None:
            continue
        report.assessments += 1
        report.proposals_changed += changed
        if changed:
            report.changed_assessments += 1
    report.seconds = time.perf_counter() - started
    log.info(
        "Proposals of period %s: %d drafts, %d changed, %d proposals, %d failed, %.1f s",
        period.pk,
        report.assessments,
        report.changed_assessments,
        report.proposals_changed,
        len(report.failed),
        report.seconds,
    )
    return report


def freeze(assessment: Assessment) -> int:
    """The proposals as they stand at submission, kept with the figures they used."""
    return _compute(assessment, freeze=True)


def thaw(assessment: Assessment) -> None:
    """A self-assessment withdrawn to be corrected: its proposals follow the data again."""
    assessment.scores.exclude(proposal_frozen_at=None).update(proposal_frozen_at=None)


def findings_by_criterion(assessment: Assessment) -> dict[int, list[FactItem]]:
    """The unit's open inspection findings linked to a criterion, by criterion id."""
    facts = gather(query_for(assessment), {"inspections.open_findings"})
    found: dict[int, list[FactItem]] = defaultdict(list)
    for item in facts["inspections.open_findings"]:
        if item.group.isdigit():
            found[int(item.group)].append(item)
    return found
