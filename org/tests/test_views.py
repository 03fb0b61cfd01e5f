"""Pages: Vietnamese by default, scoped to the person's units, with clear messages."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from org.models import Department, Role, User

PASSWORD = "mat-khau-thu-nghiem"


def login(client, user: User):
    client.force_login(user)
    return client


def test_login_page_is_vietnamese_whatever_the_browser_asks(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in html and 'lang="vi"' in html


def test_english_can_be_chosen(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert "Log in" in html and 'lang="en"' in html


def test_wrong_password_gets_a_vietnamese_message(client, world):
    response = client.post(reverse("login"), {"username": "focal", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_is_rate_limited(client, world, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "focal", "password": "sai"})
    response = client.post(reverse("login"), {"username": "focal", "password": PASSWORD})
    assert response.status_code == 429
    assert "15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_lands_on_the_communes_figures(client, world):
    response = client.post(
        reverse("login"), {"username": "focal", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    html = response.content.decode()
    assert "Tổng quan CCHC" in html
    assert "Phường Thành Đông".upper() in html.upper()


def test_the_unit_home_shows_its_directory_and_the_persons_role(client, world):
    html = login(client, world.people[Role.FOCAL]).get(reverse("home")).content.decode()
    assert "Ủy ban nhân dân phường Thành Đông" in html
    assert "Phòng Văn hóa - Xã hội" in html  # its departments
    assert world.people[Role.OFFICER].full_name in html  # its people
    assert "Đầu mối CCHC" in html  # the person's role


def test_each_person_starts_where_their_work_starts(client, world):
    starts = {
        Role.FOCAL: "dashboard",  # the commune's figures
        Role.LEADER: "dashboard",
        Role.DEPARTMENT_HEAD: "notify_work",  # what is handed to them
        Role.OFFICER: "notify_work",
        Role.APPRAISER: "oversight_board",  # the province follows its communes
        Role.MINISTRY: "ministry_ranking",  # the ministry, the provinces
        Role.ADMIN: "home",  # the directory it keeps
    }
    for role, url_name in starts.items():
        response = login(client, world.people[role]).get(reverse("start"))
        assert response["Location"] == reverse(url_name), role


def test_the_province_signs_in_to_its_communes_board(client, world):
    appraiser = world.people[Role.APPRAISER]
    appraiser.set_password(PASSWORD)
    appraiser.save()
    response = client.post(
        reverse("login"), {"username": appraiser.username, "password": PASSWORD}, follow=True
    )
    assert [url for url, _status in response.redirect_chain][-1] == reverse("oversight_board")
    # its own unit's page is still one click away
    assert client.get(reverse("home")).status_code == 200


def test_security_headers(client, world):
    response = login(client, world.people[Role.FOCAL]).get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_need_login(client, db):
    for name in ("home", "unit_list", "person_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_another_communes_pages_are_not_found(client, world):
    login(client, world.people[Role.FOCAL])
    assert client.get(reverse("unit_detail", args=[world.dongquang.code])).status_code == 404
    assert client.get(reverse("department_detail", args=[world.other_vhxh.pk])).status_code == 404
    other = world.people["other_focal"]
    assert client.get(reverse("person_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("unit_detail", args=[world.haiphong.code])).status_code == 404


def test_unknown_unit_code_is_not_found(client, world):
    login(client, world.people[Role.ADMIN])
    response = client.get(reverse("unit_detail", args=["KHONG-CO"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unit_switcher_only_offers_visible_units(client, world):
    login(client, world.people[Role.APPRAISER])
    html = client.get(reverse("home")).content.decode()
    assert "Thành Đông" in html and "Thái Tân" in html and "Đông Quang" not in html
    client.post(reverse("switch_unit"), {"unit": world.thaitan.pk, "next": "/"})
    assert "Thái Tân" in client.get(reverse("home")).content.decode().split("<h1>")[1]
    response = client.post(reverse("switch_unit"), {"unit": world.dongquang.pk}, follow=True)
    assert "Bạn không được làm việc với đơn vị đó" in response.content.decode()


def test_many_units_are_chosen_in_the_list_not_in_a_menu(client, world, monkeypatch):
    from org import context_processors

    monkeypatch.setattr(context_processors, "SWITCHER_LIMIT", 1)
    login(client, world.people[Role.APPRAISER])
    html = client.get(reverse("home")).content.decode()
    assert 'id="unit-switch"' not in html
    assert f'class="unit-switch" href="{reverse("unit_list")}"' in html
    table = client.get(reverse("unit_list")).content.decode().split("<tbody>")[1]
    assert "Làm việc tại Xã Thái Tân" in table and "Đông Quang" not in table
    response = client.post(reverse("switch_unit"), {"unit": world.thaitan.pk, "next": "/"})
    assert "Thái Tân" in client.get(response.url).content.decode().split("<h1>")[1]


def test_search_ignores_diacritics(client, world):
    login(client, world.people[Role.ADMIN])
    html = client.get(reverse("unit_list"), {"q": "thanh dong"}).content.decode()
    table = html.split("<tbody>")[1]
    assert "Thành Đông" in table and "Thái Tân" not in table


def test_focal_adds_a_department_and_a_duplicate_is_refused(client, world):
    login(client, world.people[Role.FOCAL])
    url = reverse("department_create", args=[world.thanhdong.code])
    response = client.post(url, {"name": "Phòng Kinh tế", "short_name": "KT", "kind": "division"})
    assert response.status_code == 302
    assert Department.objects.filter(unit=world.thanhdong, name="Phòng Kinh tế").exists()
    response = client.post(url, {"name": "Phòng VH-XH", "kind": "division"})
    assert response.status_code == 200
    assert "đã được dùng cho phòng ban “Phòng Văn hóa - Xã hội”" in response.content.decode()
    assert Department.objects.filter(unit=world.thanhdong).count() == 3


@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPARTMENT_HEAD, Role.OFFICER, Role.APPRAISER])
def test_other_roles_cannot_manage_the_directory(client, world, role):
    login(client, world.people[role])
    url = reverse("department_create", args=[world.thanhdong.code])
    response = client.post(url, {"name": "Phòng Mới", "kind": "division"})
    assert response.status_code == 403
    assert not Department.objects.filter(name="Phòng Mới").exists()


def test_focal_creates_an_account(client, world):
    login(client, world.people[Role.FOCAL])
    response = client.post(
        reverse("person_create", args=[world.thanhdong.code]),
        {
            "username": "moi.canbo",
            "full_name": "Lý Thị Mới",
            "department": world.vhxh.pk,
            "role": Role.OFFICER,
        },
        follow=True,
    )
    assert "Lý Thị Mới" in response.content.decode()
    person = User.objects.get(username="moi.canbo")
    assert person.unit == world.thanhdong and person.grants.get().role == Role.OFFICER
    assert person.password.startswith(("md5$", "argon2"))


def test_department_import_page_reports_rows(client, world):
    login(client, world.people[Role.FOCAL])
    data = "Tên phòng ban,Tên viết tắt\nPhòng Kinh tế,KT\nBan Kinh tế,KT\n".encode()
    upload = io.BytesIO(data)
    upload.name = "phongban.csv"
    response = client.post(
        reverse("department_import", args=[world.thanhdong.code]), {"file": upload}
    )
    html = response.content.decode()
    assert "Chưa lưu dữ liệu nào" in html
    assert "Phòng ban này trùng với phòng ban ở dòng 2" in html
    assert not Department.objects.filter(name="Phòng Kinh tế").exists()


def test_import_template_downloads(client, world):
    login(client, world.people[Role.FOCAL])
    response = client.get(reverse("department_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_password_reset_sends_a_vietnamese_mail(client, world, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "focal@example.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body
    assert "mật khẩu" in mailoutbox[0].body.lower()


def test_password_change(client, world):
    login(client, world.people[Role.OFFICER])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Cai-cach-2026-moi!",
            "new_password2": "Cai-cach-2026-moi!",
        },
    )
    assert response.status_code == 302
    world.people[Role.OFFICER].refresh_from_db()
    assert world.people[Role.OFFICER].check_password("Cai-cach-2026-moi!")
