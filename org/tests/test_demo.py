"""The demo built from the seeds: units, departments and an account for every role."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from org.access import Action, can
from org.models import Department, Role, RoleGrant, Unit, User


@pytest.mark.django_db
def test_load_demo_builds_the_seed_communes_and_is_repeatable(capsys):
    call_command("load_demo")
    first_run_users = User.objects.count()
    call_command("load_demo", "--quiet")
    out = capsys.readouterr().out
    assert "thanhdong.daumoi" in out and "cchc-demo-2026" in out
    # The PAR-index demo adds sample communes to rank against, named as such.
    communes = {u.name: u for u in Unit.objects.filter(level=3) if "(đơn vị mẫu)" not in u.name}
    assert set(communes) == {"Thành Đông", "Thái Tân", "Đông Quang", "Thành Sen"}
    assert communes["Đông Quang"].parent.name == "Thanh Hoá"
    assert communes["Thành Sen"].parent.name == "Hà Tĩnh"
    assert communes["Thành Đông"].parent == communes["Thái Tân"].parent
    assert Department.objects.filter(unit=communes["Thành Đông"]).count() == 5
    seed_departments = Department.objects.filter(unit__in=communes.values())
    assert seed_departments.filter(name__startswith="Phòng Văn h").count() == 4
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.count() == first_run_users  # the second run created nobody new
    # An account for each row of accounts.csv; the sample wards' people have no password.
    sample_people = User.objects.filter(unit__name__contains="(đơn vị mẫu)")
    assert User.objects.exclude(pk__in=sample_people).count() == 20
    assert not any(p.has_usable_password() for p in sample_people)


@pytest.mark.django_db
def test_demo_accounts_see_only_their_own_commune():
    call_command("load_demo", "--quiet")
    focal = User.objects.get(username="thanhdong.daumoi")
    assert focal.check_password("cchc-demo-2026")
    assert can(focal, Action.MANAGE, Unit.objects.get(name="Thành Đông"))
    assert not can(focal, Action.VIEW, Unit.objects.get(name="Đông Quang"))
    head = User.objects.get(username="thanhdong.ttpvhcc")
    assert head.department.name == "Trung tâm Phục vụ hành chính công"
