from __future__ import annotations

import io
from datetime import date

import pytest

from core import clock
from core.files import UploadedFile
from org.models import Role
from org.tests.factories import person_with_role
from province_requests import services
from province_requests.models import RequestKind

TODAY = date(2026, 9, 20)


@pytest.fixture
def today() -> date:
    """The day the request is sent; each test sets its day with `clock.as_of`."""
    return TODAY


@pytest.fixture
def thaitan_focal(world):
    return person_with_role(Role.FOCAL, world.thaitan, None, username="tt_focal")


def pdf(name: str = "cong-van.pdf") -> UploadedFile:
    return UploadedFile(name, io.BytesIO(b"%PDF-1.7 cong van"))


@pytest.fixture
def sent(world, today, thaitan_focal):
    """A request of Hai Phong to both its communes, due in ten days."""
    with clock.as_of(today):
        return services.send_request(
            world.haiphong,
            services.RequestData(
                kind=RequestKind.REPORT,
                title="Báo cáo kết quả CCHC quý III/2026",
                due=date(2026, 9, 30),
                period="Quý III/2026",
                letter_number="125/SNV-CCHC",
                letter_date=date(2026, 9, 18),
            ),
            letter=[pdf()],
            by=world.people[Role.APPRAISER],
        )
