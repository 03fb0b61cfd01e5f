"""Assigning criteria by hand, and taking an assignment away ("—"): the department left with no
criterion loses the submission it has not handed in, and its heads' to-do to score."""

from __future__ import annotations

from django.urls import reverse

from notify.handoffs import open_work
from notify.models import ToDo
from scoring import services
from scoring.models import Assignment, SubmissionStatus
from scoring.tests.conftest import D, Scene
from scoring.tests.test_services import evidence

TTHC_CODES = ("2.1.1", "2.1.2")


def _chosen(scene: Scene, departments: dict) -> dict:
    """{criterion id: (department id, no people)} from {code: department or None}."""
    return {
        scene.c(code).pk: (department.pk if department else None, [])
        for code, department in departments.items()
    }


def _part(scene: Scene, department):
    return scene.assessment.submissions.filter(department=department).first()


def _score_todo(submission_pk: int) -> ToDo:
    return ToDo.objects.get(key=f"par-part:{submission_pk}:score")


def test_no_department_takes_the_assignment_and_its_people_away(scene: Scene):
    services.assign(scene.unit, scene.c("1.1"), scene.vhxh, [scene.head])
    changes = services.save_assignments(
        scene.unit,
        scene.framework.sets.get(),
        {
            scene.c("1.1").pk: (None, [scene.head.pk]),
            scene.c("1.2").pk: (scene.tthc.pk, []),
            scene.c("1.3").pk: (scene.vhxh.pk, []),  # unchanged
            scene.c("2.1.1").pk: (99999, []),  # not a department of the commune: passed over
        },
    )
    assert changes == services.AssignmentChanges(assigned=1, unassigned=1)
    assert not Assignment.objects.filter(unit=scene.unit, criterion=scene.c("1.1")).exists()
    assert not Assignment.people.through.objects.filter(assignment__criterion=scene.c("1.1"))
    assert scene.c("1.2").assignments.get(unit=scene.unit).department == scene.tthc
    assert scene.c("2.1.1").assignments.get(unit=scene.unit).department == scene.tthc
    assert [c.code for c in services.unassigned(scene.unit, scene.framework.sets.get())] == ["1.1"]
    # Both departments still answer for criteria: both keep their submissions.
    assert _part(scene, scene.vhxh) and _part(scene, scene.tthc)


def test_a_department_left_with_nothing_loses_its_draft_part_and_its_to_do(scene: Scene):
    part = _part(scene, scene.tthc)
    assert [t.key for t in open_work(scene.tthc_head)] == [f"par-part:{part.pk}:score"]
    changes = services.save_assignments(
        scene.unit, scene.framework.sets.get(), _chosen(scene, {"2.1.1": None, "2.1.2": None})
    )
    assert changes == services.AssignmentChanges(assigned=0, unassigned=2)
    assert _part(scene, scene.tthc) is None
    assert list(open_work(scene.tthc_head)) == []
    assert _score_todo(part.pk).done_at is not None
    # The other department is untouched.
    vhxh_part = _part(scene, scene.vhxh)
    assert [t.key for t in open_work(scene.head)] == [f"par-part:{vhxh_part.pk}:score"]
    # Given criteria again, the department has a part to score again.
    services.save_assignments(
        scene.unit, scene.framework.sets.get(), _chosen(scene, {"2.1.1": scene.tthc})
    )
    again = _part(scene, scene.tthc)
    assert again.status == SubmissionStatus.DRAFT
    assert [t.key for t in open_work(scene.tthc_head)] == [f"par-part:{again.pk}:score"]


def _hand_in_tthc(scene: Scene):
    for code, value in (("2.1.1", 2), ("2.1.2", "1.5")):
        services.set_self_score(scene.score(code), scene.tthc_head, value=D(value))
        evidence(scene, code, scene.tthc_head)
    return services.submit_department(_part(scene, scene.tthc), scene.tthc_head)


def test_a_returned_part_is_released_too(scene: Scene):
    part = _hand_in_tthc(scene)
    services.review_department(part, scene.focal, accept=False, note="Thiếu số văn bản")
    assert _score_todo(part.pk).done_at is None
    services.save_assignments(
        scene.unit, scene.framework.sets.get(), _chosen(scene, {"2.1.1": None, "2.1.2": None})
    )
    assert _part(scene, scene.tthc) is None
    assert _score_todo(part.pk).done_at is not None


def test_a_part_handed_in_or_accepted_is_kept(scene: Scene):
    part = _hand_in_tthc(scene)
    criteria_set = scene.framework.sets.get()
    services.save_assignments(scene.unit, criteria_set, _chosen(scene, {"2.1.1": None}))
    services.save_assignments(scene.unit, criteria_set, _chosen(scene, {"2.1.2": None}))
    part.refresh_from_db()
    assert part.status == SubmissionStatus.SUBMITTED
    services.review_department(part, scene.focal, accept=True)
    services.save_assignments(scene.unit, criteria_set, {})
    part.refresh_from_db()
    assert part.status == SubmissionStatus.ACCEPTED


def test_focal_officer_unassigns_through_the_page(client, scene: Scene):
    part = _part(scene, scene.tthc)
    client.force_login(scene.focal)
    url = reverse("scoring_assignments", args=[scene.framework.pk])
    form = {"criterion": [scene.c(code).pk for code in ("1.1", "1.3", *TTHC_CODES)]}
    form.update({f"dep-{scene.c(code).pk}": "" for code in TTHC_CODES})
    form[f"dep-{scene.c('1.1').pk}"] = scene.tthc.pk  # moved to the centre
    form[f"dep-{scene.c('1.3').pk}"] = scene.vhxh.pk  # as it was
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Đã lưu phân công: 1 tiêu chí được giao, 2 tiêu chí bỏ giao."]
    assert {a.criterion.code for a in Assignment.objects.filter(department=scene.tthc)} == {"1.1"}
    assert not Assignment.objects.filter(criterion__code__in=TTHC_CODES).exists()
    # The centre still answers for 1.1: it keeps its part and its to-do.
    assert _part(scene, scene.tthc) == part
    assert _score_todo(part.pk).done_at is None
    # Unassigned too, the centre loses them.
    form[f"dep-{scene.c('1.1').pk}"] = ""
    response = client.post(url, form, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Đã lưu phân công: 0 tiêu chí được giao, 1 tiêu chí bỏ giao."]
    assert _part(scene, scene.tthc) is None
    assert _score_todo(part.pk).done_at is not None
    assert list(open_work(scene.tthc_head)) == []
    # Saving the same choices again changes nothing, and says so.
    response = client.post(url, form, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Không có phân công nào thay đổi."]
