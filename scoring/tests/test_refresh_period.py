"""A period's proposals recomputed for every commune at once: the service (drafts only, each in
its own transaction), the task through the real worker, the appraiser's button and the command."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import clock
from org.models import Unit, UnitKind
from org.tests.factories import UnitFactory
from plans.models import Plan, PlanKind
from scoring import services
from scoring.models import Assessment, AssessmentStatus, Period, Rule
from scoring.services import proposals
from scoring.tests.conftest import D, Scene, other_commune

TASK_PATH = "scoring.tasks.refresh_period_proposals"


def _plan(unit: Unit) -> Plan:
    return Plan.objects.create(
        unit=unit,
        kind=PlanKind.ANNUAL,
        title="Kế hoạch CCHC năm 2026",
        number="12/KH-UBND",
        issued_on=date(2026, 1, 20),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def _province(scene: Scene) -> tuple[Assessment, Assessment]:
    """Two more communes' drafts beside Đông Quang's, the plan criterion bound; Đông Quang's
    self-assessment marked submitted (as stored) with no proposal yet."""
    services.bind(
        scene.framework, scene.c("1.1"), Rule.PLAN_ISSUED, {"kind": "annual", "by": "2026-01-31"}
    )
    first = services.open_assessment(scene.period, other_commune(scene.world))
    third = UnitFactory(
        code="38-YY", name="Xã Thử", kind=UnitKind.COMMUNE, parent=scene.world.thanhhoa
    )
    second = services.open_assessment(scene.period, third)
    Assessment.objects.filter(pk=scene.assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    for unit in (scene.unit, first.unit, second.unit):
        _plan(unit)
    return first, second


def _proposed(assessment: Assessment):
    return assessment.scores.get(criterion__code="1.1").proposed_points


@pytest.mark.django_db
def test_drafts_are_refreshed_and_submitted_ones_left_as_they_were(scene: Scene):
    first, second = _province(scene)
    report = services.refresh_period(scene.period)
    assert (report.assessments, report.changed_assessments, report.proposals_changed) == (2, 2, 2)
    assert report.failed == [] and report.seconds >= 0
    assert _proposed(first) == D(2) and _proposed(second) == D(2)
    assert _proposed(scene.assessment) is None  # submitted: its proposals do not move
    again = services.refresh_period(scene.period)
    assert (again.assessments, again.changed_assessments, again.proposals_changed) == (2, 0, 0)


@pytest.mark.django_db
def test_one_failing_draft_does_not_stop_the_others(scene: Scene, monkeypatch, caplog):
    first, second = _province(scene)
    compute = proposals._compute

    def breaking(assessment, **kwargs):
        changed = compute(assessment, **kwargs)  # its writes must be rolled back
        if assessment.pk == first.pk:
            raise RuntimeError("records unreadable")
        return changed

    monkeypatch.setattr(proposals, "_compute", breaking)
    report = services.refresh_period(scene.period)
    assert report.failed == [first.pk]
    assert (report.assessments, report.proposals_changed) == (1, 1)
    assert _proposed(first) is None and _proposed(second) == D(2)
    assert f"Proposals of assessment {first.pk} could not be recomputed" in caplog.text


@pytest.mark.django_db
def test_a_closed_period_changes_no_more(scene: Scene):
    first, _second = _province(scene)
    Period.objects.filter(pk=scene.period.pk).update(closed_at=clock.now())
    assert services.refresh_period(scene.period).assessments == 0
    assert _proposed(first) is None
    with pytest.raises(CommandError, match="closed"):
        call_command("refresh_proposals", "--period", str(scene.period.pk), "--now")


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_appraisers_button_queues_the_task_the_worker_runs_it(client, scene: Scene):
    first, second = _province(scene)
    client.force_login(scene.appraiser)
    page = client.get(reverse("scoring_framework", args=[scene.framework.pk])).content.decode()
    url = reverse("scoring_period_refresh", args=[scene.period.pk])
    assert f'action="{url}"' in page
    response = client.post(url, follow=True)
    text = "Đã đưa vào hàng đợi: điểm đề xuất của 2 xã, phường sẽ được tính lại."
    assert text in response.content.decode()
    (queued,) = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert queued.status == "READY" and _proposed(first) is None

    _run_worker()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value["assessments"] == 2
    assert queued.return_value["proposals_changed"] == 2
    assert _proposed(first) == D(2) and _proposed(second) == D(2)
    assert _proposed(scene.assessment) is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal", "head", "leader", "other_appraiser"])
def test_others_cannot_press_it(client, scene: Scene, who):
    _province(scene)
    client.force_login(getattr(scene, who))
    url = reverse("scoring_period_refresh", args=[scene.period.pk])
    assert client.post(url).status_code in (403, 404)
    assert client.get(url).status_code in (403, 404, 405)
    page = client.get(reverse("scoring_framework", args=[scene.framework.pk]))
    assert page.status_code != 200 or f'action="{url}"' not in page.content.decode()
    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


@pytest.mark.django_db
def test_the_command_queues_or_runs_now(scene: Scene):
    first, _second = _province(scene)
    out = StringIO()
    call_command("refresh_proposals", "--period", str(scene.period.pk), stdout=out)
    assert "Queued for the worker" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert _proposed(first) is None

    out = StringIO()
    call_command("refresh_proposals", "--period", str(scene.period.pk), "--now", stdout=out)
    assert "2 drafts checked, 2 changed, 2 proposals changed, 0 failed" in out.getvalue()
    assert _proposed(first) == D(2)
    with pytest.raises(CommandError, match="No period"):
        call_command("refresh_proposals", "--period", "987654", "--now")


@pytest.mark.django_db
def test_the_daily_run_queues_the_open_periods_with_drafts_and_bound_criteria(scene: Scene):
    from notify.tasks import daily_reminders

    _province(scene)
    result = daily_reminders.call("2026-06-15", "daily-reminders:2026-06-15")
    assert result["proposal_periods"] == 1
    (queued,) = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert queued.args_kwargs["args"] == [scene.period.pk]
    Period.objects.filter(pk=scene.period.pk).update(closed_at=clock.now())
    result = daily_reminders.call("2026-06-16", "daily-reminders:2026-06-16")
    assert result["proposal_periods"] == 0


@pytest.mark.django_db
def test_nightly_work_that_fails_to_queue_leaves_the_reminders_alone(monkeypatch, caplog):
    from notify import tasks

    class Broken:
        __name__ = "broken.nightly"

        @staticmethod
        def queue_nightly(on):
            raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "plugins", lambda protocol: [Broken()])
    result = tasks.daily_reminders.call("2026-06-15", "daily-reminders:2026-06-15")
    assert "people" in result and "proposal_periods" not in result
    assert "Nightly work of broken.nightly could not be queued" in caplog.text
