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
    body = {"note": "Đã ban hành", "percent": 100}
    response = client.post(
        f"/api/tasks/{task.pk}/progress", body, content_type="application/json", **officer
    )
    assert response.status_code == 200 and response.json()["progress_percent"] == 100
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
