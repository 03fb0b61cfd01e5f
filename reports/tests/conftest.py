from inspections.tests.conftest import inspection_plan, round_  # noqa: F401
from plans.tests.conftest import frozen_today, plan  # noqa: F401
