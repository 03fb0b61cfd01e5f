"""An inspection hands its work over: a department is asked for its self-check, a department is
given a finding to fix, the team verifies the answer; each cleared when done."""

from __future__ import annotations

from datetime import date

from inspections import services
from inspections.models import Result
from inspections.tests.conftest import finding_data, pdf
from notify.handoffs import open_work
from notify.models import Notification
from org.models import Role


def _work(person) -> list[str]:
    return sorted(t.key for t in open_work(person))


def test_self_check_and_finding_pass_from_hand_to_hand(world, round_):
    head, officer, focal = (
        world.people[r] for r in (Role.DEPARTMENT_HEAD, Role.OFFICER, Role.FOCAL)
    )
    office, vhxh = (round_.subjects.get(department=d) for d in (world.office, world.vhxh))
    # The office's person in charge and the head of VH-XH are each asked for their self-check.
    assert _work(officer) == [f"self-check:{office.pk}:send"]
    assert _work(head) == [f"self-check:{vhxh.pk}:send"]
    assert Notification.objects.filter(user=head, key=f"handoff:self-check:{vhxh.pk}:send").exists()
    items = services.subject_items(vhxh)
    services.save_answers(vhxh, head, [services.AnswerData(i, Result.MET) for i in items])
    services.submit_self_check(vhxh, head, on=date(2026, 6, 25))
    assert _work(head) == []

    finding = services.record_finding(round_, focal, finding_data(world))
    assert f"finding:{finding.pk}:fix" in _work(officer)
    assert f"finding:{finding.pk}:verify" not in _work(focal)

    services.respond(finding, officer, "Đã niêm yết bổ sung 12 TTHC", files=[pdf()])
    assert f"finding:{finding.pk}:fix" not in _work(officer)
    # The team member with an account (the focal officer leads it) verifies; the guest has none.
    assert f"finding:{finding.pk}:verify" in _work(focal)

    services.return_finding(finding, focal, "Thiếu ảnh chụp bảng niêm yết")
    assert f"finding:{finding.pk}:fix" in _work(officer)
    assert "Thiếu ảnh chụp" in open_work(officer).get(key=f"finding:{finding.pk}:fix").title
    assert f"finding:{finding.pk}:verify" not in _work(focal)

    services.respond(finding, officer, "Bổ sung ảnh chụp", files=[pdf("anh.pdf")])
    services.close_finding(finding, focal, "Đã khắc phục")
    assert f"finding:{finding.pk}:fix" not in _work(officer)
    assert f"finding:{finding.pk}:verify" not in _work(focal)


def test_a_late_self_check_stays_late_when_the_round_moves(world, round_):
    office = round_.subjects.get(department=world.office)
    officer = world.people[Role.OFFICER]
    items = services.subject_items(office)
    services.save_answers(office, officer, [services.AnswerData(i, Result.MET) for i in items])
    services.submit_self_check(office, officer, on=date(2026, 6, 28))  # due 26/6
    assert services.self_check_state(office) == services.SelfCheckState.SENT_LATE
    services.change_round_dates(round_, date(2026, 7, 10), date(2026, 7, 20))
    office.refresh_from_db()
    assert services.self_check_state(office) == services.SelfCheckState.SENT_LATE
