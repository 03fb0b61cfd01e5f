from __future__ import annotations

import io

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from org.models import Role

pytestmark = pytest.mark.django_db


def test_the_pages_keep_their_addresses():
    assert reverse("initiative_list") == "/surveys/initiatives/"
    assert reverse("initiative_create") == "/surveys/initiatives/new/"
    assert reverse("initiative_goal") == "/surveys/initiatives/goal/"
    assert reverse("initiative_detail", args=[7]) == "/surveys/initiatives/7/"
    assert reverse("initiative_edit", args=[7]) == "/surveys/initiatives/7/edit/"
    assert reverse("initiative_document", args=[7]) == "/surveys/initiatives/documents/7/"


def test_the_register_speaks_vietnamese(client, world):
    client.force_login(world.people[Role.FOCAL])
    html = client.get(reverse("initiative_list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "<h1>Sổ theo dõi sáng kiến</h1>" in html
    assert "Đề xuất sáng kiến" in html


def test_cancelling_a_new_initiative_goes_back_to_the_register(client, world):
    client.force_login(world.people[Role.OFFICER])
    html = client.get(reverse("initiative_create")).content.decode()
    assert f'<a href="{reverse("initiative_list")}">' in html
    assert f'<a href="{reverse("survey_home")}">' not in html


def test_initiatives_pages(client, world, plan, frozen_today):
    client.force_login(world.people[Role.OFFICER])
    response = client.post(
        reverse("initiative_create"),
        {
            "title": "Số hóa sổ hộ tịch bằng mã QR",
            "authors": "Nguyễn Văn A",
            "problem": "Tra cứu sổ giấy mất nhiều thời gian",
            "solution": "Gắn mã QR cho từng quyển sổ",
            "reform_area": "",
        },
    )
    initiative = Initiative.objects.get()
    assert response["Location"] == reverse("initiative_detail", args=[initiative.pk])
    # its author may keep working on it, another commune never sees it
    assert client.get(reverse("initiative_edit", args=[initiative.pk])).status_code == 200
    client.force_login(world.people["other_focal"])
    assert client.get(reverse("initiative_detail", args=[initiative.pk])).status_code == 404
    history = reverse("history", args=["initiative", initiative.pk])
    assert client.get(history).status_code == 404
    client.force_login(world.people[Role.LEADER])
    assert "Số hóa sổ hộ tịch" in client.get(history).content.decode()
    client.force_login(world.people[Role.FOCAL])
    client.post(
        reverse("initiative_goal"),
        {"year": 2026, "minimum": 1, "due": "20/11/2026", "plan": plan.pk},
    )
    client.post(reverse("initiative_detail", args=[initiative.pk]), {"status": "sent"})
    initiative.refresh_from_db()
    assert initiative.status == "sent" and initiative.sent_on == frozen_today
    page = client.get(reverse("initiative_list")).content.decode()
    assert "attain-met" in page
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "quyet-dinh.pdf"
    client.post(reverse("initiative_detail", args=[initiative.pk]), {"file": pdf})
    assert initiative.documents.count() == 1
    exe = io.BytesIO(b"MZ\x90\x00rest")
    exe.name = "virus.pdf"
    client.post(reverse("initiative_detail", args=[initiative.pk]), {"file": exe})
    assert initiative.documents.count() == 1
