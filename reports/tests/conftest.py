import pytest

from inspections.tests.conftest import inspection_plan, round_  # noqa: F401
from plans.tests.conftest import frozen_today, in_force, plan  # noqa: F401
from reports import services


@pytest.fixture
def period(plan):  # noqa: F811
    """The plan's first reporting period."""
    return services.ensure_periods(plan)[0]
