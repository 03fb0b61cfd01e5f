"""A PAR-index round hands its work over at each change of hands, to exactly who must act next;
each piece of work is cleared once done."""

from __future__ import annotations

from datetime import date

from notify.handoffs import open_work
from scoring import services
from scoring.tests.test_services import appraise, fill_department


def _work(person) -> list[str]:
    return sorted(t.key for t in open_work(person))


def test_each_change_of_hands_reaches_who_acts_next(scene):
    a = scene.assessment
    vhxh_part = a.submissions.get(department=scene.vhxh)
    assert _work(scene.head) == [f"par-part:{vhxh_part.pk}:score"]
    fill_department(scene)
    services.submit_department(vhxh_part, scene.head)
    assert _work(scene.head) == []
    assert f"par-part:{vhxh_part.pk}:review" in _work(scene.focal)

    services.review_department(vhxh_part, scene.focal, accept=False, note="Thiếu minh chứng 1.2")
    assert _work(scene.head) == [f"par-part:{vhxh_part.pk}:score"]
    assert "Thiếu minh chứng 1.2" in open_work(scene.head).get().title
    assert f"par-part:{vhxh_part.pk}:review" not in _work(scene.focal)

    for submission in a.submissions.all():
        services.submit_department(submission, scene.head)
        services.review_department(submission, scene.focal, accept=True)
    assert _work(scene.leader) == [f"par:{a.pk}:approve"]
    services.approve(a, scene.leader)
    assert _work(scene.leader) == [] and f"par:{a.pk}:submit" in _work(scene.focal)
    services.submit(a, scene.focal)
    assert f"par:{a.pk}:submit" not in _work(scene.focal)
    # The province's appraiser, not the appraiser of another province.
    assert _work(scene.appraiser) == [f"par:{a.pk}:appraise"]
    assert f"par:{a.pk}:appraise" not in _work(scene.other_appraiser)


def test_appraisal_answer_and_close(scene):
    appraise(scene)
    a = services.send_appraisal(scene.assessment, scene.appraiser, on=date(2026, 7, 5))
    answer = open_work(scene.focal).get(key=f"par:{a.pk}:answer")
    assert answer.due == date(2026, 7, 10)
    score = scene.score("1.1")
    services.answer_appraisal(a, scene.focal, {score.pk: "Ban hành 10/01"}, on=date(2026, 7, 9))
    assert f"par:{a.pk}:answer" not in _work(scene.focal)
    assert _work(scene.appraiser) == [f"par:{a.pk}:close"]
    services.close(a, scene.appraiser, on=date(2026, 7, 9))
    assert _work(scene.appraiser) == []
