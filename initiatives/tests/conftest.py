from __future__ import annotations

from plans.tests.conftest import frozen_today, plan  # noqa: F401
