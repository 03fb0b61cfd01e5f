"""End to end, a whole round: import the plan, team and departments, the department's self-check,
findings, remediation with evidence, the conclusion notice opened in LibreOffice."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import SEEDS, TEST_OUTPUT
from core import clock
from inspections.models import Finding, FindingStatus, InspectionPlan, Result, Round
from org import demo as org_demo
from org.models import Department, Role, RoleGrant, Unit, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = date(2026, 6, 20)  # six days before round 1's self-check is due


@pytest.fixture
def site(live_server, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    org_demo.load()
    unit = Unit.objects.get(code="42-THANHSEN")
    centre = Department.objects.get(unit=unit, short_name="TTPVHCC")
    head = User.objects.create_user(
        "thanhsen.ttpvhcc",
        password=org_demo.DEMO_PASSWORD,
        full_name="Phan Văn Lợi",
        unit=unit,
        department=centre,
    )
    RoleGrant.objects.create(user=head, role=Role.DEPARTMENT_HEAD, unit=unit, department=centre)
    return live_server.url


def test_whole_round(page, site, login, screenshot, tmp_path, monkeypatch):
    from inspections.tests.conftest import PDF

    evidence = tmp_path / "bao-cao-tu-kiem-tra.pdf"
    evidence.write_bytes(PDF)
    (document,) = SEEDS.glob("003_*.docx")

    # 1. The focal officer imports the inspection plan document.
    login(page, site, "thanhsen.daumoi")
    page.goto(f"{site}/inspections/plans/import/")
    page.set_input_files("#id_file", str(document))
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text("Kế hoạch Kiểm tra cải cách hành chính năm 2026")
    expect(page.locator("tr.round-row")).to_have_count(2)
    plan = InspectionPlan.objects.get()
    assert plan.areas.count() == 7 and plan.self_check_days == 5
    screenshot(page, "inspection-plan")

    # 2. Round 1: the team and the department inspected.
    round_ = Round.objects.get(plan=plan, start=date(2026, 7, 1))
    page.click(f"a[href='/inspections/rounds/{round_.pk}/']")
    page.select_option("#team select[name=role]", "leader")
    page.select_option("#team select[name=user]", label="Nguyễn Đình Khoa")
    page.click("#team button.primary")
    expect(page.locator("#team .people-list li")).to_have_count(1)
    page.click("#team summary")
    page.select_option("#team select[name=role]", "member")
    page.fill("#team input[name=name]", "Lê Thị Thanh Hà")
    page.fill("#team input[name=organisation]", "Sở Nội vụ tỉnh Hà Tĩnh")
    page.click("#team button.primary")
    expect(page.locator("#team .people-list li")).to_have_count(2)
    centre = Department.objects.get(unit__code="42-THANHSEN", short_name="TTPVHCC")
    page.select_option("#grid select[name=department]", str(centre.pk))
    area_13 = plan.areas.get(code="1.3")
    page.check(f"#grid input[name=areas][value='{area_13.pk}']")
    page.click("#grid button.primary")
    expect(page.locator("tr.grid-row")).to_have_count(1)
    expect(page.locator("tr.grid-row .badge")).to_have_text(re.compile("."))

    # 3. The centre's head, told in the bell, fills its self-check and sends it.
    login(page, site, "thanhsen.ttpvhcc")
    expect(page.locator(".bell-count")).to_be_visible()
    page.goto(f"{site}/reminders/work/")
    page.get_by_role(
        "link", name=re.compile("Tự kiểm tra của Trung tâm Phục vụ hành chính công")
    ).click()
    subject = round_.subjects.get()
    expect(page).to_have_url(f"{site}/inspections/self-checks/{subject.pk}/")
    items = list(area_13.items.order_by("order"))
    for item in items:
        page.check(f"input[name=r{item.pk}][value=met]")
    page.check(f"input[name=r{items[1].pk}][value=not_met]")
    page.fill(f"input[name=n{items[1].pk}]", "Tỷ lệ số hóa hồ sơ mới đạt 78%")
    page.set_input_files("#id_files", str(evidence))
    screenshot(page, "inspection-self-check")
    page.click("button[name=submit]")
    expect(page.locator(".messages")).to_contain_text(re.compile("."))
    subject.refresh_from_db()
    assert subject.submitted_on == TODAY
    assert subject.answers.filter(self_result=Result.NOT_MET).count() == 1
    expect(page.locator("main")).to_contain_text("bao-cao-tu-kiem-tra.pdf")
    page.goto(f"{site}/reminders/work/")
    # Done: it moves from the open list to "done in the last two weeks".
    expect(page.locator("li:not(.muted)", has_text="Tự kiểm tra của Trung tâm")).to_have_count(0)
    expect(page.locator("li.muted", has_text="Tự kiểm tra của Trung tâm")).to_have_count(1)

    # 4. The team sees the grid and records a finding against the item not met.
    login(page, site, "thanhsen.daumoi")
    page.goto(f"{site}/inspections/rounds/{round_.pk}/")
    cell = page.locator("tr.grid-row td.cell-not_met")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text("9/1/0")
    screenshot(page, "inspection-round-grid")
    page.goto(f"{site}/inspections/rounds/{round_.pk}/findings/new/?department={centre.pk}")
    page.select_option("#id_item", str(items[1].pk))
    page.fill("#id_description", "Tỷ lệ số hóa hồ sơ TTHC chưa đạt chỉ tiêu")
    page.select_option("#id_severity", "high")
    page.fill("#id_recommendation", "Số hóa toàn bộ hồ sơ tiếp nhận")
    page.select_option("#id_responsible_department", "")
    page.fill("#id_deadline", "31/07/2026")
    page.click("form.form-grid button.primary")
    expect(page.locator(".field-error")).to_contain_text(re.compile("."))  # refused
    page.select_option("#id_responsible_department", str(centre.pk))
    page.click("form.form-grid button.primary")
    expect(page.locator("tr.finding-row")).to_have_count(1)
    finding = Finding.objects.get()
    assert finding.responsible_department == centre and finding.deadline == date(2026, 7, 31)

    # 5. The centre, handed the finding, answers with evidence; the team, handed the answer,
    # closes the finding.
    login(page, site, "thanhsen.ttpvhcc")
    page.goto(f"{site}/reminders/work/")
    page.get_by_role("link", name=re.compile("Tồn tại cần khắc phục: Tỷ lệ số hóa")).click()
    expect(page).to_have_url(f"{site}/inspections/findings/{finding.pk}/")
    page.fill(".respond-form textarea[name=text]", "Đã số hóa toàn bộ hồ sơ tồn")
    page.set_input_files(".respond-form input[type=file]", str(evidence))
    page.click(".respond-form button.primary")
    expect(page.locator("#trail .timeline li")).to_have_count(1)
    leader = round_.team.get(role="leader").user
    login(page, site, leader.username)
    page.goto(f"{site}/reminders/work/")
    page.get_by_role("link", name=re.compile("đề nghị xác minh: Tỷ lệ số hóa")).click()
    expect(page).to_have_url(f"{site}/inspections/findings/{finding.pk}/")
    page.fill(".team-actions textarea", "Đã kiểm tra thực tế")
    page.click(".team-actions button[formaction$='/close/']")
    expect(page.locator("#trail .timeline li")).to_have_count(3)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.on_time
    page.goto(f"{site}/reminders/work/")
    expect(page.locator("li:not(.muted)", has_text="Tỷ lệ số hóa")).to_have_count(0)
    screenshot(page, "inspection-finding-closed")
    page.goto(f"{site}/inspections/findings/?state=remediated")
    expect(page.locator("tr.finding-row")).to_have_count(1)
    page.goto(f"{site}/inspections/")
    expect(page.locator(".on-time-share")).to_have_text("100%")
    screenshot(page, "inspection-home")

    # 6. Conclusion: not offered before the round's last day (the reason is shown); then the
    # assessment, the number typed in full, the vice-chair signing, the notice as a document.
    page.goto(f"{site}/inspections/rounds/{round_.pk}/")
    expect(page.locator("#id_status option[value=concluded]")).to_have_count(0)
    expect(page.locator(".conclude-refusal")).to_contain_text("10/07/2026")
    monkeypatch.setattr(clock, "today", lambda: date(2026, 7, 15))
    page.goto(f"{site}/inspections/rounds/{round_.pk}/")
    expect(page.locator(".round-overdue")).to_have_count(1)
    page.fill("#id_assessment", "Trung tâm cơ bản thực hiện tốt nhiệm vụ CCHC.")
    page.fill("#id_conclusion_number", "215/TB-UBND")
    page.fill("#id_notice_on", "16/07/2026")
    signer = User.objects.get(username="thanhsen.phochutich")
    page.select_option("#id_signer", str(signer.pk))
    page.select_option("#id_status", "concluded")
    page.click("#conclusion button.primary")
    expect(page.locator(".round-overdue")).to_have_count(0)
    round_.refresh_from_db()
    assert round_.status == "concluded" and round_.conclusion_number == "215"
    with page.expect_download() as download_info:
        page.click(f"a[href='/inspections/rounds/{round_.pk}/conclusion.docx']")
    docx = download_info.value.path().read_bytes()
    _check_document(docx, tmp_path)


def _check_document(docx: bytes, tmp_path) -> None:
    import io
    import shutil

    from docx import Document

    document = Document(io.BytesIO(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "THÔNG BÁO" in text
    assert "Số: 215/TB-UBND" in cells  # the letterhead is a table
    assert "TB-UBND/TB-UBND" not in cells
    assert "ngày 16 tháng 7 năm 2026" in cells  # Decree 30: no leading zero for July
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in cells and "Trần Thị Thủy Nga" in cells
    assert "Kết luận kiểm tra công tác cải cách hành chính năm 2026 (đợt 1" in text
    assert "Tỷ lệ số hóa hồ sơ TTHC chưa đạt chỉ tiêu" in cells
    assert any(p.text.startswith("1. Trung tâm") for p in document.paragraphs)
    assert "31/07/2026" in cells
    from reports.rendering import docx_to_png

    png = docx_to_png(docx, tmp_path / "render")
    TEST_OUTPUT.mkdir(exist_ok=True)
    shutil.copy(png, TEST_OUTPUT / "inspection-conclusion.png")
    assert png.stat().st_size > 10_000  # a page with text, not a blank image


def test_refused_file_keeps_the_self_check(page, site, login, screenshot, tmp_path):
    """A department head fills several answers, attaches a file of a refused type: nothing is
    saved, every answer is still on the page with the error beside the file; a PDF then goes."""
    from inspections import services
    from inspections.tests.conftest import PDF

    unit = Unit.objects.get(code="42-THANHSEN")
    centre = Department.objects.get(unit=unit, short_name="TTPVHCC")
    plan = services.create_plan(
        unit,
        title="Kế hoạch kiểm tra CCHC năm 2026",
        year=2026,
        template=services.default_template(),
    )
    round_ = services.add_round(
        plan, name="Đợt 1 – Kiểm tra 6 tháng", start=date(2026, 7, 1), end=date(2026, 7, 10)
    )
    area = plan.areas.order_by("order").first()
    subject = services.add_subject(round_, centre, areas=[area])
    items = list(area.items.order_by("order"))
    assert len(items) >= 3
    archive = tmp_path / "ho-so.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(PDF)

    login(page, site, "thanhsen.ttpvhcc")
    page.goto(f"{site}/inspections/self-checks/{subject.pk}/")
    expect(page.locator(".allowed-files")).to_contain_text(".pdf")
    assert ".pdf" in (page.get_attribute("#id_files", "accept") or "")
    for item in items:
        page.check(f"input[name=r{item.pk}][value=met]")
    page.check(f"input[name=r{items[1].pk}][value=not_met]")
    page.fill(f"input[name=n{items[1].pk}]", "Chưa cập nhật đủ hồ sơ")
    page.fill(f"input[name=n{items[2].pk}]", "Đã niêm yết tại trụ sở")
    page.fill("#id_note", "Thiếu nhân lực số hóa")
    # the browser's own filter is bypassed, as a renamed file would be
    page.set_input_files("#id_files", str(archive))
    page.click("button[name=submit]")
    expect(page.locator(".field-error")).to_contain_text(".zip")
    screenshot(page, "inspection-self-check-refused-file")
    for item in items:
        value = "not_met" if item == items[1] else "met"
        expect(page.locator(f"input[name=r{item.pk}][value={value}]")).to_be_checked()
    expect(page.locator(f"input[name=n{items[1].pk}]")).to_have_value("Chưa cập nhật đủ hồ sơ")
    expect(page.locator(f"input[name=n{items[2].pk}]")).to_have_value("Đã niêm yết tại trụ sở")
    expect(page.locator("#id_note")).to_have_value("Thiếu nhân lực số hóa")
    assert not subject.answers.exists()

    page.set_input_files("#id_files", str(evidence))
    page.click("button[name=submit]")
    expect(page.locator(".messages")).to_contain_text(re.compile("."))
    subject.refresh_from_db()
    assert subject.submitted_on == TODAY
    assert subject.answers.count() == len(items)
    assert subject.answers.get(item=items[1]).self_note == "Chưa cập nhật đủ hồ sơ"
    expect(page.locator("main")).to_contain_text("bao-cao.pdf")
