from __future__ import annotations

from datetime import date

import factory

from org.tests.factories import DepartmentFactory, UnitFactory
from plans.models import Plan, ReformArea, Task


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"Kế hoạch CCHC số {n}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReformArea

    plan = factory.SubFactory(PlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: str(o.order))
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    area = factory.LazyAttribute(lambda o: AreaFactory(plan=o.plan))
    content = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    lead_department = factory.LazyAttribute(lambda o: DepartmentFactory(unit=o.plan.unit))
