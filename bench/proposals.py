"""Benchmark of the self-assessment page with criteria bound to data rules.

Builds a framework of 150 leaf criteria, 40 of them bound (plan issued, tasks on time, reports
on time, findings fixed, initiatives, targets, survey themes), and a commune holding the records
they read: a plan of 300 tasks with 20 targets, four quarterly reports, 60 inspection findings,
a survey campaign of 400 answers and three initiatives. Times, warm, with Django's test client:
the self-assessment page (which recomputes its proposals on opening when they are older than the
freshness window) against a floor page (logged in, base layout only), warm (its rows kept from
the previous opening) and cold (every row rendered), and the recomputation of every proposal of
the commune from scratch. The last line is one JSON object.

    .venv/bin/python bench/proposals.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from core import clock

D = Decimal
TODAY = date(2026, 6, 15)


def _framework(province):
    from scoring import services
    from scoring.models import Method, Rule
    from scoring.services import CriterionData

    rows = []
    for area in range(1, 11):
        survey = area == 10
        rows.append(CriterionData(str(area), f"Lĩnh vực {area}", D(10), Method.SUM))
        for leaf in range(15):
            top = D(1) if leaf < 5 else D("0.5")
            code = f"{area}.{leaf + 1}"
            if survey:
                rows.append(CriterionData(code, f"Chỉ số hài lòng {leaf}", top, Method.SURVEY))
            elif area <= 3 and leaf >= 5 and leaf < 10:
                tiers = services.parse_tiers(f"100%: {top}; từ 80%: {top / 2}; dưới 80%: 0")
                rows.append(CriterionData(code, f"Tiêu chí {code}", top, Method.TIERS, tiers=tiers))
            elif area == 2 and leaf < 5:
                rows.append(
                    CriterionData(
                        code, f"Tiêu chí {code}", top, Method.DEDUCTION, deduction=D("0.25")
                    )
                )
            elif area in (1, 3) and leaf < 5:
                rows.append(CriterionData(code, f"Tiêu chí {code}", top, Method.YES_NO))
            else:
                rows.append(CriterionData(code, f"Tiêu chí {code}", top, Method.MANUAL))
    framework = services.create_framework(province, year=2026, name="Bộ tiêu chí thử 2026")
    services.add_set(framework, "commune_level", "Xã, phường", rows)
    period = services.create_period(
        framework,
        kind="six_month",
        name="6 tháng 2026",
        department_due=date(2026, 6, 21),
        submission_due=date(2026, 6, 30),
    )
    bindings = {}
    for leaf in range(1, 6):
        bindings[f"1.{leaf}"] = (Rule.PLAN_ISSUED, {"kind": "annual", "by": "2026-01-31"})
        bindings[f"1.{leaf + 5}"] = (Rule.TASKS_ON_TIME, {"area": str(leaf)})
        bindings[f"2.{leaf}"] = (Rule.REPORTS_ON_TIME, {"measure": "missed"})
        bindings[f"2.{leaf + 5}"] = (Rule.FINDINGS_FIXED, {})
        bindings[f"3.{leaf}"] = (Rule.INITIATIVES, {"level": "any"})
        bindings[f"3.{leaf + 5}"] = (Rule.TARGETS_MET, {})
    for leaf in range(1, 11):
        bindings[f"10.{leaf}"] = (Rule.SURVEY_SHARE, {"theme": leaf % 6})
    assert services.bind_codes(framework, bindings) == 40
    return framework, period


def _records(unit, departments, focal) -> None:
    _records_of([(unit, departments)], focal)


def _questionnaires(units) -> dict:
    """The default questionnaire of each unit, in bulk (`create_default_questionnaire` asks one
    query per question)."""
    from surveys.models import Question, Questionnaire, Section
    from surveys.services import DEFAULT_INTRO, DEFAULT_SECTIONS, DEFAULT_TITLE

    questionnaires = Questionnaire.objects.bulk_create(
        Questionnaire(unit=u, title=DEFAULT_TITLE, intro=DEFAULT_INTRO) for u in units
    )
    sections = Section.objects.bulk_create(
        Section(questionnaire=q, order=order, title=title)
        for q in questionnaires
        for order, (title, _questions) in enumerate(DEFAULT_SECTIONS, start=1)
    )
    per = len(DEFAULT_SECTIONS)
    Question.objects.bulk_create(
        (
            Question(
                section=sections[i * per + s_order],
                order=q_order,
                kind=kind,
                text=text,
                required=required,
                options=list(rest[0]) if rest else [],
            )
            for i in range(len(questionnaires))
            for s_order, (_title, questions) in enumerate(DEFAULT_SECTIONS)
            for q_order, (kind, text, required, *rest) in enumerate(questions, start=1)
        ),
        batch_size=2000,
    )
    return {q.unit_id: q for q in questionnaires}


def _records_of(communes, focal) -> None:
    """The records the bound criteria read, for each (unit, departments) of `communes`, in bulk:
    a plan of 300 tasks with 20 targets, four quarterly reports (two sent, one late), 60
    inspection findings, three initiatives and a survey campaign of 400 answers."""
    from django.utils import timezone

    from core.text import search_key
    from initiatives.models import Initiative, InitiativeStatus
    from inspections.models import Finding, FindingStatus, InspectionPlan, Round, RoundStatus
    from plans.models import Comparator, Milestone, Plan, ReformArea, Target, Task, TaskStatus
    from reports.models import PeriodKind, Report, ReportingPeriod, ReportStatus
    from surveys.models import Campaign, Question, QuestionKind, Tally

    units = [unit for unit, _departments in communes]
    staff = {unit.pk: departments for unit, departments in communes}
    plans = Plan.objects.bulk_create(
        Plan(
            unit=unit,
            title="Kế hoạch CCHC năm 2026",
            number="12/KH-UBND",
            search_text=search_key("Kế hoạch CCHC năm 2026", "12/KH-UBND"),
            issued_on=date(2026, 1, 20),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        for unit in units
    )
    areas = ReformArea.objects.bulk_create(
        ReformArea(plan=plan, order=i, code=str(i), name=f"Lĩnh vực {i}")
        for plan in plans
        for i in range(1, 8)
    )
    statuses = [TaskStatus.DONE] * 8 + [TaskStatus.DONE_LATE, TaskStatus.OVERDUE]
    tasks = Task.objects.bulk_create(
        (
            Task(
                plan=plan,
                area=areas[p * 7 + i % 7],
                order=i,
                number=str(i),
                content=f"Nhiệm vụ {i}",
                lead_department=staff[plan.unit_id][i % len(staff[plan.unit_id])],
                status=statuses[i % 10],
            )
            for p, plan in enumerate(plans)
            for i in range(300)
        ),
        batch_size=2000,
    )
    Milestone.objects.bulk_create(
        (
            Milestone(task=t, kind="due", due=date(2026, 1, 15) + timedelta(days=i % 300))
            for i, t in enumerate(tasks)
        ),
        batch_size=2000,
    )
    Target.objects.bulk_create(
        (
            Target(
                plan=plan, order=i, code=str(i), text=f"Chỉ tiêu {i}", comparator=Comparator.UNKNOWN
            )
            for plan in plans
            for i in range(20)
        ),
        batch_size=2000,
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=plan,
            unit_id=plan.unit_id,
            kind=PeriodKind.QUARTER,
            year=2026,
            number=q,
            start=date(2026, 3 * q - 2, 1),
            end=date(2026, 3 * q, 28),
            department_due=date(2026, 3 * q, 5),
            unit_due=date(2026, 3 * q, 10),
        )
        for plan in plans
        for q in range(1, 5)
    )
    Report.objects.bulk_create(
        Report(
            period=period,
            status=ReportStatus.SENT,
            sent_at=timezone.make_aware(
                datetime.combine(date(2026, 3 * period.number, 9), time(9))
            ),
            sent_late=period.number == 2,
        )
        for period in periods
        if period.number <= 2
    )
    iplans = InspectionPlan.objects.bulk_create(
        InspectionPlan(unit=unit, title="Kiểm tra 2026", year=2026) for unit in units
    )
    rounds = Round.objects.bulk_create(
        Round(
            plan=iplan,
            name="Đợt 1",
            start=date(2026, 3, 2),
            end=date(2026, 3, 6),
            status=RoundStatus.CONCLUDED,
        )
        for iplan in iplans
    )
    Finding.objects.bulk_create(
        (
            Finding(
                round=round_,
                department=staff[iplan.unit_id][i % len(staff[iplan.unit_id])],
                responsible_department=staff[iplan.unit_id][i % len(staff[iplan.unit_id])],
                description=f"Tồn tại {i}",
                deadline=date(2026, 3, 20) + timedelta(days=i),
                status=FindingStatus.CLOSED if i % 3 else FindingStatus.OPEN,
                remediated_on=date(2026, 3, 19) + timedelta(days=i) if i % 3 else None,
                created_by=focal,
            )
            for iplan, round_ in zip(iplans, rounds, strict=True)
            for i in range(60)
        ),
        batch_size=2000,
    )
    Initiative.objects.bulk_create(
        Initiative(
            unit=unit,
            title=f"Sáng kiến {i}",
            authors="Tác giả",
            problem="…",
            solution="…",
            status=InitiativeStatus.RECOGNISED_COMMUNE,
            decided_on=date(2026, 4, 10 + i),
        )
        for unit in units
        for i in range(3)
    )
    questionnaires = _questionnaires(units)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            unit=unit,
            questionnaire=questionnaires[unit.pk],
            title="Khảo sát 6 tháng",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
        )
        for unit in units
    )
    ratings: dict[int, list] = {}
    for q in Question.objects.filter(
        section__questionnaire__in=list(questionnaires.values()), kind=QuestionKind.RATING
    ).select_related("section"):
        ratings.setdefault(q.section.questionnaire_id, []).append(q)
    Tally.objects.bulk_create(
        (
            Tally(campaign=campaign, question=q, value=value, n=400 // (6 - value))
            for campaign in campaigns
            for q in ratings[campaign.questionnaire_id]
            for value in range(1, 6)
        ),
        batch_size=2000,
    )


def build():
    from org.models import Department, Role, RoleGrant, Unit, User
    from scoring import services

    province = Unit.objects.create(code="BENCH", name="Tỉnh Thử", kind="province")
    unit = Unit.objects.create(code="BENCH-X", name="Phường Thử", kind="ward", parent=province)
    departments = [Department.objects.create(unit=unit, name=f"Phòng {i}") for i in range(5)]
    focal = User.objects.create(
        username="bench-focal", full_name="Đầu mối", unit=unit, department=departments[0]
    )
    RoleGrant.objects.create(user=focal, role=Role.FOCAL, unit=unit)
    framework, period = _framework(province)
    for i, criterion in enumerate(services.assignable(framework.sets.get())):
        services.assign(unit, criterion, departments[i % len(departments)])
    _records(unit, departments, focal)
    assessment = services.open_assessment(period, unit)
    return unit, focal, assessment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    common.fresh_database()
    clock.today = lambda: TODAY

    from django.urls import reverse

    from scoring import services
    from scoring.models import Score

    unit, focal, assessment = build()
    client = common.signed_in(focal, unit)
    figures: dict[str, float] = {"criteria": assessment.scores.count(), "bound": 40}
    # The same commune and framework with no criterion bound: what the page costs without
    # proposals, measured in the same run.
    from scoring.models import Criterion

    bound = {c.pk: (c.rule, c.rule_params) for c in Criterion.objects.exclude(rule="")}
    Criterion.objects.filter(pk__in=bound).update(rule="")
    common.record(
        figures,
        "self_assessment_page_unbound",
        common.measure(client, reverse("scoring_assessment", args=[assessment.pk]), args.repeat),
    )
    for pk, (rule, params) in bound.items():
        Criterion.objects.filter(pk=pk).update(rule=rule, rule_params=params)
    pages = {
        "floor_page": reverse("bench_floor"),
        "self_assessment_page": reverse("scoring_assessment", args=[assessment.pk]),
        "self_assessment_page_unbound": "",
    }
    for name, url in pages.items():
        if url:
            common.record(figures, name, common.measure(client, url, args.repeat))
    common.over_floor(figures, pages)
    # The first opening after a change to every row (or after a restart): no row kept.
    from core import fragments

    def cold() -> None:
        fragments.forget_all()
        client.get(pages["self_assessment_page"])

    times = common.timed_ms(cold, args.repeat)
    figures["self_assessment_page_cold_ms_median"] = round(statistics.median(times), 2)
    figures["self_assessment_page_cold_over_floor"] = round(
        figures["self_assessment_page_cold_ms_median"] / figures["floor_page_ms_median"], 2
    )
    # Every open recomputing (the proposals checked longer ago than the freshness window).
    from django.conf import settings

    settings.SCORING_PROPOSALS_FRESH_SECONDS = 0
    common.record(
        figures,
        "self_assessment_page_recomputing",
        common.measure(client, pages["self_assessment_page"], args.repeat),
    )
    common.over_floor(figures, ["self_assessment_page_recomputing"])

    proposed = assessment.scores.exclude(proposed_points=None).count()
    figures["proposed"] = proposed

    def from_scratch() -> None:
        Score.objects.filter(assessment=assessment).update(
            proposed_value=None,
            proposed_points=None,
            proposal_figure="",
            proposal_links=[],
            proposal_computed_at=None,
        )
        services.refresh(assessment)

    times = common.timed_ms(from_scratch, max(5, args.repeat // 3))
    figures["recompute_all_ms_median"] = round(statistics.median(times), 2)
    figures["recompute_all_ms_max"] = round(times[-1], 2)
    unchanged = common.timed_ms(lambda: services.refresh(assessment), args.repeat)
    figures["recheck_unchanged_ms_median"] = round(statistics.median(unchanged), 2)
    print(
        f"recompute all {figures['recompute_all_ms_median']} ms, "
        f"unchanged {figures['recheck_unchanged_ms_median']} ms, {proposed} proposed"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
