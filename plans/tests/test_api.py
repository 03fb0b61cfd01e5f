"""Plans in the API: scoped reads, progress reports, the deadline reader."""

from __future__ import annotations

from org.api import issue_token
from org.models import Role


def _headers(world, role) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world.people[role], 'test')}"}


def test_plans_and_tasks_are_scoped(client, world, plan):
    mine = client.get("/api/plans", **_headers(world, Role.LEADER)).json()["items"]
    assert [p["number"] for p in mine] == ["16/QĐ-UBND"]
    other = _headers(world, "other_focal")
    assert client.get("/api/plans", **other).json()["items"] == []
    assert client.get(f"/api/plans/{plan.pk}/tasks", **other).status_code == 404
    tasks = client.get(f"/api/plans/{plan.pk}/tasks", **_headers(world, Role.LEADER)).json()
    assert tasks["count"] == 2
    first = tasks["items"][0]
    assert first["lead_department"] == "Phòng Văn hóa - Xã hội"
    assert first["milestones"][0]["due"] == "2026-01-15"


def test_progress_through_the_api_respects_roles(client, world, plan):
    task = plan.tasks.get(number="4")
    officer = _headers(world, Role.OFFICER)
    body = {"note": "Đã ban hành", "percent": 90}
    response = client.post(
        f"/api/tasks/{task.pk}/progress", body, content_type="application/json", **officer
    )
    assert response.status_code == 200 and response.json()["progress_percent"] == 90
    other_task = plan.tasks.get(number="1")
    response = client.post(
        f"/api/tasks/{other_task.pk}/progress", body, content_type="application/json", **officer
    )
    assert response.status_code == 403


def test_deadline_reader(client, world):
    response = client.get(
        "/api/deadlines/parse",
        {"text": "Quý III, IV/2026"},
        **_headers(world, Role.FOCAL),
    ).json()
    assert [m["due"] for m in response["milestones"]] == ["2026-09-30", "2026-12-31"]
    assert not response["needs_review"]


def test_the_api_closes_milestones_as_the_page_does(client, world, plan):
    task = plan.tasks.get(number="4")
    officer = _headers(world, Role.OFFICER)
    url = f"/api/tasks/{task.pk}/progress"
    # the open milestones are offered with their ids
    (offered,) = client.get(f"/api/tasks/{task.pk}", **officer).json()["milestones"]
    assert offered["done_on"] is None and offered["needs_period"] is False
    # 100% without saying which milestones are done: refused, nothing saved, as on the page
    body = {"note": "Đã ban hành", "percent": 100}
    response = client.post(url, body, content_type="application/json", **officer)
    assert response.status_code == 409 and response.json()["detail"]
    assert not task.updates.exists()
    # a milestone of another task is refused
    other = plan.tasks.get(number="1").milestones.get()
    body["close"] = [{"milestone_id": other.pk}]
    response = client.post(url, body, content_type="application/json", **officer)
    assert response.status_code == 409 and not task.updates.exists()
    body["close"] = [{"milestone_id": offered["id"]}]
    response = client.post(url, body, content_type="application/json", **officer)
    assert response.status_code == 200, response.json()
    out = response.json()
    assert out["progress_percent"] == 100 and out["status"] == "done"
    assert out["milestones"][0]["done_on"] == "2026-02-01"


def test_the_api_asks_the_period_of_a_recurring_milestone(client, world, plan):
    from plans import services

    task = plan.tasks.get(number="4")
    task = services.save_task(
        plan,
        services.TaskData(
            area=task.area,
            number="4",
            content=task.content,
            lead_department=world.office,
            deadline_text="Báo cáo định kỳ hàng quý",
            assignees=[world.people[Role.OFFICER]],
        ),
        task,
    )
    officer = _headers(world, Role.OFFICER)
    milestones = client.get(f"/api/tasks/{task.pk}", **officer).json()["milestones"]
    first = milestones[0]
    assert first["needs_period"] is True
    url = f"/api/tasks/{task.pk}/progress"
    body = {"note": "Đã báo cáo", "percent": 100, "close": [{"milestone_id": first["id"]}]}
    response = client.post(url, body, content_type="application/json", **officer)
    assert response.status_code == 409
    body["close"][0]["period"] = "Quý I/2026"
    response = client.post(url, body, content_type="application/json", **officer)
    assert response.status_code == 200, response.json()
    closed = next(m for m in response.json()["milestones"] if m["id"] == first["id"])
    assert closed["done_period"] == "Quý I/2026"
