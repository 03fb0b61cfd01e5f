from inspections.tests.conftest import inspection_plan, round_  # noqa: F401
from plans.tests.conftest import frozen_today, in_force, plan  # noqa: F401
