from __future__ import annotations

from plans.tests.conftest import frozen_today, in_force, plan  # noqa: F401
