"""The base layout shows the main menu built for the person, with the page and the work count."""

from __future__ import annotations

from django.urls import reverse

from core.domains import Handoff
from notify.handoffs import hand_off
from org.models import Role


def test_the_layout_shows_the_menu_with_the_page_and_the_work_count(client, world):
    focal = world.people[Role.FOCAL]
    hand_off(Handoff("report-part:1:send", "report", "Gửi báo cáo", frozenset({focal.pk})))
    client.force_login(focal)
    html = client.get(reverse("my_tasks")).content.decode()
    nav = html[html.index('<nav id="mainnav"') : html.index("</nav>", html.index("mainnav"))]
    assert nav.count("<details") == 4 and 'data-menu-group="plans"' in nav
    assert 'class="navgroup current"' in nav
    assert f'<a href="{reverse("my_tasks")}" aria-current="page">' in nav
    assert nav.count('aria-current="page"') == 1
    assert '<span class="nav-count">1</span>' in nav
